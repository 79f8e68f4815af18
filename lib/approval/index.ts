import { and, eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '@/db/client';
import { profiles, reservationRequests, reservations } from '@/db/schema';
import { audit } from '@/lib/audit';
import { requireMembership, type Actor } from '@/lib/auth/actor';
import { expireRequest } from '@/lib/booking/expire';
import { releaseSlots } from '@/lib/booking/slots';
import { DomainError } from '@/lib/errors';
import { formatDateTime } from '@/lib/format';
import { queueDecision } from '@/lib/notifications';
import { dispatchOutboxAfterCommit, enqueueEvent } from '@/lib/outbox';

/** Who may answer a practice's requests. */
export const DECIDING_ROLES = ['doctor'] as const;

export interface ApprovalResult {
  requestId: string;
  reservationId: string;
  /** False when the request had already been approved: approving twice is harmless. */
  changed: boolean;
}

/**
 * The doctor approves a pending request: compare-and-set pending → approved (only before its
 * deadline), the reservation, slots → reserved, audit, and `reservation/decided` and
 * `reservation/confirmed` to the outbox, in one transaction.
 */
export async function approveRequest(db: Db, actor: Actor, requestId: string, now: Date = new Date()): Promise<ApprovalResult> {
  const outcome = await db.transaction(async (tx) => {
    const request = await loadForDecision(tx, actor, requestId);
    const won = await tx
      .update(reservationRequests)
      .set({ status: 'approved', decidedAt: now, decidedBy: actor.userId })
      .where(and(eq(reservationRequests.id, request.id), eq(reservationRequests.status, 'pending'), sql`${reservationRequests.expiresAt} > ${now.toISOString()}`))
      .returning({ id: reservationRequests.id });
    if (!won.length) return { kind: 'refused' as const, request };

    const [reservation] = await tx
      .insert(reservations)
      .values({
        requestId: request.id,
        profileId: request.profileId,
        serviceId: request.serviceId,
        patientId: request.patientId,
        startsAt: request.startsAt,
        endsAt: request.endsAt,
        status: 'confirmed',
        confirmedAt: now,
      })
      .returning({ id: reservations.id });
    await tx.execute(sql`
      UPDATE time_slots SET status = 'reserved', updated_at = now()
      WHERE request_id = ${request.id} AND status = 'pending_approval'`);
    await audit(tx, {
      profileId: request.profileId,
      actorUserId: actor.userId,
      actorKind: 'user',
      action: 'request.approved',
      entityType: 'reservation_request',
      entityId: request.id,
      details: { reservationId: reservation.id },
    });
    await enqueueEvent(tx, {
      name: 'reservation/decided',
      id: `request-${request.id}-decided`,
      data: { requestId: request.id, profileId: request.profileId, decision: 'approved' },
    });
    await enqueueEvent(tx, {
      name: 'reservation/confirmed',
      id: `reservation-${reservation.id}-confirmed`,
      data: { reservationId: reservation.id, requestId: request.id, profileId: request.profileId },
    });
    await queueDecision(tx, { requestId: request.id, decision: 'approved', now });
    return { kind: 'approved' as const, reservationId: reservation.id };
  });
  if (outcome.kind === 'refused') {
    const r = outcome.request;
    if (r.status === 'approved') {
      const [existing] = await db.select({ id: reservations.id }).from(reservations).where(eq(reservations.requestId, r.id)).limit(1);
      if (existing) return { requestId: r.id, reservationId: existing.id, changed: false };
    }
    throw await refusal(db, r, now);
  }
  dispatchOutboxAfterCommit(db);
  return { requestId, reservationId: outcome.reservationId, changed: true };
}

/** The doctor rejects a pending request with a reason the patient will read; its slots are free. */
export async function rejectRequest(db: Db, actor: Actor, requestId: string, reason: string, now: Date = new Date()): Promise<void> {
  const text = reason.trim();
  if (text.length < 1 || text.length > 1000) {
    throw new DomainError('invalid_request', 'Give the patient a reason (up to 1,000 characters).', { reason: 'A reason is required.' });
  }
  const refused = await db.transaction(async (tx) => {
    const request = await loadForDecision(tx, actor, requestId);
    const won = await tx
      .update(reservationRequests)
      .set({ status: 'rejected', decidedAt: now, decidedBy: actor.userId, decisionReason: text })
      .where(and(eq(reservationRequests.id, request.id), eq(reservationRequests.status, 'pending'), sql`${reservationRequests.expiresAt} > ${now.toISOString()}`))
      .returning({ id: reservationRequests.id });
    if (!won.length) return request;
    await releaseSlots(tx, request.id, now);
    await audit(tx, {
      profileId: request.profileId,
      actorUserId: actor.userId,
      actorKind: 'user',
      action: 'request.rejected',
      entityType: 'reservation_request',
      entityId: request.id,
      details: { reason: text },
    });
    await enqueueEvent(tx, {
      name: 'reservation/decided',
      id: `request-${request.id}-decided`,
      data: { requestId: request.id, profileId: request.profileId, decision: 'rejected' },
    });
    await queueDecision(tx, { requestId: request.id, decision: 'rejected', now });
    return null;
  });
  if (refused) throw await refusal(db, refused, now);
  dispatchOutboxAfterCommit(db);
}

type DecisionRow = Awaited<ReturnType<typeof loadForDecision>>;

/** The request, locked, if the actor may decide on it; another practice's request is not found. */
async function loadForDecision(tx: Tx, actor: Actor, requestId: string) {
  if (!/^[0-9a-f-]{36}$/i.test(requestId)) throw new DomainError('not_found', 'No such request.');
  const [request] = await tx
    .select({
      id: reservationRequests.id,
      profileId: reservationRequests.profileId,
      serviceId: reservationRequests.serviceId,
      patientId: reservationRequests.patientId,
      startsAt: reservationRequests.startsAt,
      endsAt: reservationRequests.endsAt,
      status: reservationRequests.status,
      expiresAt: reservationRequests.expiresAt,
      timeZone: profiles.timeZone,
    })
    .from(reservationRequests)
    .innerJoin(profiles, eq(profiles.id, reservationRequests.profileId))
    .where(eq(reservationRequests.id, requestId))
    .for('update', { of: reservationRequests })
    .limit(1);
  if (!request || !actor.memberships.some((m) => m.profileId === request.profileId)) {
    throw new DomainError('not_found', 'No such request.');
  }
  requireMembership(actor, request.profileId, DECIDING_ROLES);
  return request;
}

/** Why a decision was refused, in words a doctor can act on. An overdue request is expired now. */
async function refusal(db: Db, request: DecisionRow, now: Date): Promise<DomainError> {
  const at = formatDateTime(request.expiresAt, request.timeZone, { weekday: undefined, day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
  if (request.status === 'pending' || request.status === 'expired') {
    if (request.status === 'pending') await expireRequest(db, request.id, now);
    return new DomainError('request_expired', `This request expired at ${at} (${request.timeZone}); the time is free again.`);
  }
  const word = { approved: 'approved', rejected: 'rejected', cancelled: 'cancelled by the patient', expired: 'expired' }[request.status];
  return new DomainError('request_not_pending', `This request was already ${word}.`);
}
