import type { Metadata } from 'next';
import Link from 'next/link';
import { headers } from 'next/headers';
import { getTranslations } from 'next-intl/server';
import { Agenda } from '@/components/appointments/agenda';
import { agendaHref } from '@/components/appointments/agenda-range';
import { FirstRunChecklist } from '@/components/onboarding/checklist';
import { TimeLeft } from '@/components/requests/time-left';
import { publicOriginFromHeaders } from '@/lib/api/http';
import { mayDecide } from '@/lib/approval';
import { currentPractice, requireActor } from '@/lib/auth/session';
import { formatWhen, zoneName } from '@/lib/i18n/format';
import { pageLocale } from '@/lib/i18n/page-locale';
import { describeRolesIn } from '@/lib/i18n/words';
import { getPracticeOverview } from '@/lib/practice/overview';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('dashboard.home'))('title') };
}

export default async function DashboardPage() {
  const actor = await requireActor();
  const membership = await currentPractice(actor);
  if (!membership) return null;
  const now = new Date();
  const [overview, answers] = await Promise.all([getPracticeOverview(actor, membership.profileId, {}, { now }), mayDecide(actor, membership.profileId)]);
  const tz = overview.practice.timeZone;
  const [today, ...nextDays] = overview.days;
  const upcomingCount = nextDays.reduce((n, d) => n + d.items.length, 0);
  const [t, locale] = await Promise.all([getTranslations('dashboard.home'), pageLocale()]);
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold">{overview.practice.displayName}</h1>
        <p className="text-slate-700">
          {t('subtitle', { specialty: overview.practice.specialty, roles: describeRolesIn(locale, overview.roles), zone: zoneName(locale, tz) })}
        </p>
      </div>

      <FirstRunChecklist actor={actor} membership={membership} origin={publicOriginFromHeaders(await headers())} />

      <section aria-labelledby="pending-heading" className="flex flex-wrap items-center justify-between gap-4 rounded-lg border border-slate-200 bg-white p-4">
        <div>
          <h2 id="pending-heading" className="font-semibold">
            {t('pending')}
          </h2>
          <p className="mt-1 text-3xl font-bold" data-testid="pending-count">
            {overview.pendingRequests}
          </p>
          {overview.nearestDeadline ? (
            <p className="text-sm text-slate-700" data-testid="nearest-deadline">
              {t('nearest', { when: formatWhen(locale, overview.nearestDeadline, tz) })}{' '}
              <TimeLeft deadline={overview.nearestDeadline.toISOString()} serverNow={now.toISOString()} />
            </p>
          ) : (
            <p className="text-sm text-slate-700">{t('nothingWaiting')}</p>
          )}
        </div>
        <Link href="/dashboard/requests" className="rounded-md bg-brand-700 px-4 py-2 font-semibold text-white hover:bg-brand-800">
          {overview.pendingRequests && answers ? t('answer', { count: overview.pendingRequests }) : t('open')}
        </Link>
      </section>

      <section aria-labelledby="today-heading" className="space-y-2">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="today-heading" className="text-lg font-semibold">
            {t('today')}
          </h2>
          <Link href={agendaHref('day', overview.today)} className="text-sm text-brand-700 hover:underline">
            {t('todayAgenda')}
          </Link>
        </div>
        <Agenda days={[today]} timeZone={tz} today={overview.today} linkAs={Link} headingLevel={3} emptyText={t('noneToday')} locale={locale} />
      </section>

      <section aria-labelledby="next-heading" className="space-y-2">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="next-heading" className="text-lg font-semibold">
            {t('nextDays', { days: nextDays.length })} <span className="font-normal text-slate-600">{t('confirmed', { count: upcomingCount })}</span>
          </h2>
          <Link href={agendaHref('week', overview.today)} className="text-sm text-brand-700 hover:underline">
            {t('weekAgenda')}
          </Link>
        </div>
        {upcomingCount === 0 ? (
          <p className="rounded-lg border border-slate-200 bg-white p-4 text-slate-700">{t('noneNext', { days: nextDays.length })}</p>
        ) : (
          <Agenda days={nextDays.filter((d) => d.items.length > 0)} timeZone={tz} today={overview.today} linkAs={Link} headingLevel={3} locale={locale} />
        )}
      </section>
    </div>
  );
}
