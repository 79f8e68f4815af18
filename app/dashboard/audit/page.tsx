import type { Metadata } from 'next';
import Link from 'next/link';
import { AUDIT_PAGE_SIZE, listAuditEntries, listPracticeMembers, type AuditFilters } from '@/lib/audit/query';
import { can, ROLE_NAMES } from '@/lib/auth/permissions';
import { currentPractice, requireActor } from '@/lib/auth/session';
import { isDomainError } from '@/lib/errors';
import { formatDateTime } from '@/lib/format';

export const metadata: Metadata = { title: 'Audit trail' };

const ACTIONS = [
  ['', 'Everything'],
  ['auth', 'Sign-ins'],
  ['request', 'Requests (created, approved, rejected, expired, cancelled)'],
  ['reservation', 'Appointments (cancelled, completed, no-show)'],
  ['note', 'Clinical notes (read, written, amended)'],
  ['service', 'Service catalog'],
  ['availability', 'Availability (rules, exceptions, blocked time)'],
  ['practice', 'Practice settings'],
] as const;

const FILTERS = ['who', 'what', 'from', 'to', 'before'] as const;

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requireActor();
  const practice = await currentPractice(actor);
  if (!practice) return null;
  if (!can(practice.roles, 'audit.read')) {
    return <p className="rounded-md border border-amber-300 bg-amber-50 p-4">Only the practice&apos;s admins can see the audit trail.</p>;
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
  let entries: Awaited<ReturnType<typeof listAuditEntries>>;
  let notice: string | undefined;
  try {
    entries = await listAuditEntries(actor, practice.profileId, filters as AuditFilters);
  } catch (err) {
    if (!isDomainError(err) || err.code !== 'invalid_request') throw err;
    notice = `Some filters could not be read (${Object.values(err.fields ?? {}).join(' ')}); showing every entry.`;
    for (const key of FILTERS) delete filters[key];
    entries = await listAuditEntries(actor, practice.profileId);
  }
  const next = entries.length === AUDIT_PAGE_SIZE ? entries[entries.length - 1].id : null;
  const query = (extra: Record<string, string | number>) => {
    const params = new URLSearchParams(filters);
    params.delete('before');
    for (const [k, v] of Object.entries(extra)) params.set(k, String(v));
    return `?${params}`;
  };

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold">Audit trail</h1>
        <p className="text-slate-700">Who did what, and when, in {practice.displayName}. Times in {tz}. Note contents are never shown here.</p>
      </div>
      {notice && (
        <p role="note" className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm">
          {notice}
        </p>
      )}
      <form method="get" className="grid gap-4 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-5" aria-label="Filter the audit trail">
        <label className="text-sm font-medium">
          Who
          <select name="who" defaultValue={filters.who ?? ''} className="mt-1 block w-full rounded border border-slate-400 px-2 py-1.5">
            <option value="">Anyone</option>
            {members.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name ?? m.email} ({m.roles.map((r) => ROLE_NAMES[r]).join(', ')})
              </option>
            ))}
          </select>
        </label>
        <label className="text-sm font-medium sm:col-span-2">
          What
          <select name="what" defaultValue={filters.what ?? ''} className="mt-1 block w-full rounded border border-slate-400 px-2 py-1.5">
            {ACTIONS.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label className="text-sm font-medium">
          From
          <input type="date" name="from" defaultValue={filters.from} className="mt-1 block w-full rounded border border-slate-400 px-2 py-1.5" />
        </label>
        <label className="text-sm font-medium">
          To
          <input type="date" name="to" defaultValue={filters.to} className="mt-1 block w-full rounded border border-slate-400 px-2 py-1.5" />
        </label>
        <div className="sm:col-span-5">
          <button type="submit" className="rounded-md bg-brand-700 px-4 py-2 font-semibold text-white hover:bg-brand-800">
            Filter
          </button>
          <Link href="/dashboard/audit" className="ml-3 text-sm text-brand-700 underline">
            Clear
          </Link>
        </div>
      </form>
      {entries.length === 0 ? (
        <p>No entries match.</p>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="min-w-full text-sm">
            <caption className="sr-only">Audit entries, newest first</caption>
            <thead className="bg-slate-100 text-left">
              <tr>
                <th scope="col" className="px-3 py-2">When</th>
                <th scope="col" className="px-3 py-2">Who</th>
                <th scope="col" className="px-3 py-2">What</th>
                <th scope="col" className="px-3 py-2">Which</th>
                <th scope="col" className="px-3 py-2">Details</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {entries.map((e) => (
                <tr key={e.id} data-testid="audit-row">
                  <td className="whitespace-nowrap px-3 py-2">{formatDateTime(e.createdAt, tz, { year: 'numeric', second: '2-digit' })}</td>
                  <td className="px-3 py-2">{e.actorName ?? e.actorEmail ?? e.actorKind}</td>
                  <td className="px-3 py-2 font-mono text-xs">{e.action}</td>
                  <td className="px-3 py-2 text-xs text-slate-600">
                    {e.entityType}
                    {e.entityId ? ` ${e.entityId.slice(0, 8)}` : ''}
                  </td>
                  <td className="max-w-md truncate px-3 py-2 text-xs text-slate-600">{e.details ? JSON.stringify(e.details) : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {next && (
        <Link href={`/dashboard/audit${query({ before: next })}`} className="inline-block text-brand-700 underline">
          Older entries
        </Link>
      )}
    </div>
  );
}
