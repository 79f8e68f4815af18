import { and, desc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { medicalServices, patients, profiles, requestMoves, requestProposals, reservationRequests, reservations, type RequestStatus } from '@/db/schema';
import { audit } from '@/lib/audit';
import { findBookableStarts } from '@/lib/availability/query';
import { localDateOf } from '@/lib/availability/time';
import { executor, rowCount, transaction, type CallOptions, type Tx } from '@/lib/db';
import { DomainError, pgErrorCode, type ErrorCode } from '@/lib/errors';
import { formatDateTime } from '@/lib/format';
import { errorText } from '@/lib/i18n/errors';
import { formatDateTime as formatDateTimeIn, formatSpan } from '@/lib/i18n/format';
import { queueExpired } from '@/lib/notifications';
import { queueMoveApplied, queueMoveAsked, queueMoveDecided } from '@/lib/notifications/moves';
import { dispatchOutboxAfterCommit } from '@/lib/outbox';
import { parseInput } from '@/lib/validation/fields';
import { requestTokenSchema } from '@/lib/validation/requests';
import { checkBookingWindow, checkPendingCap, slotUnavailable } from './claim';
import { statusUrl } from './create';
import { lockMoveSlots, minutesInWords, moveDeadline, moveRefused } from './move-rules';
import { expireOverdueHolders, releaseSlots } from './slots';
import { hashToken } from './tokens';

/**
 * The patient moves their request to another free time, authorized by the status token (the
 * contact was proved when the request was made). See move-rules.ts for the states, the limits and
 * the lock order.
 */

/** Seconds after the practice's answer during which a move waits (the answer may still be undone). */
const AFTER_DECISION_SECONDS = 10;

const moveSchema = z.object({ startsAt: z.iso.datetime({ offset: true, message: errorText('moves.chooseFree') }) });

export type MoveInput = z.input<typeof moveSchema>;

export interface MoveOptions extends CallOptions {
  /** Origin for the status link in the patient's message, e.g. https://example.com */
  baseUrl?: string;
}

export interface MoveResult {
  moveId: string;
  /** applied: a pending request now asks for the new time; pending: the practice must approve the move of an appointment. */
  status: 'applied' | 'pending';
  startsAt: Date;
  endsAt: Date;
  /** When the practice must answer: the request's deadline, or the move's. */
  deadline: Date;
  timeZone: string;
}

export interface PendingMove {
  id: string;
  toStartsAt: Date;
  toEndsAt: Date;
  deadline: Date;
}

/** What the move page and the status page need: can this request move now, and if not why. */
export interface MoveContext {
  requestId: string;
  status: RequestStatus;
  startsAt: Date;
  endsAt: Date;
  service: { id: string; name: string; durationMinutes: number };
  profile: { id: string; slug: string; name: string; timeZone: string };
  /** Null when a move is possible now; otherwise why not, in words the patient can act on. */
  refusal: string | null;
  /** The refusal's error code, so a page in another language can fall back to its code's text. */
  refusalCode: ErrorCode | null;
  movesLeft: number;
  /** The last moment a move may be asked. */
  cutoffAt: Date;
  /** An approved request's move needs the practice's approval; a pending one's is applied at once. */
  needsApproval: boolean;
  pendingMove: PendingMove | null;
}

/** Whether, and how, the holder of a status token may move their request now. */
export async function moveContext(token: string, opts?: CallOptions): Promise<MoveContext> {
  if (!requestTokenSchema.safeParse(token).success) throw new DomainError('not_found', errorText('moves.noRequest'));
  const now = opts?.now ?? new Date();
  const db = await executor(opts);
  const [row] = await requestQuery(db, token);
  if (!row) throw new DomainError('not_found', errorText('moves.noRequest'));
  const [pending] = row.status === 'approved' ? await pendingMoveOf(db, row.id) : [];
  const pendingMove = pending ? { id: pending.id, toStartsAt: pending.toStartsAt, toEndsAt: pending.toEndsAt, deadline: moveDeadline(pending, row) } : null;
  const offered = row.status === 'pending' && row.proposedAt ? await hasOffers(db, row.id) : false;
  let refusal: string | null = null;
  let refusalCode: ErrorCode | null = null;
  try {
    checkMovable(row, now, { offered, pendingMove: pendingMove && pendingMove.deadline > now ? pendingMove : null });
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    refusal = err.message;
    refusalCode = err.code;
  }
  return {
    requestId: row.id,
    status: statusOf(row, now),
    startsAt: row.startsAt,
    endsAt: row.endsAt,
    service: { id: row.serviceId, name: row.serviceName, durationMinutes: row.durationMinutes },
    profile: { id: row.profileId, slug: row.slug, name: row.practiceName, timeZone: row.timeZone },
    refusal,
    refusalCode,
    movesLeft: Math.max(0, row.maxMovesPerRequest - row.moveCount),
    cutoffAt: new Date(row.startsAt.getTime() - row.moveCutoffMinutes * 60_000),
    needsApproval: row.status === 'approved',
    pendingMove: pendingMove && pendingMove.deadline > now ? pendingMove : null,
  };
}

/**
 * Moves the request to `startsAt`, all or none, in one transaction. A pending request: the new time
 * is held for it, the old one released, its times updated (applied). An approved request: the new
 * time is held as `pending_approval` under the same request while the appointment keeps its time,
 * until the practice approves or declines the move (pending).
 */
export async function moveRequest(token: string, input: MoveInput, opts?: MoveOptions): Promise<MoveResult> {
  if (!requestTokenSchema.safeParse(token).success) throw new DomainError('not_found', errorText('moves.noRequest'));
  const { startsAt: startsAtIso } = parseInput(moveSchema, input);
  const now = opts?.now ?? new Date();
  const startsAt = new Date(startsAtIso);
  const baseUrl = opts?.baseUrl ?? 'http://localhost';
  let result: MoveResult;
  try {
    result = await transaction(opts, async (tx) => {
      const row = await lockRequest(tx, token);
      const [pending] = row.status === 'approved' ? await pendingMoveOf(tx, row.id) : [];
      if (pending && moveDeadline(pending, row) <= now) await expireMove(tx, pending.id, row.id, now);
      const offered = row.status === 'pending' && row.proposedAt ? await hasOffers(tx, row.id) : false;
      checkMovable(row, now, { offered, pendingMove: pending && moveDeadline(pending, row) > now ? pending : null });
      if (startsAt.getTime() === row.startsAt.getTime()) {
        throw new DomainError('invalid_request', errorText('moves.sameTime'), { startsAt: errorText('moves.chooseAnother') });
      }
      const endsAt = new Date(startsAt.getTime() + row.durationMinutes * 60_000);
      checkBookingWindow(row, startsAt, now);
      await checkBookable(tx, row, startsAt, now);

      if (row.status === 'approved') {
        // A second held time: within the contact's cap of waiting times (claim.ts), under its lock.
        for (const contact of verifiedContacts(row)) {
          await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`contact:${row.profileId}:${contact.kind}:${contact.value}`}, 0))`);
          await checkPendingCap(tx, { ...row, id: row.profileId }, { ...contact, by: 'code' }, now);
        }
      }
      for (const expiredId of await expireOverdueHolders(tx, row.profileId, startsAt, endsAt, now)) await queueExpired(tx, { requestId: expiredId, now });
      const slotIds = await lockMoveSlots(tx, row.profileId, row.id, row.serviceId, startsAt, endsAt);
      const from = { startsAt: row.startsAt, endsAt: row.endsAt };

      if (row.status === 'pending') {
        await releaseSlots(tx, row.id, now);
        await hold(tx, row.id, slotIds);
        const expiresAt = new Date(Math.min(row.expiresAt.getTime(), startsAt.getTime() - row.minNoticeMinutes * 60_000));
        if (expiresAt <= now) throw slotUnavailable(errorText('moves.tooSoon'));
        await tx
          .update(reservationRequests)
          .set({ startsAt, endsAt, expiresAt, moveCount: sql`${reservationRequests.moveCount} + 1` })
          .where(eq(reservationRequests.id, row.id));
        const [move] = await tx
          .insert(requestMoves)
          .values({ requestId: row.id, profileId: row.profileId, fromStartsAt: from.startsAt, fromEndsAt: from.endsAt, toStartsAt: startsAt, toEndsAt: endsAt, status: 'applied', createdAt: now, decidedAt: now })
          .returning({ id: requestMoves.id });
        await audit(tx, moveAudit(row, 'request.moved', move.id, from.startsAt, startsAt));
        const facts = { moveId: move.id, from, to: { startsAt, endsAt }, deadline: expiresAt };
        await queueMoveApplied(tx, { requestId: row.id, move: facts, statusUrl: statusUrl(baseUrl, token), baseUrl, now });
        return { moveId: move.id, status: 'applied' as const, startsAt, endsAt, deadline: expiresAt, timeZone: row.timeZone };
      }

      await hold(tx, row.id, slotIds);
      const [move] = await tx
        .insert(requestMoves)
        .values({ requestId: row.id, profileId: row.profileId, fromStartsAt: from.startsAt, fromEndsAt: from.endsAt, toStartsAt: startsAt, toEndsAt: endsAt, status: 'pending', createdAt: now })
        .returning({ id: requestMoves.id });
      await tx.update(reservationRequests).set({ moveCount: sql`${reservationRequests.moveCount} + 1` }).where(eq(reservationRequests.id, row.id));
      const deadline = moveDeadline({ createdAt: now, toStartsAt: startsAt, fromStartsAt: from.startsAt }, row);
      if (deadline <= now) throw slotUnavailable(errorText('moves.tooSoon'));
      await audit(tx, moveAudit(row, 'request.move_asked', move.id, from.startsAt, startsAt));
      await queueMoveAsked(tx, { requestId: row.id, move: { moveId: move.id, from, to: { startsAt, endsAt }, deadline }, baseUrl, now });
      return { moveId: move.id, status: 'pending' as const, startsAt, endsAt, deadline, timeZone: row.timeZone };
    });
  } catch (err) {
    const code = pgErrorCode(err);
    if (code === '40P01' || code === '40001' || code === '23P01') throw slotUnavailable(errorText('moves.justTakenChoose'));
    if (code === '23505') throw moveRefused(errorText('moves.alreadyAsked'));
    throw err;
  }
  if (!opts?.tx) dispatchOutboxAfterCommit();
  return result;
}

/** The patient keeps their appointment's time after all: the move waiting for the practice is withdrawn and its time freed. */
export async function withdrawMove(token: string, input: Record<string, unknown> = {}, opts?: CallOptions): Promise<{ withdrawn: boolean }> {
  if (!requestTokenSchema.safeParse(token).success) throw new DomainError('not_found', errorText('moves.noRequest'));
  parseInput(z.object({}), input);
  const now = opts?.now ?? new Date();
  const withdrawn = await transaction(opts, async (tx) => {
    const row = await lockRequest(tx, token);
    const [pending] = await pendingMoveOf(tx, row.id, true);
    if (!pending) return false;
    await releaseHeldMove(tx, row.id, now);
    await tx.update(requestMoves).set({ status: 'withdrawn', decidedAt: now }).where(and(eq(requestMoves.id, pending.id), eq(requestMoves.status, 'pending')));
    await audit(tx, moveAudit(row, 'request.move_withdrawn', pending.id, pending.fromStartsAt, pending.toStartsAt));
    await tx.execute(sql`
      UPDATE notifications SET status = 'skipped', skip_reason = 'request_answered', lease_until = NULL
      WHERE request_id = ${row.id} AND kind = 'move_requested' AND status IN ('pending', 'sending')`);
    return true;
  });
  return { withdrawn };
}

/**
 * A move of an appointment that nobody answered by its deadline: its held time is freed, the move
 * withdrawn, and the patient told the appointment stays. Inside the caller's transaction, with
 * the request (and its reservation) already locked.
 */
export async function expireMove(tx: Tx, moveId: string, requestId: string, now: Date): Promise<boolean> {
  const [move] = await tx
    .update(requestMoves)
    .set({ status: 'withdrawn', decidedAt: now })
    .where(and(eq(requestMoves.id, moveId), eq(requestMoves.status, 'pending')))
    .returning();
  if (!move) return false;
  await releaseHeldMove(tx, requestId, now);
  await audit(tx, {
    profileId: move.profileId,
    actorUserId: null,
    actorKind: 'system',
    action: 'request.move_expired',
    entityType: 'reservation_request',
    entityId: requestId,
    details: { moveId, from: move.fromStartsAt.toISOString(), to: move.toStartsAt.toISOString() },
  });
  const [request] = await tx
    .select({ moveCount: reservationRequests.moveCount, status: reservationRequests.status, reservationStatus: reservations.status })
    .from(reservationRequests)
    .leftJoin(reservations, eq(reservations.requestId, reservationRequests.id))
    .where(eq(reservationRequests.id, requestId));
  if (request?.status === 'approved' && request.reservationStatus === 'confirmed') {
    await queueMoveDecided(tx, { requestId, move: factsOf(move, now), outcome: 'unanswered', sequence: request.moveCount, now });
  }
  return true;
}

/** An appointment's held new time (its `pending_approval` slots) goes back; the reserved ones stay. */
export async function releaseHeldMove(tx: Tx, requestId: string, now: Date): Promise<number> {
  const result = await tx.execute(sql`
    UPDATE time_slots
    SET status = (CASE WHEN starts_at > ${now.toISOString()} THEN 'available' ELSE 'expired' END)::slot_status, request_id = NULL, updated_at = now()
    WHERE request_id = ${requestId} AND status = 'pending_approval'`);
  return rowCount(result);
}

export function factsOf(move: { id: string; fromStartsAt: Date; fromEndsAt: Date; toStartsAt: Date; toEndsAt: Date }, deadline: Date) {
  return { moveId: move.id, from: { startsAt: move.fromStartsAt, endsAt: move.fromEndsAt }, to: { startsAt: move.toStartsAt, endsAt: move.toEndsAt }, deadline };
}

// ---------------------------------------------------------------------------

type Db = Awaited<ReturnType<typeof executor>>;

function requestQuery(db: Db, token: string) {
  return db
    .select({
      id: reservationRequests.id,
      profileId: reservationRequests.profileId,
      serviceId: reservationRequests.serviceId,
      status: reservationRequests.status,
      startsAt: reservationRequests.startsAt,
      endsAt: reservationRequests.endsAt,
      expiresAt: reservationRequests.expiresAt,
      decidedAt: reservationRequests.decidedAt,
      proposedAt: reservationRequests.proposedAt,
      moveCount: reservationRequests.moveCount,
      serviceName: medicalServices.name,
      durationMinutes: medicalServices.durationMinutes,
      slug: profiles.slug,
      practiceName: profiles.displayName,
      timeZone: profiles.timeZone,
      approvalWindowMinutes: profiles.approvalWindowMinutes,
      minNoticeMinutes: profiles.minNoticeMinutes,
      horizonDays: profiles.horizonDays,
      maxPendingPerContact: profiles.maxPendingPerContact,
      moveCutoffMinutes: profiles.moveCutoffMinutes,
      maxMovesPerRequest: profiles.maxMovesPerRequest,
      patientPhone: patients.phone,
      patientEmail: patients.email,
      phoneVerifiedAt: patients.phoneVerifiedAt,
      emailVerifiedAt: patients.emailVerifiedAt,
      reservationId: reservations.id,
      reservationStatus: reservations.status,
    })
    .from(reservationRequests)
    .innerJoin(medicalServices, eq(medicalServices.id, reservationRequests.serviceId))
    .innerJoin(profiles, eq(profiles.id, reservationRequests.profileId))
    .innerJoin(patients, eq(patients.id, reservationRequests.patientId))
    .leftJoin(reservations, eq(reservations.requestId, reservationRequests.id))
    .where(eq(reservationRequests.tokenHash, hashToken(token)))
    .limit(1);
}

type RequestRow = Awaited<ReturnType<typeof requestQuery>>[number];

/**
 * The request locked, then its appointment (move-rules.ts: lock order), then read in full: read
 * after the locks, so a decision that committed while this waited is seen (a row locked in a join
 * would be re-checked, but not the rows joined to it).
 */
async function lockRequest(tx: Tx, token: string): Promise<RequestRow> {
  const locked = await tx.execute<{ id: string }>(sql`SELECT id FROM reservation_requests WHERE token_hash = ${hashToken(token)} FOR UPDATE`);
  const id = locked.rows[0]?.id;
  if (!id) throw new DomainError('not_found', errorText('moves.noRequest'));
  await tx.execute(sql`SELECT id FROM reservations WHERE request_id = ${id} FOR UPDATE`);
  const [row] = await requestQuery(tx, token);
  return row;
}

function pendingMoveOf(db: Db, requestId: string, lock = false) {
  const q = db
    .select()
    .from(requestMoves)
    .where(and(eq(requestMoves.requestId, requestId), eq(requestMoves.status, 'pending')))
    .orderBy(desc(requestMoves.createdAt))
    .limit(1);
  return lock ? q.for('update') : q;
}

async function hasOffers(db: Db, requestId: string): Promise<boolean> {
  const rows = await db
    .select({ id: requestProposals.id })
    .from(requestProposals)
    .where(and(eq(requestProposals.requestId, requestId), eq(requestProposals.status, 'offered')))
    .limit(1);
  return rows.length > 0;
}

function statusOf(row: RequestRow, now: Date): RequestStatus {
  if (row.status === 'pending' && row.expiresAt <= now) return 'expired';
  if (row.status === 'approved' && row.reservationStatus === 'cancelled') return 'cancelled';
  return row.status;
}

/** Throws, in words the patient can act on, when the request may not move now. */
function checkMovable(row: RequestRow, now: Date, state: { offered: boolean; pendingMove: unknown }): void {
  const status = statusOf(row, now);
  if (status === 'expired') throw new DomainError('request_expired', errorText('moves.expired'));
  const live = (status === 'pending') || (status === 'approved' && row.reservationStatus === 'confirmed');
  if (!live) throw new DomainError('request_not_pending', errorText('moves.notLive'));
  if (row.startsAt <= now) throw new DomainError('request_not_pending', errorText('moves.started'));
  if (row.maxMovesPerRequest === 0) throw moveRefused(errorText('moves.notOnline', { practice: row.practiceName }));
  if (row.moveCount >= row.maxMovesPerRequest) {
    throw moveRefused(errorText('moves.limit', { kind: row.status === 'pending' ? 'request' : 'appointment', count: row.moveCount, practice: row.practiceName }));
  }
  const cutoffAt = new Date(row.startsAt.getTime() - row.moveCutoffMinutes * 60_000);
  if (now > cutoffAt) {
    throw moveRefused(
      // The cut-off and its instant in the reader's words (English as lib/format writes them).
      errorText('moves.cutoff', {}, (l) =>
        l === 'en'
          ? { span: minutesInWords(row.moveCutoffMinutes), at: formatDateTime(cutoffAt, row.timeZone) }
          : { span: formatSpan(l, row.moveCutoffMinutes), at: formatDateTimeIn(l, cutoffAt, row.timeZone) },
      ),
    );
  }
  if (state.offered) throw moveRefused(errorText('moves.offered'));
  if (state.pendingMove) throw moveRefused(errorText('moves.alreadyAsked'));
  if (row.status === 'approved' && row.decidedAt && row.decidedAt.getTime() + AFTER_DECISION_SECONDS * 1000 > now.getTime()) {
    throw moveRefused(errorText('moves.justAnswered'));
  }
}

/** A start the booking page would offer now for the service (free, within notice and horizon). */
async function checkBookable(tx: Tx, row: RequestRow, startsAt: Date, now: Date): Promise<void> {
  const day = localDateOf(startsAt, row.timeZone);
  const free = await findBookableStarts({ profileId: row.profileId }, { serviceId: row.serviceId, from: day, to: day }, { tx, now });
  if (!free.starts.some((s) => s.startsAt.getTime() === startsAt.getTime())) {
    throw slotUnavailable(errorText('moves.notFree'));
  }
}

async function hold(tx: Tx, requestId: string, slotIds: string[]): Promise<void> {
  const held = await tx.execute(sql`
    UPDATE time_slots SET status = 'pending_approval', request_id = ${requestId}, updated_at = now()
    WHERE id IN (${sql.join(slotIds.map((id) => sql`${id}`), sql`, `)}) AND status = 'available'`);
  if (rowCount(held) !== slotIds.length) throw slotUnavailable(errorText('moves.justTakenChoose'));
}

/** The patient's proved contacts (a phone-in patient's phone when none was proved), in a fixed order for the locks. */
function verifiedContacts(row: RequestRow): { kind: 'email' | 'phone'; value: string }[] {
  const out: { kind: 'email' | 'phone'; value: string }[] = [];
  if (row.emailVerifiedAt && row.patientEmail) out.push({ kind: 'email', value: row.patientEmail.toLowerCase() });
  if (row.phoneVerifiedAt || !out.length) out.push({ kind: 'phone', value: row.patientPhone });
  return out;
}

function moveAudit(row: { id: string; profileId: string }, action: string, moveId: string, from: Date, to: Date) {
  return {
    profileId: row.profileId,
    actorUserId: null,
    actorKind: 'patient' as const,
    action,
    entityType: 'reservation_request',
    entityId: row.id,
    details: { moveId, from: from.toISOString(), to: to.toISOString() },
  };
}
