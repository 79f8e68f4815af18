import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { patients, reservations } from '@/db/schema';
import { audit } from '@/lib/audit';
import type { Actor } from '@/lib/auth/actor';
import { authorize } from '@/lib/auth/permissions';
import { releaseSlots } from '@/lib/booking/slots';
import { scopedRow } from '@/lib/data/scope';
import { transaction, type CallOptions, type Tx } from '@/lib/db';
import { DomainError } from '@/lib/errors';
import { errorText } from '@/lib/i18n/errors';
import { queueCancelled } from '@/lib/notifications';
import { dispatchOutboxAfterCommit, enqueueEvent } from '@/lib/outbox';
import { parseInput } from '@/lib/validation/fields';
import { appointmentRef, reasonForPatient } from './detail';

const cancelSchema = appointmentRef.extend({ reason: reasonForPatient });
const outcomeSchema = appointmentRef.extend({
  outcome: z.enum(['completed', 'no_show'], { error: 'Choose completed or no-show.' }),
});

export type CancelInput = z.input<typeof cancelSchema>;
export type OutcomeInput = z.input<typeof outcomeSchema>;

/** What a change's confirmation names. */
export interface ChangedAppointment {
  reservationId: string;
  patientName: string;
  startsAt: Date;
  timeZone: string;
}

/**
 * The practice cancels a confirmed appointment with a reason the patient is told; its future
 * slots become free. Compare-and-set on confirmed, so it cannot race a patient's cancel.
 */
export async function cancelAppointment(actor: Actor | null, profileId: string, input: CancelInput, opts?: CallOptions): Promise<ChangedAppointment> {
  const membership = authorize(actor, profileId, 'appointments.manage');
  const { reservationId, reason } = parseInput(cancelSchema, input, 'Tell the patient why (up to 1,000 characters).');
  const now = opts?.now ?? new Date();
  const appointment = await transaction(opts, async (tx) => {
    const appointment = await loadForChange(tx, profileId, reservationId);
    const [done] = await tx
      .update(reservations)
      .set({ status: 'cancelled', cancelledAt: now, cancelledBy: actor!.userId, cancelReason: reason })
      .where(and(eq(reservations.id, appointment.id), eq(reservations.status, 'confirmed')))
      .returning({ id: reservations.id });
    if (!done) throw alreadyDone(appointment.status);
    await releaseSlots(tx, appointment.requestId, now);
    await audit(tx, {
      profileId,
      actorUserId: actor!.userId,
      actorKind: 'user',
      action: 'reservation.cancelled',
      entityType: 'reservation',
      entityId: appointment.id,
      details: { reason, by: 'practice' },
    });
    await enqueueEvent(tx, {
      name: 'reservation/cancelled',
      id: `request-${appointment.requestId}-cancelled`,
      data: { requestId: appointment.requestId, profileId, reservationId: appointment.id, by: 'doctor' },
    });
    await queueCancelled(tx, { requestId: appointment.requestId, by: 'practice', now });
    return appointment;
  });
  if (!opts?.tx) dispatchOutboxAfterCommit();
  return { reservationId: appointment.id, patientName: appointment.patientName, startsAt: appointment.startsAt, timeZone: membership.timeZone };
}

/** After its start, a confirmed appointment is marked completed or no-show. */
export async function recordAppointmentOutcome(
  actor: Actor | null,
  profileId: string,
  input: OutcomeInput,
  opts?: CallOptions,
): Promise<ChangedAppointment & { outcome: 'completed' | 'no_show' }> {
  const membership = authorize(actor, profileId, 'appointments.manage');
  const { reservationId, outcome } = parseInput(outcomeSchema, input);
  const now = opts?.now ?? new Date();
  const appointment = await transaction(opts, async (tx) => {
    const appointment = await loadForChange(tx, profileId, reservationId);
    if (appointment.startsAt > now) throw new DomainError('conflict', errorText('appointments.notStarted'));
    const [done] = await tx
      .update(reservations)
      .set({ status: outcome })
      .where(and(eq(reservations.id, appointment.id), eq(reservations.status, 'confirmed')))
      .returning({ id: reservations.id });
    if (!done) throw alreadyDone(appointment.status);
    await audit(tx, {
      profileId,
      actorUserId: actor!.userId,
      actorKind: 'user',
      action: `reservation.${outcome}`,
      entityType: 'reservation',
      entityId: appointment.id,
    });
    return appointment;
  });
  return { reservationId: appointment.id, patientName: appointment.patientName, startsAt: appointment.startsAt, timeZone: membership.timeZone, outcome };
}

/** The practice's appointment, locked for the change, with the name its confirmation shows. */
function loadForChange(tx: Tx, profileId: string, reservationId: string) {
  return scopedRow(reservations, profileId, reservationId, 'appointment', (where) =>
    tx
      .select({
        id: reservations.id,
        requestId: reservations.requestId,
        status: reservations.status,
        startsAt: reservations.startsAt,
        patientName: patients.name,
      })
      .from(reservations)
      .innerJoin(patients, eq(patients.id, reservations.patientId))
      .where(where)
      .for('update', { of: reservations })
      .limit(1),
  );
}

function alreadyDone(status: string): DomainError {
  return new DomainError('conflict', errorText('appointments.already', { status }));
}
