import type { Metadata } from 'next';
import Link from 'next/link';
import { headers } from 'next/headers';
import { Agenda } from '@/components/appointments/agenda';
import { agendaHref } from '@/components/appointments/agenda-range';
import { FirstRunChecklist } from '@/components/onboarding/checklist';
import { TimeLeft } from '@/components/requests/time-left';
import { publicOriginFromHeaders } from '@/lib/api/http';
import { mayDecide } from '@/lib/approval';
import { describeRoles } from '@/lib/auth/permissions';
import { currentPractice, requireActor } from '@/lib/auth/session';
import { formatDateTime } from '@/lib/format';
import { getPracticeOverview } from '@/lib/practice/overview';

export const dynamic = 'force-dynamic';

export const metadata: Metadata = { title: 'Dashboard' };

export default async function DashboardPage() {
  const actor = await requireActor();
  const membership = await currentPractice(actor);
  if (!membership) return null;
  const now = new Date();
  const [overview, answers] = await Promise.all([getPracticeOverview(actor, membership.profileId, {}, { now }), mayDecide(actor, membership.profileId)]);
  const tz = overview.practice.timeZone;
  const [today, ...nextDays] = overview.days;
  const upcomingCount = nextDays.reduce((n, d) => n + d.items.length, 0);
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold">{overview.practice.displayName}</h1>
        <p className="text-slate-700">
          {overview.practice.specialty} · you are {describeRoles(overview.roles)} here · times in {tz}
        </p>
      </div>

      <FirstRunChecklist actor={actor} membership={membership} origin={publicOriginFromHeaders(await headers())} />

      <section aria-labelledby="pending-heading" className="flex flex-wrap items-center justify-between gap-4 rounded-lg border border-slate-200 bg-white p-4">
        <div>
          <h2 id="pending-heading" className="font-semibold">
            Pending requests
          </h2>
          <p className="mt-1 text-3xl font-bold" data-testid="pending-count">
            {overview.pendingRequests}
          </p>
          {overview.nearestDeadline ? (
            <p className="text-sm text-slate-700" data-testid="nearest-deadline">
              Nearest answer deadline: {formatDateTime(overview.nearestDeadline, tz)} ({tz}) ·{' '}
              <TimeLeft deadline={overview.nearestDeadline.toISOString()} serverNow={now.toISOString()} />
            </p>
          ) : (
            <p className="text-sm text-slate-700">Nothing is waiting for an answer.</p>
          )}
        </div>
        <Link href="/dashboard/requests" className="rounded-md bg-brand-700 px-4 py-2 font-semibold text-white hover:bg-brand-800">
          {overview.pendingRequests && answers ? `Answer ${overview.pendingRequests === 1 ? 'the request' : `${overview.pendingRequests} requests`}` : 'Open requests'}
        </Link>
      </section>

      <section aria-labelledby="today-heading" className="space-y-2">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="today-heading" className="text-lg font-semibold">
            Today
          </h2>
          <Link href={agendaHref('day', overview.today)} className="text-sm text-brand-700 hover:underline">
            Today&apos;s agenda
          </Link>
        </div>
        <Agenda days={[today]} timeZone={tz} today={overview.today} linkAs={Link} headingLevel={3} emptyText="No appointments today." />
      </section>

      <section aria-labelledby="next-heading" className="space-y-2">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="next-heading" className="text-lg font-semibold">
            Next {nextDays.length} days <span className="font-normal text-slate-600">({upcomingCount} confirmed)</span>
          </h2>
          <Link href={agendaHref('week', overview.today)} className="text-sm text-brand-700 hover:underline">
            This week&apos;s agenda
          </Link>
        </div>
        {upcomingCount === 0 ? (
          <p className="rounded-lg border border-slate-200 bg-white p-4 text-slate-700">No confirmed appointments in the next {nextDays.length} days.</p>
        ) : (
          <Agenda days={nextDays.filter((d) => d.items.length > 0)} timeZone={tz} today={overview.today} linkAs={Link} headingLevel={3} />
        )}
      </section>
    </div>
  );
}
