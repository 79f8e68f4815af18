import { and, asc, desc, eq, gt, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { medicalServices, patients, profiles, requestMoves, reservationRequests, reservations } from '@/db/schema';
import { authorizeDecision, loadForDecision } from '@/lib/approval';
import { audit } from '@/lib/audit';
import type { Actor } from '@/lib/auth/actor';
import { authorize } from '@/lib/auth/permissions';
import { executor, getDb, rowCount, transaction, type CallOptions, type Executor, type Tx } from '@/lib/db';
import { DomainError } from '@/lib/errors';
import { errorText } from '@/lib/i18n/errors';
import { queueMoveDecided } from '@/lib/notifications/moves';
import { dispatchOutboxAfterCommit } from '@/lib/outbox';
import { parseInput } from '@/lib/validation/fields';
import { expireMove, factsOf, releaseHeldMove } from './move';
import { moveDeadline, moveDeadlineSql } from './move-rules';

/**
 * The practice's side of a patient's move of an appointment (move-rules.ts): approve it (the
 * appointment moves, the old time is released) or keep the original (the new time is released).
 * Same permission as answering a request; the practice is in every WHERE.
 */

const moveRef = z.object({ moveId: z.uuid({ message: errorText('moves.whichMove') }) });

export type MoveDecisionInput = z.input<typeof moveRef>;

export interface MoveDecision {
  moveId: string;
  requestId: string;
  patientName: string;
  serviceName: string;
  /** The appointment's time after the decision. */
  startsAt: Date;
  fromStartsAt: Date;
  toStartsAt: Date;
  timeZone: string;
  outcome: 'approved' | 'rejected';
}

/** The practice approves the move: the appointment is at the new time, the old one is free. */
export async function approveMove(actor: Actor | null, profileId: string, input: MoveDecisionInput, opts?: CallOptions): Promise<MoveDecision> {
  return decide(actor, profileId, input, 'approved', opts);
}

/** The practice keeps the original time: the time the patient asked for is free again. */
export async function rejectMove(actor: Actor | null, profileId: string, input: MoveDecisionInput, opts?: CallOptions): Promise<MoveDecision> {
  return decide(actor, profileId, input, 'rejected', opts);
}

async function decide(actor: Actor | null, profileId: string, input: MoveDecisionInput, outcome: 'approved' | 'rejected', opts?: CallOptions): Promise<MoveDecision> {
  authorize(actor, profileId, 'requests.decide');
  const { moveId } = parseInput(moveRef, input);
  const now = opts?.now ?? new Date();
  const result = await transaction(opts, async (tx) => {
    await authorizeDecision(actor, profileId, 'requests.decide', tx);
    const [ref] = await tx
      .select({ requestId: requestMoves.requestId })
      .from(requestMoves)
      .where(and(eq(requestMoves.id, moveId), eq(requestMoves.profileId, profileId)))
      .limit(1);
    if (!ref) throw new DomainError('not_found', errorText('moves.notFound'));
    // Lock order (move-rules.ts): request, reservation, move, slots.
    const request = await loadForDecision(tx, profileId, ref.requestId);
    const [reservation] = await tx
      .select({ id: reservations.id, status: reservations.status })
      .from(reservations)
      .where(and(eq(reservations.requestId, request.id), eq(reservations.profileId, profileId)))
      .for('update')
      .limit(1);
    const [move] = await tx.select().from(requestMoves).where(eq(requestMoves.id, moveId)).for('update').limit(1);
    if (move.status !== 'pending') {
      throw new DomainError('conflict', errorText('moves.alreadyDecided', { status: move.status }));
    }
    const [practice] = await tx
      .select({ approvalWindowMinutes: profiles.approvalWindowMinutes, minNoticeMinutes: profiles.minNoticeMinutes })
      .from(profiles)
      .where(eq(profiles.id, profileId));
    const [counts] = await tx.select({ moveCount: reservationRequests.moveCount }).from(reservationRequests).where(eq(reservationRequests.id, request.id));
    const deadline = moveDeadline(move, practice);
    if (request.status !== 'approved' || reservation?.status !== 'confirmed' || deadline <= now) {
      await expireMove(tx, move.id, request.id, now);
      return { kind: 'too_late' as const };
    }
    const facts = factsOf(move, deadline);
    if (outcome === 'approved') {
      await tx.execute(sql`SELECT id FROM time_slots WHERE request_id = ${request.id} ORDER BY starts_at FOR UPDATE`);
      // The old time goes back (or expires if it has passed); the held new time becomes the appointment's.
      await tx.execute(sql`
        UPDATE time_slots
        SET status = (CASE WHEN starts_at > ${now.toISOString()} THEN 'available' ELSE 'expired' END)::slot_status, request_id = NULL, updated_at = now()
        WHERE request_id = ${request.id} AND status = 'reserved'`);
      const reserved = await tx.execute(sql`
        UPDATE time_slots SET status = 'reserved', updated_at = now()
        WHERE request_id = ${request.id} AND status = 'pending_approval'
          AND starts_at >= ${move.toStartsAt.toISOString()} AND starts_at < ${move.toEndsAt.toISOString()}`);
      if (rowCount(reserved) === 0) throw new DomainError('conflict', errorText('moves.notHeld'));
      await tx.update(reservationRequests).set({ startsAt: move.toStartsAt, endsAt: move.toEndsAt }).where(eq(reservationRequests.id, request.id));
      await tx.update(reservations).set({ startsAt: move.toStartsAt, endsAt: move.toEndsAt }).where(eq(reservations.id, reservation.id));
    } else {
      await releaseHeldMove(tx, request.id, now);
    }
    await tx.update(requestMoves).set({ status: outcome, decidedAt: now, decidedBy: actor!.userId }).where(eq(requestMoves.id, move.id));
    await audit(tx, {
      profileId,
      actorUserId: actor!.userId,
      actorKind: 'user',
      action: outcome === 'approved' ? 'request.move_approved' : 'request.move_rejected',
      entityType: 'reservation_request',
      entityId: request.id,
      details: { moveId: move.id, reservationId: reservation.id, from: move.fromStartsAt.toISOString(), to: move.toStartsAt.toISOString() },
    });
    await queueMoveDecided(tx, { requestId: request.id, move: facts, outcome: outcome === 'approved' ? 'approved' : 'declined', sequence: counts.moveCount, now });
    return { kind: 'decided' as const, request, move };
  });
  if (!opts?.tx) dispatchOutboxAfterCommit();
  if (result.kind === 'too_late') {
    throw new DomainError('conflict', errorText('moves.tooLate'));
  }
  const { request, move } = result;
  return {
    moveId: move.id,
    requestId: request.id,
    patientName: request.patientName,
    serviceName: request.serviceName,
    startsAt: outcome === 'approved' ? move.toStartsAt : move.fromStartsAt,
    fromStartsAt: move.fromStartsAt,
    toStartsAt: move.toStartsAt,
    timeZone: request.timeZone,
    outcome,
  };
}

// ---------------------------------------------------------------------------
// What the dashboard shows
// ---------------------------------------------------------------------------

export interface PendingMoveItem {
  moveId: string;
  requestId: string;
  reservationId: string;
  patient: { name: string; phone: string; email: string | null };
  service: { name: string; durationMinutes: number };
  from: { startsAt: Date; endsAt: Date };
  to: { startsAt: Date; endsAt: Date };
  askedAt: Date;
  deadline: Date;
}

/** Moves of appointments waiting for the practice's answer, nearest deadline first. */
export async function listPendingMoves(actor: Actor | null, profileId: string, input: Record<string, never> = {}, opts?: CallOptions): Promise<PendingMoveItem[]> {
  authorize(actor, profileId, 'practice.view');
  parseInput(z.object({}), input);
  const now = opts?.now ?? new Date();
  const deadline = sql<Date>`${moveDeadlineSql('request_moves', 'profiles')}`.mapWith((v: string | Date) => new Date(v));
  const rows = await (await executor(opts))
    .select({
      moveId: requestMoves.id,
      requestId: requestMoves.requestId,
      reservationId: reservations.id,
      patientName: patients.name,
      phone: patients.phone,
      email: patients.email,
      serviceName: medicalServices.name,
      durationMinutes: medicalServices.durationMinutes,
      fromStartsAt: requestMoves.fromStartsAt,
      fromEndsAt: requestMoves.fromEndsAt,
      toStartsAt: requestMoves.toStartsAt,
      toEndsAt: requestMoves.toEndsAt,
      askedAt: requestMoves.createdAt,
      deadline,
    })
    .from(requestMoves)
    .innerJoin(profiles, eq(profiles.id, requestMoves.profileId))
    .innerJoin(reservationRequests, and(eq(reservationRequests.id, requestMoves.requestId), eq(reservationRequests.profileId, profileId), eq(reservationRequests.status, 'approved')))
    .innerJoin(reservations, and(eq(reservations.requestId, reservationRequests.id), eq(reservations.status, 'confirmed')))
    .innerJoin(patients, and(eq(patients.id, reservationRequests.patientId), eq(patients.profileId, profileId)))
    .innerJoin(medicalServices, eq(medicalServices.id, reservationRequests.serviceId))
    .where(and(eq(requestMoves.profileId, profileId), eq(requestMoves.status, 'pending'), gt(deadline, now)))
    .orderBy(asc(deadline), asc(requestMoves.createdAt));
  return rows.map((r) => ({
    moveId: r.moveId,
    requestId: r.requestId,
    reservationId: r.reservationId,
    patient: { name: r.patientName, phone: r.phone, email: r.email },
    service: { name: r.serviceName, durationMinutes: r.durationMinutes },
    from: { startsAt: r.fromStartsAt, endsAt: r.fromEndsAt },
    to: { startsAt: r.toStartsAt, endsAt: r.toEndsAt },
    askedAt: r.askedAt,
    deadline: r.deadline,
  }));
}

/** For the pending list: the time each moved request asked for before its latest move ("was Tue 10:00"). */
export async function appliedMovesByRequest(db: Executor, profileId: string, requestIds: string[]): Promise<Map<string, { fromStartsAt: Date; fromEndsAt: Date; movedAt: Date }>> {
  const out = new Map<string, { fromStartsAt: Date; fromEndsAt: Date; movedAt: Date }>();
  if (!requestIds.length) return out;
  const rows = await db
    .select({ requestId: requestMoves.requestId, fromStartsAt: requestMoves.fromStartsAt, fromEndsAt: requestMoves.fromEndsAt, movedAt: requestMoves.createdAt })
    .from(requestMoves)
    .where(and(eq(requestMoves.profileId, profileId), inArray(requestMoves.requestId, requestIds), eq(requestMoves.status, 'applied')))
    .orderBy(desc(requestMoves.createdAt));
  for (const r of rows) if (!out.has(r.requestId)) out.set(r.requestId, { fromStartsAt: r.fromStartsAt, fromEndsAt: r.fromEndsAt, movedAt: r.movedAt });
  return out;
}

/**
 * The sweep: every move still waiting past its deadline, or whose appointment is no longer
 * confirmed, is withdrawn and its held time freed (one transaction each). A system entry point.
 */
export async function expireOverdueMoves(opts?: Omit<CallOptions, 'tx'>): Promise<number> {
  const now = opts?.now ?? new Date();
  const db = await getDb();
  const due = await db.execute<{ id: string; request_id: string }>(sql`
    SELECT m.id, m.request_id FROM request_moves m
    JOIN profiles p ON p.id = m.profile_id
    JOIN reservation_requests r ON r.id = m.request_id
    LEFT JOIN reservations v ON v.request_id = r.id
    WHERE m.status = 'pending'
      AND (${moveDeadlineSql('m', 'p')} <= ${now.toISOString()} OR r.status <> 'approved' OR v.status IS DISTINCT FROM 'confirmed')
    ORDER BY m.created_at LIMIT 200`);
  let total = 0;
  for (const { id, request_id: requestId } of due.rows) {
    const done = await db.transaction(async (tx: Tx) => {
      await tx.execute(sql`SELECT id FROM reservation_requests WHERE id = ${requestId} FOR UPDATE`);
      await tx.execute(sql`SELECT id FROM reservations WHERE request_id = ${requestId} FOR UPDATE`);
      const [still] = (
        await tx.execute<{ id: string }>(sql`
          SELECT m.id FROM request_moves m JOIN profiles p ON p.id = m.profile_id
          JOIN reservation_requests r ON r.id = m.request_id LEFT JOIN reservations v ON v.request_id = r.id
          WHERE m.id = ${id} AND m.status = 'pending'
            AND (${moveDeadlineSql('m', 'p')} <= ${now.toISOString()} OR r.status <> 'approved' OR v.status IS DISTINCT FROM 'confirmed')`)
      ).rows;
      return still ? expireMove(tx, id, requestId, now) : false;
    });
    if (done) total++;
  }
  if (total) dispatchOutboxAfterCommit();
  return total;
}
