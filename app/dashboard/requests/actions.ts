'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { practiceAction } from '@/lib/actions';
import { getRequestSummary } from '@/lib/appointments/queries';
import { approveRequest, DECIDING_ROLES, rejectRequest } from '@/lib/approval';
import { formatDateTime } from '@/lib/format';

const decisionSchema = z.object({
  profileId: z.string(),
  requestId: z.string().trim().min(1, 'Which request?'),
});

const rejectSchema = decisionSchema.extend({
  reason: z.string().trim().min(1, 'Write the reason the patient will read.').max(1000, 'Keep the reason under 1,000 characters.'),
});

/**
 * Approve in one click. The request must be one of the chosen practice's (read scoped by the
 * practice first), and lib/approval decides by compare-and-set; its refusals (expired, already
 * answered) come back as the form's error.
 */
export const approveRequestAction = practiceAction(decisionSchema, DECIDING_ROLES, async (data, { db, actor, membership }) => {
  try {
    const request = await getRequestSummary(db, actor, membership.profileId, data.requestId);
    const result = await approveRequest(db, actor, request.id);
    const what = `${request.patientName}, ${request.serviceName}, ${formatDateTime(request.startsAt, membership.timeZone)} (${membership.timeZone})`;
    return result.changed
      ? { ok: true, message: `Approved: ${what}. The patient is told and the appointment is in the agenda.` }
      : { ok: true, message: `Already approved: ${what}.` };
  } finally {
    revalidatePath('/dashboard', 'layout');
  }
});

/** Reject with a reason the patient will read; the time is free again. */
export const rejectRequestAction = practiceAction(rejectSchema, DECIDING_ROLES, async (data, { db, actor, membership }) => {
  try {
    const request = await getRequestSummary(db, actor, membership.profileId, data.requestId);
    await rejectRequest(db, actor, request.id, data.reason);
    return {
      ok: true,
      message: `Rejected: ${request.patientName}, ${formatDateTime(request.startsAt, membership.timeZone)} (${membership.timeZone}). The patient is told your reason; the time is free again.`,
    };
  } finally {
    revalidatePath('/dashboard', 'layout');
  }
});
