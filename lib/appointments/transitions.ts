import { and, eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '@/db/client';
import { reservations } from '@/db/schema';
import { audit } from '@/lib/audit';
import { requireMembership, type Actor } from '@/lib/auth/actor';
import { releaseSlots } from '@/lib/booking/slots';
import { DomainError } from '@/lib/errors';
import { queueCancelled } from '@/lib/notifications';
import { dispatchOutboxAfterCommit, enqueueEvent } from '@/lib/outbox';

/** Who may cancel an appointment or record its outcome. */
export const APPOINTMENT_ROLES = ['doctor', 'admin'] as const;

/**
 * The practice cancels a confirmed appointment with a reason the patient is told; its future
 * slots become free. Compare-and-set on confirmed, so it cannot race a patient's cancel.
 */
export async function cancelAppointment(db: Db, actor: Actor, reservationId: string, reason: string, now: Date = new Date()): Promise<void> {
  const text = reason.trim();
  if (text.length < 1 || text.length > 1000) {
    throw new DomainError('invalid_request', 'Tell the patient why (up to 1,000 characters).', { reason: 'A reason is required.' });
  }
  await db.transaction(async (tx) => {
    const appointment = await loadForChange(tx, actor, reservationId);
    const [done] = await tx
      .update(reservations)
      .set({ status: 'cancelled', cancelledAt: now, cancelledBy: actor.userId, cancelReason: text })
      .where(and(eq(reservations.id, appointment.id), eq(reservations.status, 'confirmed')))
      .returning({ id: reservations.id });
    if (!done) throw new DomainError('conflict', `This appointment is already ${appointment.status.replace('_', '-')}.`);
    await releaseSlots(tx, appointment.requestId, now);
    await audit(tx, {
      profileId: appointment.profileId,
      actorUserId: actor.userId,
      actorKind: 'user',
      action: 'reservation.cancelled',
      entityType: 'reservation',
      entityId: appointment.id,
      details: { reason: text, by: 'practice' },
    });
    await enqueueEvent(tx, {
      name: 'reservation/cancelled',
      id: `request-${appointment.requestId}-cancelled`,
      data: { requestId: appointment.requestId, profileId: appointment.profileId, reservationId: appointment.id, by: 'doctor' },
    });
    await queueCancelled(tx, { requestId: appointment.requestId, by: 'practice', now });
  });
  dispatchOutboxAfterCommit(db);
}

/** After its start, a confirmed appointment is marked completed or no-show. */
export async function recordAppointmentOutcome(
  db: Db,
  actor: Actor,
  reservationId: string,
  outcome: 'completed' | 'no_show',
  now: Date = new Date(),
): Promise<void> {
  await db.transaction(async (tx) => {
    const appointment = await loadForChange(tx, actor, reservationId);
    if (appointment.startsAt > now) throw new DomainError('conflict', 'An appointment can be marked only after it has started.');
    const [done] = await tx
      .update(reservations)
      .set({ status: outcome })
      .where(and(eq(reservations.id, appointment.id), eq(reservations.status, 'confirmed')))
      .returning({ id: reservations.id });
    if (!done) throw new DomainError('conflict', `This appointment is already ${appointment.status.replace('_', '-')}.`);
    await audit(tx, {
      profileId: appointment.profileId,
      actorUserId: actor.userId,
      actorKind: 'user',
      action: `reservation.${outcome}`,
      entityType: 'reservation',
      entityId: appointment.id,
    });
  });
}

async function loadForChange(tx: Tx, actor: Actor, reservationId: string) {
  if (!/^[0-9a-f-]{36}$/i.test(reservationId)) throw new DomainError('not_found', 'No such appointment.');
  const [row] = await tx
    .select({ id: reservations.id, profileId: reservations.profileId, requestId: reservations.requestId, status: reservations.status, startsAt: reservations.startsAt })
    .from(reservations)
    .where(and(eq(reservations.id, reservationId), sql`${reservations.profileId} IN (${sql.join(
      (actor.memberships.length ? actor.memberships.map((m) => m.profileId) : ['00000000-0000-0000-0000-000000000000']).map((id) => sql`${id}`),
      sql`, `,
    )})`))
    .for('update')
    .limit(1);
  if (!row) throw new DomainError('not_found', 'No such appointment.');
  requireMembership(actor, row.profileId, APPOINTMENT_ROLES);
  return row;
}
