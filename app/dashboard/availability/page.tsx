import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { BlockForm } from '@/components/availability/block-form';
import { ExceptionForm } from '@/components/availability/exception-form';
import { ActionButton } from '@/components/availability/form-kit';
import { RuleForm } from '@/components/availability/rule-form';
import { listBlocks } from '@/lib/availability/blocks';
import { listExceptions } from '@/lib/availability/exceptions';
import { listRules, type Rule } from '@/lib/availability/rules';
import { localDateOf, todayIn } from '@/lib/availability/time';
import { currentPractice, requireActor } from '@/lib/auth/session';
import { listServices } from '@/lib/catalog';
import { formatDateTime, formatLocalDate, formatTime, weekdayNames, zoneName } from '@/lib/i18n/format';
import type { Locale } from '@/lib/i18n/locales';
import { pageLocale } from '@/lib/i18n/page-locale';
import type { Translate } from '@/lib/i18n/translator';
import { deactivateRuleAction, deleteExceptionAction, unblockTimeAction } from './actions';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('dashboard.availability'))('title') };
}

export default async function AvailabilityPage() {
  const actor = await requireActor();
  const practice = await currentPractice(actor);
  if (!practice) return null;
  const { profileId, timeZone: tz } = practice;
  const [rules, exceptions, blocks, services] = await Promise.all([
    listRules(actor, profileId),
    listExceptions(actor, profileId),
    listBlocks(actor, profileId),
    listServices(actor, profileId, { includeInactive: true }),
  ]);
  const serviceName = new Map(services.map((s) => [s.id, s.name]));
  const choices = services.map((s) => ({ id: s.id, name: s.name, isActive: s.isActive }));
  const today = todayIn(tz);
  const [t, locale] = await Promise.all([getTranslations('dashboard.availability'), pageLocale()]);
  const weekdays = weekdayNames(locale);
  const zone = zoneName(locale, tz);
  const byWeekday = weekdays.map((name, i) => ({ name, rules: rules.filter((r) => r.weekday === i + 1) }));
  const date = (d: string) => formatLocalDate(locale, d, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' });

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold">{t('title')}</h1>
        <p className="text-slate-700">{t('intro', { practice: practice.displayName, zone })}</p>
      </div>

      <section aria-labelledby="weekly-heading" className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="weekly-heading" className="font-semibold">
          {t('weekly')} <span className="font-normal text-slate-600">({zone})</span>
        </h2>
        <ul className="mt-2 divide-y divide-slate-100">
          {byWeekday.map((day) => (
            <li key={day.name} className="grid gap-2 py-3 sm:grid-cols-[9rem_1fr]">
              <h3 className="font-medium">{day.name}</h3>
              {day.rules.length === 0 ? (
                <p className="text-slate-600">{t('closed')}</p>
              ) : (
                <ul className="space-y-3">
                  {day.rules.map((rule) => (
                    <li key={rule.id} data-testid="rule-row">
                      <div className="flex flex-wrap items-start justify-between gap-2">
                        <div>
                          <p>
                            <span className="font-medium tabular-nums">
                              {rule.startTime}–{rule.endTime}
                            </span>
                            {ruleNote(rule, serviceName, t, locale) && <span className="ml-2 text-sm text-slate-600">{ruleNote(rule, serviceName, t, locale)}</span>}
                          </p>
                        </div>
                        <ActionButton
                          action={deactivateRuleAction}
                          fields={{ profileId, ruleId: rule.id }}
                          label={t('remove')}
                          pendingLabel={t('removing')}
                          confirm={t('removeConfirm', { day: day.name, start: rule.startTime, end: rule.endTime })}
                        />
                      </div>
                      <details className="mt-1">
                        <summary className="cursor-pointer text-sm font-medium text-brand-700 hover:underline">
                          {t('edit', { day: day.name, start: rule.startTime, end: rule.endTime })}
                        </summary>
                        <div className="mt-3 max-w-2xl">
                          <RuleForm profileId={profileId} zone={zone} weekdays={weekdays} services={choices} rule={rule} />
                        </div>
                      </details>
                    </li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ul>
        <details className="mt-4 rounded-md border border-slate-200 p-3" open={rules.length === 0}>
          <summary className="cursor-pointer font-medium text-brand-700">{t('addHours')}</summary>
          <div className="mt-3 max-w-2xl">
            <RuleForm profileId={profileId} zone={zone} weekdays={weekdays} services={choices} />
          </div>
        </details>
      </section>

      <section aria-labelledby="exceptions-heading" className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="exceptions-heading" className="font-semibold">
          {t('exceptions')} <span className="font-normal text-slate-600">{t('exceptionsNote')}</span>
        </h2>
        {exceptions.length === 0 ? (
          <p className="mt-2 text-slate-700">{t('noExceptions')}</p>
        ) : (
          <ul className="mt-2 divide-y divide-slate-100">
            {exceptions.map((e) => (
              <li key={e.id} className="flex flex-wrap items-start justify-between gap-2 py-2" data-testid="exception-row">
                <p>
                  <span className="font-medium">{date(e.date)}</span>
                  {' · '}
                  {e.closed ? t('closedAllDay') : `${t('openHours', { start: e.startTime ?? '', end: e.endTime ?? '' })} (${zone})`}
                  {e.reason && <span className="text-slate-600"> · {e.reason}</span>}
                </p>
                <ActionButton
                  action={deleteExceptionAction}
                  fields={{ profileId, exceptionId: e.id }}
                  label={t('delete')}
                  pendingLabel={t('deleting')}
                  confirm={t('deleteConfirm', { date: date(e.date) })}
                />
              </li>
            ))}
          </ul>
        )}
        <details className="mt-4 rounded-md border border-slate-200 p-3">
          <summary className="cursor-pointer font-medium text-brand-700">{t('addException')}</summary>
          <div className="mt-3 max-w-2xl">
            <ExceptionForm profileId={profileId} zone={zone} today={today} />
          </div>
        </details>
      </section>

      <section aria-labelledby="blocks-heading" className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="blocks-heading" className="font-semibold">
          {t('blocked')}
        </h2>
        <p className="text-sm text-slate-700">{t('blockedIntro')}</p>
        {blocks.length === 0 ? (
          <p className="mt-2 text-slate-700">{t('nothingBlocked')}</p>
        ) : (
          <ul className="mt-2 divide-y divide-slate-100">
            {blocks.map((b) => (
              <li key={b.startsAt.toISOString()} className="flex flex-wrap items-start justify-between gap-2 py-2" data-testid="block-row">
                <p>
                  <span className="font-medium">{formatRange(locale, b.startsAt, b.endsAt, tz)}</span> ({zone})
                  {b.reason && <span className="text-slate-600"> · {b.reason}</span>}
                </p>
                <ActionButton
                  action={unblockTimeAction}
                  fields={{ profileId, from: b.startsAt.toISOString(), to: b.endsAt.toISOString() }}
                  label={t('unblock')}
                  pendingLabel={t('unblocking')}
                />
              </li>
            ))}
          </ul>
        )}
        <details className="mt-4 rounded-md border border-slate-200 p-3">
          <summary className="cursor-pointer font-medium text-brand-700">{t('blockTime')}</summary>
          <div className="mt-3 max-w-2xl">
            <BlockForm profileId={profileId} zone={zone} />
          </div>
        </details>
      </section>
    </div>
  );
}

function ruleNote(rule: Rule, serviceName: Map<string, string>, t: Translate, locale: Locale): string {
  const parts: string[] = [];
  const day = (d: string) => formatLocalDate(locale, d, { day: 'numeric', month: 'short', year: 'numeric' });
  if (rule.serviceIds) parts.push(t('onlyServices', { services: rule.serviceIds.map((id) => serviceName.get(id) ?? t('removedService')).join(', ') }));
  if (rule.validFrom && rule.validUntil) parts.push(t('range', { from: day(rule.validFrom), until: day(rule.validUntil) }));
  else if (rule.validFrom) parts.push(t('fromDate', { date: day(rule.validFrom) }));
  else if (rule.validUntil) parts.push(t('untilDate', { date: day(rule.validUntil) }));
  return parts.join(' · ');
}

function formatRange(locale: Locale, from: Date, to: Date, tz: string): string {
  const sameDay = localDateOf(from, tz) === localDateOf(new Date(to.getTime() - 1), tz);
  return `${formatDateTime(locale, from, tz)} – ${sameDay ? formatTime(locale, to, tz) : formatDateTime(locale, to, tz)}`;
}
