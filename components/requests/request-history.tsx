import { PlainLink, type LinkLike } from '@/components/appointments/link';
import { appointmentStatusLabel, RequestStatusBadge } from '@/components/appointments/status-badge';
import type { HistoryEntry } from '@/lib/appointments';
import { formatDateTime, formatSlot } from '@/lib/format';
import { formatPhone } from '@/lib/phone';

/** Requests no longer waiting: who answered, when and why; newest received first. */
export function RequestHistory({
  entries,
  timeZone,
  linkAs: Link = PlainLink,
  country,
}: {
  entries: HistoryEntry[];
  timeZone: string;
  linkAs?: LinkLike;
  /** The practice's country: its own phone numbers are shown nationally. */
  country?: string;
}) {
  if (entries.length === 0) {
    return <p className="rounded-lg border border-slate-200 bg-white p-4 text-slate-700">No answered, expired or cancelled requests yet.</p>;
  }
  return (
    <ol className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white" aria-label="Request history, newest first">
      {entries.map((e) => (
        <li key={e.id} className="grid gap-2 px-4 py-3 sm:grid-cols-[1fr_auto]" data-testid="history-entry" data-request-id={e.id}>
          <div className="min-w-0">
            <p className="font-medium">
              {e.patient.name} <span className="font-normal text-slate-600">· {formatPhone(e.patient.phone, country)}</span>
            </p>
            <p className="text-sm text-slate-700">
              {e.service.name} · {formatSlot(e.startsAt, e.endsAt, timeZone)} ({timeZone})
            </p>
            <p className="text-sm text-slate-600">
              Received {formatDateTime(e.createdAt, timeZone)}
              {e.decidedAt && (
                <>
                  {' '}
                  · {e.status === 'approved' ? 'approved' : 'rejected'} {formatDateTime(e.decidedAt, timeZone)}
                  {e.decidedByName && <> by {e.decidedByName}</>}
                </>
              )}
              {e.status === 'expired' && <> · no answer by {formatDateTime(e.expiresAt, timeZone)}</>}
            </p>
            {e.decisionReason && <p className="mt-1 whitespace-pre-line border-l-4 border-red-300 pl-2 text-sm">Reason given: {e.decisionReason}</p>}
          </div>
          <div className="flex flex-col items-start gap-1 sm:items-end">
            <RequestStatusBadge status={e.status} />
            {e.reservation && (
              <Link href={`/dashboard/appointments/${e.reservation.id}`} className="text-sm text-brand-700 hover:underline">
                Appointment: {appointmentStatusLabel(e.reservation.status).toLowerCase()}
              </Link>
            )}
          </div>
        </li>
      ))}
    </ol>
  );
}
