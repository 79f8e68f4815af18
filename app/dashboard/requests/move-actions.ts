'use server';

import { practiceAction } from '@/lib/actions';
import { approveMove, rejectMove, type MoveDecision } from '@/lib/booking/move-decide';
import { formatDateTime } from '@/lib/format';

const at = (d: Date, r: MoveDecision) => `${formatDateTime(d, r.timeZone)} (${r.timeZone})`;

/** Approve a patient's move of their appointment: it is at the new time, the old time is free. */
export const approveMoveAction = practiceAction(approveMove, { name: 'requests.approve_move', revalidate: '/dashboard' }, (r) =>
  `Moved: ${r.patientName}, ${r.serviceName}, now ${at(r.toStartsAt, r)} (was ${at(r.fromStartsAt, r)}). The patient is told; the earlier time is free again.`,
);

/** Keep the original time: the time the patient asked for is free again. */
export const rejectMoveAction = practiceAction(rejectMove, { name: 'requests.reject_move', revalidate: '/dashboard' }, (r) =>
  `Kept: ${r.patientName}, ${r.serviceName} stays at ${at(r.fromStartsAt, r)}. The patient is told.`,
);
