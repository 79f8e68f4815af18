import type { Metadata } from 'next';
import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { listAuditLines, type AuditDetail, type AuditLine, type Subject } from '@/lib/audit/people';
import { listPracticeMembers, type AuditFilters } from '@/lib/audit/query';
import { can } from '@/lib/auth/permissions';
import { currentPractice, requireActor } from '@/lib/auth/session';
import { isDomainError } from '@/lib/errors';
import { formatDateTime, formatTime, zoneName } from '@/lib/i18n/format';
import type { Locale } from '@/lib/i18n/locales';
import { pageLocale } from '@/lib/i18n/page-locale';
import { hasMessage, type Translate } from '@/lib/i18n/translator';
import { describeRolesIn } from '@/lib/i18n/words';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('dashboard.audit'))('title') };
}

// i18n-keys: dashboard.audit.filters.* dashboard.audit.action.*
const ACTIONS = ['', 'auth', 'request', 'reservation', 'note', 'service', 'availability', 'practice'] as const;

const FILTERS = ['who', 'what', 'from', 'to', 'before'] as const;

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requireActor();
  const practice = await currentPractice(actor);
  if (!practice) return null;
  const [t, locale] = await Promise.all([getTranslations('dashboard.audit'), pageLocale()]);
  if (!can(practice.roles, 'audit.read')) {
    return <p className="rounded-md border border-amber-300 bg-amber-50 p-4">{t('adminsOnly')}</p>;
  }
  const raw = await searchParams;
  const filters: Record<string, string> = {};
  for (const key of FILTERS) {
    const v = raw[key];
    const value = Array.isArray(v) ? v[0] : v;
    if (value) filters[key] = value;
  }
  const tz = practice.timeZone;
  const members = await listPracticeMembers(actor, practice.profileId);
  // lib/audit parses the filters; a hand-edited URL it cannot read shows everything, with a notice.
  let page: Awaited<ReturnType<typeof listAuditLines>>;
  let notice: string | undefined;
  try {
    page = await listAuditLines(actor, practice.profileId, filters as AuditFilters);
  } catch (err) {
    if (!isDomainError(err) || err.code !== 'invalid_request') throw err;
    notice = t('notice', { problems: Object.values(err.fields ?? {}).join(' ') });
    for (const key of FILTERS) delete filters[key];
    page = await listAuditLines(actor, practice.profileId);
  }
  const entries = page.lines;
  const next = page.full ? page.oldestId : null;
  const query = (extra: Record<string, string | number>) => {
    const params = new URLSearchParams(filters);
    params.delete('before');
    for (const [k, v] of Object.entries(extra)) params.set(k, String(v));
    return `?${params}`;
  };

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold">{t('title')}</h1>
        <p className="text-slate-700">{t('intro', { practice: practice.displayName, zone: zoneName(locale, tz) })}</p>
      </div>
      {notice && (
        <p role="note" className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm">
          {notice}
        </p>
      )}
      <form method="get" className="grid gap-4 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-5" aria-label={t('filterLabel')}>
        <label className="text-sm font-medium">
          {t('who')}
          <select name="who" defaultValue={filters.who ?? ''} className="mt-1 block w-full rounded border border-slate-400 px-2 py-1.5">
            <option value="">{t('anyone')}</option>
            {members.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name ?? m.email} ({describeRolesIn(locale, m.roles)})
              </option>
            ))}
          </select>
        </label>
        <label className="text-sm font-medium sm:col-span-2">
          {t('what')}
          <select name="what" defaultValue={filters.what ?? ''} className="mt-1 block w-full rounded border border-slate-400 px-2 py-1.5">
            {ACTIONS.map((value) => (
              <option key={value} value={value}>
                {t(`filters.${value || 'all'}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="text-sm font-medium">
          {t('from')}
          <input type="date" name="from" defaultValue={filters.from} className="mt-1 block w-full rounded border border-slate-400 px-2 py-1.5" />
        </label>
        <label className="text-sm font-medium">
          {t('to')}
          <input type="date" name="to" defaultValue={filters.to} className="mt-1 block w-full rounded border border-slate-400 px-2 py-1.5" />
        </label>
        <div className="sm:col-span-5">
          <button type="submit" className="rounded-md bg-brand-700 px-4 py-2 font-semibold text-white hover:bg-brand-800">
            {t('filter')}
          </button>
          <Link href="/dashboard/audit" className="ml-3 text-sm text-brand-700 underline">
            {t('clear')}
          </Link>
        </div>
      </form>
      {entries.length === 0 ? (
        <p>{t('none')}</p>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="min-w-full text-sm">
            <caption className="sr-only">{t('caption')}</caption>
            <thead className="bg-slate-100 text-left">
              <tr>
                <th scope="col" className="px-3 py-2">{t('when')}</th>
                <th scope="col" className="px-3 py-2">{t('who')}</th>
                <th scope="col" className="px-3 py-2">{t('what')}</th>
                <th scope="col" className="px-3 py-2">{t('about')}</th>
                <th scope="col" className="px-3 py-2">{t('details')}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {entries.map((e) => (
                <Line key={e.id} line={e} tz={tz} t={t} locale={locale} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {next && (
        <Link href={`/dashboard/audit${query({ before: next })}`} className="inline-block text-brand-700 underline">
          {t('older')}
        </Link>
      )}
    </div>
  );
}

function Line({ line: e, tz, t, locale }: { line: AuditLine; tz: string; t: Translate; locale: Locale }) {
  const when = (d: Date) => formatDateTime(locale, d, tz, { year: 'numeric', second: '2-digit' });
  // The action in the reader's words when the catalog has it; lib's English words otherwise.
  const words = hasMessage(locale, `dashboard.audit.action.${e.action}`) ? t(`action.${e.action}`) : e.words;
  const who = e.whoKind && hasMessage(locale, `dashboard.audit.actor.${e.whoKind}`) ? t(`actor.${e.whoKind}`) : e.who;
  const subject = e.subject && { href: e.subject.href, label: subjectLabel(e.subject, t) };
  return (
    <tr data-testid="audit-row" className="align-top">
      <td className="whitespace-nowrap px-3 py-2">
        {when(e.createdAt)}
        {e.since && <span className="block text-xs text-slate-600">{t('since', { time: formatTime(locale, e.since, tz) })}</span>}
      </td>
      <td className="px-3 py-2">{who}</td>
      <td className="px-3 py-2">
        {words}
        {e.count > 1 && (
          <span className="ml-1 rounded bg-slate-200 px-1.5 text-xs font-semibold" data-testid="audit-folded">
            {t('times', { count: e.count })}
          </span>
        )}
        <span className="block font-mono text-xs text-slate-600">{e.action}</span>
      </td>
      <td className="px-3 py-2">
        {subject ? (
          subject.href ? (
            <Link href={subject.href} className="text-brand-700 underline underline-offset-2">
              {subject.label}
            </Link>
          ) : (
            subject.label
          )
        ) : (
          <span className="text-slate-600">—</span>
        )}
      </td>
      <td className="px-3 py-2 text-xs">
        {e.details.length > 0 && (
          <details>
            <summary className="cursor-pointer text-brand-700">{t('details')}</summary>
            <dl className="mt-1 grid grid-cols-[auto_1fr] gap-x-2 gap-y-0.5">
              {e.details.map((d) => (
                <div key={d.label} className="contents">
                  <dt className="font-medium text-slate-700">{hasMessage(locale, `dashboard.audit.detail.${d.key}`) ? t(`detail.${d.key}`) : d.label}</dt>
                  <dd className="break-words">{detailValue(d, t)}</dd>
                </div>
              ))}
            </dl>
          </details>
        )}
      </td>
    </tr>
  );
}

/** "Ana Ruiz's request" in the page's language (lib's label is English; services and members are names). */
function subjectLabel(subject: Subject, t: Translate): string {
  return subject.kind === 'request' || subject.kind === 'appointment' ? t(`subject.${subject.kind}`, { name: subject.name }) : subject.label;
}

/** A detail's value in the page's language where lib made it of words; stored values as they are. */
function detailValue(d: AuditDetail, t: Translate): string {
  if (d.subject) return subjectLabel(d.subject, t);
  if (d.unknown) return t(`value.${d.unknown}`);
  if (d.flag !== undefined) return t(d.flag ? 'value.yes' : 'value.no');
  return d.value;
}
