'use server';

import { practiceAction } from '@/lib/actions';
import type { Actor } from '@/lib/auth/actor';
import {
  approveRequest,
  approveRequests,
  rejectRequest,
  UNDO_SECONDS,
  undoDecision,
  type ApproveInput,
  type BulkApproveInput,
  type DecidedRequest,
  type RejectInput,
} from '@/lib/approval';
import { formatDateTime } from '@/lib/format';
import { proposeTimes } from '@/lib/proposals';

const what = (r: DecidedRequest) => `${r.patientName}, ${r.serviceName}, ${formatDateTime(r.startsAt, r.timeZone)} (${r.timeZone})`;
/** The dashboard's decisions can be undone for a few seconds: their messages wait that long. */
const withUndo = { undoSeconds: UNDO_SECONDS };

/** Approve in one click; lib/approval decides by compare-and-set and says why it refuses. */
export const approveRequestAction = practiceAction(
  (actor: Actor | null, profileId: string, input: ApproveInput) => approveRequest(actor, profileId, input, withUndo),
  { name: 'requests.approve', revalidate: '/dashboard' },
  (r) =>
    r.changed
      ? {
          ok: true,
          message: `Approved: ${what(r)}. The patient is told in ${UNDO_SECONDS} seconds unless you undo; the appointment is in the agenda.`,
          values: { undoRequestId: r.requestId, undoUntil: r.undoUntil?.toISOString() ?? '' },
        }
      : `Already approved: ${what(r)}.`,
);

/** Reject with a reason the patient will read; the time is free again. */
export const rejectRequestAction = practiceAction(
  (actor: Actor | null, profileId: string, input: RejectInput) => rejectRequest(actor, profileId, input, withUndo),
  { name: 'requests.reject', revalidate: '/dashboard' },
  (r) => ({
    ok: true,
    message: `Rejected: ${r.patientName}, ${formatDateTime(r.startsAt, r.timeZone)} (${r.timeZone}). The patient is told your reason in ${UNDO_SECONDS} seconds unless you undo; the time is free again.`,
    values: { undoRequestId: r.requestId, undoUntil: r.undoUntil?.toISOString() ?? '' },
  }),
);

/** Takes back an approval or a rejection within its undo window: pending again, nothing sent. */
export const undoDecisionAction = practiceAction(undoDecision, { name: 'requests.undo', revalidate: '/dashboard' }, (r) =>
  r.status === 'pending'
    ? `Undone: ${what(r)} is waiting for an answer again; nothing was sent to the patient.`
    : `Undone, but the request's deadline had passed meanwhile: it has expired and its time is free.`,
);

/** Approves every selected request (each on its own); says which could not be. */
export const approveSelectedAction = practiceAction(
  (actor: Actor | null, profileId: string, input: BulkApproveInput) => approveRequests(actor, profileId, input, withUndo),
  { name: 'requests.approve_selected', revalidate: '/dashboard' },
  (r) => {
    const ok = r.approved.length;
    const refused = r.refused.map((x) => x.message);
    const message = `Approved ${ok} ${ok === 1 ? 'request' : 'requests'}.${refused.length ? ` Not approved (${refused.length}): ${[...new Set(refused)].join(' ')}` : ''}`;
    return refused.length && !ok ? { error: message } : { ok: true, message };
  },
);

/** Offers one to three other free times instead of the one requested; the patient answers on the status page. */
export const proposeTimesAction = practiceAction(proposeTimes, { name: 'requests.propose', revalidate: '/dashboard' }, (r) =>
  `Offered to ${r.patientName}: ${r.times.map((t) => formatDateTime(t.startsAt, r.timeZone)).join('; ')} (${r.timeZone}). They are held until ${formatDateTime(r.expiresAt, r.timeZone)}; the patient is told.`,
);
