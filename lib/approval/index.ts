import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { medicalServices, patients, profiles, reservationRequests, reservations } from '@/db/schema';
import { reasonForPatient } from '@/lib/appointments/detail';
import { audit } from '@/lib/audit';
import type { Actor } from '@/lib/auth/actor';
import { authorize } from '@/lib/auth/permissions';
import { expireRequest } from '@/lib/booking/expire';
import { releaseSlots } from '@/lib/booking/slots';
import { scopedRow } from '@/lib/data/scope';
import { executor, transaction, type CallOptions, type Tx } from '@/lib/db';
import { DomainError } from '@/lib/errors';
import { formatDateTime } from '@/lib/format';
import { queueDecision } from '@/lib/notifications';
import { dispatchOutboxAfterCommit, enqueueEvent } from '@/lib/outbox';
import { parseInput } from '@/lib/validation/fields';

const approveSchema = z.object({ requestId: z.string({ error: 'Which request?' }) });
const rejectSchema = approveSchema.extend({ reason: reasonForPatient });

export type ApproveInput = z.input<typeof approveSchema>;
export type RejectInput = z.input<typeof rejectSchema>;

/** What a decision's confirmation says: who, what, when. */
export interface DecidedRequest {
  requestId: string;
  patientName: string;
  serviceName: string;
  startsAt: Date;
  timeZone: string;
}

export interface ApprovalResult extends DecidedRequest {
  reservationId: string;
  /** False when the request had already been approved: approving twice is harmless. */
  changed: boolean;
}

/**
 * The doctor approves a pending request: compare-and-set pending → approved (only before its
 * deadline), the reservation, slots → reserved, audit, and `reservation/decided` and
 * `reservation/confirmed` to the outbox, in one transaction.
 */
export async function approveRequest(actor: Actor | null, profileId: string, input: ApproveInput, opts?: CallOptions): Promise<ApprovalResult> {
  authorize(actor, profileId, 'requests.decide');
  const { requestId } = parseInput(approveSchema, input);
  const now = opts?.now ?? new Date();
  const outcome = await transaction(opts, async (tx) => {
    const request = await loadForDecision(tx, profileId, requestId);
    const won = await tx
      .update(reservationRequests)
      .set({ status: 'approved', decidedAt: now, decidedBy: actor!.userId })
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
      actorUserId: actor!.userId,
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
    return { kind: 'approved' as const, request, reservationId: reservation.id };
  });
  const decided = summaryOf(outcome.request);
  if (outcome.kind === 'refused') {
    const r = outcome.request;
    if (r.status === 'approved') {
      const db = await executor(opts);
      const [existing] = await db.select({ id: reservations.id }).from(reservations).where(eq(reservations.requestId, r.id)).limit(1);
      if (existing) return { ...decided, reservationId: existing.id, changed: false };
    }
    throw await refusal(r, now, opts);
  }
  if (!opts?.tx) dispatchOutboxAfterCommit();
  return { ...decided, reservationId: outcome.reservationId, changed: true };
}

/** The doctor rejects a pending request with a reason the patient will read; its slots are free. */
export async function rejectRequest(actor: Actor | null, profileId: string, input: RejectInput, opts?: CallOptions): Promise<DecidedRequest> {
  authorize(actor, profileId, 'requests.decide');
  const { requestId, reason } = parseInput(rejectSchema, input, 'Give the patient a reason (up to 1,000 characters).');
  const now = opts?.now ?? new Date();
  const refused = await transaction(opts, async (tx) => {
    const request = await loadForDecision(tx, profileId, requestId);
    const won = await tx
      .update(reservationRequests)
      .set({ status: 'rejected', decidedAt: now, decidedBy: actor!.userId, decisionReason: reason })
      .where(and(eq(reservationRequests.id, request.id), eq(reservationRequests.status, 'pending'), sql`${reservationRequests.expiresAt} > ${now.toISOString()}`))
      .returning({ id: reservationRequests.id });
    if (!won.length) return { refused: true as const, request };
    await releaseSlots(tx, request.id, now);
    await audit(tx, {
      profileId: request.profileId,
      actorUserId: actor!.userId,
      actorKind: 'user',
      action: 'request.rejected',
      entityType: 'reservation_request',
      entityId: request.id,
      details: { reason },
    });
    await enqueueEvent(tx, {
      name: 'reservation/decided',
      id: `request-${request.id}-decided`,
      data: { requestId: request.id, profileId: request.profileId, decision: 'rejected' },
    });
    await queueDecision(tx, { requestId: request.id, decision: 'rejected', now });
    return { refused: false as const, request };
  });
  if (refused.refused) throw await refusal(refused.request, now, opts);
  if (!opts?.tx) dispatchOutboxAfterCommit();
  return summaryOf(refused.request);
}

type DecisionRow = Awaited<ReturnType<typeof loadForDecision>>;

/** The practice's request, locked for the decision, with what its confirmation names. */
async function loadForDecision(tx: Tx, profileId: string, requestId: string) {
  return scopedRow(reservationRequests, profileId, requestId, 'request', (where) =>
    tx
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
        patientName: patients.name,
        serviceName: medicalServices.name,
      })
      .from(reservationRequests)
      .innerJoin(profiles, eq(profiles.id, reservationRequests.profileId))
      .innerJoin(patients, eq(patients.id, reservationRequests.patientId))
      .innerJoin(medicalServices, eq(medicalServices.id, reservationRequests.serviceId))
      .where(where)
      .for('update', { of: reservationRequests })
      .limit(1),
  );
}

function summaryOf(r: DecisionRow): DecidedRequest {
  return { requestId: r.id, patientName: r.patientName, serviceName: r.serviceName, startsAt: r.startsAt, timeZone: r.timeZone };
}

/** Why a decision was refused, in words a doctor can act on. An overdue request is expired now. */
async function refusal(request: DecisionRow, now: Date, opts?: CallOptions): Promise<DomainError> {
  const at = formatDateTime(request.expiresAt, request.timeZone, { weekday: undefined, day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
  if (request.status === 'pending' || request.status === 'expired') {
    if (request.status === 'pending') await expireRequest(request.id, { ...opts, now });
    return new DomainError('request_expired', `This request expired at ${at} (${request.timeZone}); the time is free again.`);
  }
  const word = { approved: 'approved', rejected: 'rejected', cancelled: 'cancelled by the patient', expired: 'expired' }[request.status];
  return new DomainError('request_not_pending', `This request was already ${word}.`);
}
