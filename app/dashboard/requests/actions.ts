'use server';

import { practiceAction } from '@/lib/actions';
import { approveRequest, rejectRequest, type DecidedRequest } from '@/lib/approval';
import { formatDateTime } from '@/lib/format';

const what = (r: DecidedRequest) => `${r.patientName}, ${r.serviceName}, ${formatDateTime(r.startsAt, r.timeZone)} (${r.timeZone})`;

/** Approve in one click; lib/approval decides by compare-and-set and says why it refuses. */
export const approveRequestAction = practiceAction(approveRequest, { name: 'requests.approve', revalidate: '/dashboard' }, (r) =>
  r.changed ? `Approved: ${what(r)}. The patient is told and the appointment is in the agenda.` : `Already approved: ${what(r)}.`,
);

/** Reject with a reason the patient will read; the time is free again. */
export const rejectRequestAction = practiceAction(rejectRequest, { name: 'requests.reject', revalidate: '/dashboard' }, (r) =>
  `Rejected: ${r.patientName}, ${formatDateTime(r.startsAt, r.timeZone)} (${r.timeZone}). The patient is told your reason; the time is free again.`,
);
