import type { Metadata } from 'next';
import { getDb } from '@/db/client';
import { currentPractice, requireActor } from '@/lib/auth/session';
import { formatDateTime } from '@/lib/format';
import { getPracticeOverview } from '@/lib/practice/overview';

export const metadata: Metadata = { title: 'Dashboard' };

export default async function DashboardPage() {
  const actor = await requireActor();
  const membership = await currentPractice(actor);
  if (!membership) return null;
  const overview = await getPracticeOverview(await getDb(), actor, membership.profileId);
  const tz = overview.practice.timeZone;
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold">{overview.practice.displayName}</h1>
        <p className="text-slate-700">
          {overview.practice.specialty} · you are {overview.role === 'admin' ? 'an admin' : 'a doctor'} here · times in {tz}
        </p>
      </div>
      <section aria-labelledby="pending-heading" className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="pending-heading" className="font-semibold">
          Pending requests
        </h2>
        <p className="mt-1 text-3xl font-bold" data-testid="pending-count">
          {overview.pendingRequests}
        </p>
        {overview.nearestDeadline && (
          <p className="text-sm text-slate-700">Nearest answer deadline: {formatDateTime(overview.nearestDeadline, tz)} ({tz})</p>
        )}
      </section>
      <section aria-labelledby="upcoming-heading" className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="upcoming-heading" className="font-semibold">
          Next 7 days
        </h2>
        {overview.upcoming.length === 0 ? (
          <p className="mt-2 text-slate-700">No confirmed appointments in the next 7 days.</p>
        ) : (
          <ul className="mt-2 divide-y divide-slate-100">
            {overview.upcoming.map((a) => (
              <li key={a.id} className="flex justify-between py-2">
                <span>
                  {formatDateTime(a.startsAt, tz)} · {a.patientName}
                </span>
                <span className="text-slate-600">{a.serviceName}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
