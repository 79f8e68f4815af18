'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { practiceAction } from '@/lib/actions';
import { getAppointment } from '@/lib/appointments/queries';
import { APPOINTMENT_ROLES, cancelAppointment, recordAppointmentOutcome } from '@/lib/appointments/transitions';
import { formatDateTime } from '@/lib/format';

const appointmentSchema = z.object({
  profileId: z.string(),
  reservationId: z.string().trim().min(1, 'Which appointment?'),
});

const cancelSchema = appointmentSchema.extend({
  reason: z.string().trim().min(1, 'Write the reason the patient will read.').max(1000, 'Keep the reason under 1,000 characters.'),
});

const outcomeSchema = appointmentSchema.extend({
  outcome: z.enum(['completed', 'no_show'], { error: 'Choose completed or no-show.' }),
});

/** Cancels a confirmed appointment of the chosen practice; the patient is told, future slots are free. */
export const cancelAppointmentAction = practiceAction(cancelSchema, APPOINTMENT_ROLES, async (data, { db, actor, membership }) => {
  try {
    const appointment = await getAppointment(db, actor, membership.profileId, data.reservationId);
    await cancelAppointment(db, actor, appointment.id, data.reason);
    return {
      ok: true,
      message: `Cancelled: ${appointment.patient.name}, ${formatDateTime(appointment.startsAt, membership.timeZone)} (${membership.timeZone}). The patient is told your reason; the time is free again.`,
    };
  } finally {
    revalidatePath('/dashboard', 'layout');
  }
});

/** After the start: completed or no-show. */
export const recordOutcomeAction = practiceAction(outcomeSchema, APPOINTMENT_ROLES, async (data, { db, actor, membership }) => {
  try {
    const appointment = await getAppointment(db, actor, membership.profileId, data.reservationId);
    await recordAppointmentOutcome(db, actor, appointment.id, data.outcome);
    return { ok: true, message: `${appointment.patient.name}'s appointment is marked ${data.outcome === 'completed' ? 'completed' : 'no-show'}.` };
  } finally {
    revalidatePath('/dashboard', 'layout');
  }
});
