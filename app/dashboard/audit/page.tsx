import type { Metadata } from 'next';
import Link from 'next/link';
import { listAuditLines, type AuditLine } from '@/lib/audit/people';
import { listPracticeMembers, type AuditFilters } from '@/lib/audit/query';
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
  let page: Awaited<ReturnType<typeof listAuditLines>>;
  let notice: string | undefined;
  try {
    page = await listAuditLines(actor, practice.profileId, filters as AuditFilters);
  } catch (err) {
    if (!isDomainError(err) || err.code !== 'invalid_request') throw err;
    notice = `Some filters could not be read (${Object.values(err.fields ?? {}).join(' ')}); showing every entry.`;
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
                <th scope="col" className="px-3 py-2">About</th>
                <th scope="col" className="px-3 py-2">Details</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {entries.map((e) => (
                <Line key={e.id} line={e} tz={tz} />
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

function Line({ line: e, tz }: { line: AuditLine; tz: string }) {
  const when = (d: Date) => formatDateTime(d, tz, { year: 'numeric', second: '2-digit' });
  return (
    <tr data-testid="audit-row" className="align-top">
      <td className="whitespace-nowrap px-3 py-2">
        {when(e.createdAt)}
        {e.since && <span className="block text-xs text-slate-600">since {formatDateTime(e.since, tz, { weekday: undefined, day: undefined, month: undefined })}</span>}
      </td>
      <td className="px-3 py-2">{e.who}</td>
      <td className="px-3 py-2">
        {e.words}
        {e.count > 1 && <span className="ml-1 rounded bg-slate-200 px-1.5 text-xs font-semibold" data-testid="audit-folded">{`${e.count} times`}</span>}
        <span className="block font-mono text-xs text-slate-600">{e.action}</span>
      </td>
      <td className="px-3 py-2">
        {e.subject ? (
          e.subject.href ? (
            <Link href={e.subject.href} className="text-brand-700 underline underline-offset-2">
              {e.subject.label}
            </Link>
          ) : (
            e.subject.label
          )
        ) : (
          <span className="text-slate-600">—</span>
        )}
      </td>
      <td className="px-3 py-2 text-xs">
        {e.details.length > 0 && (
          <details>
            <summary className="cursor-pointer text-brand-700">Details</summary>
            <dl className="mt-1 grid grid-cols-[auto_1fr] gap-x-2 gap-y-0.5">
              {e.details.map((d) => (
                <div key={d.label} className="contents">
                  <dt className="font-medium text-slate-700">{d.label}</dt>
                  <dd className="break-words">{d.value}</dd>
                </div>
              ))}
            </dl>
          </details>
        )}
      </td>
    </tr>
  );
}
