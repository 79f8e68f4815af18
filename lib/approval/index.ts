import { randomUUID } from 'node:crypto';
import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { auditLog, eventOutbox, medicalServices, notifications, patients, profiles, reservationRequests, reservations } from '@/db/schema';
import { reasonForPatient } from '@/lib/appointments/detail';
import { audit } from '@/lib/audit';
import type { Actor, Membership } from '@/lib/auth/actor';
import { authorize } from '@/lib/auth/permissions';
import { expireRequest } from '@/lib/booking/expire';
import { releaseSlotsParts } from '@/lib/booking/slots';
import { scopedRow } from '@/lib/data/scope';
import { executePrepared, executor, insertWhen, rowCount, transaction, writeTogether, type CallOptions, type Executor, type Tx } from '@/lib/db';
import { DomainError } from '@/lib/errors';
import { errorText } from '@/lib/i18n/errors';
import { formatDateTime, zoneName } from '@/lib/i18n/format';
import { logWarn } from '@/lib/log';
import { sendRequestNotifications } from '@/lib/notifications';
import { decisionMessages, loadedOf, messagesQuery, messagesQueryWith, practiceNotices, skipStatement, type MessageRow, type NewRow } from '@/lib/notifications/queue';
import { dispatchOutboxAfterCommit } from '@/lib/outbox';
import { parseInput } from '@/lib/validation/fields';

/**
 * Seconds after an approval or a rejection during which it can be undone. The decision's messages
 * are queued due at the end of this window, so nothing leaves before it closes.
 */
export const UNDO_SECONDS = 10;

const approveSchema = z.object({ requestId: z.string({ error: 'Which request?' }) });
const rejectSchema = approveSchema.extend({ reason: reasonForPatient });
const bulkSchema = z.object({
  requestIds: z.preprocess((v) => (typeof v === 'string' ? [v] : v), z.array(z.string()).min(1, 'Select at least one request.').max(100, 'At most 100 at once.')),
});

export type ApproveInput = z.input<typeof approveSchema>;
export type RejectInput = z.input<typeof rejectSchema>;
export type UndoInput = z.input<typeof approveSchema>;
export type BulkApproveInput = z.input<typeof bulkSchema>;

/** What a decision's confirmation says: who, what, when. */
export interface DecidedRequest {
  requestId: string;
  patientName: string;
  serviceName: string;
  startsAt: Date;
  timeZone: string;
  /** Until when the decision can be undone (nothing has been sent before then); null: it cannot. */
  undoUntil: Date | null;
}

export interface ApprovalResult extends DecidedRequest {
  reservationId: string;
  /** False when the request had already been approved: approving twice is harmless. */
  changed: boolean;
}

/** Options of a decision: `undoSeconds` (the dashboard passes UNDO_SECONDS) holds its messages; 0 (the default) sends at once. */
export interface DecisionOptions extends CallOptions {
  undoSeconds?: number;
}

/**
 * Whether the actor may answer this practice's requests: doctors always; front-desk members only
 * where the practice allows it (`front_desk_decides`). Returns the membership.
 */
export async function authorizeDecision(
  actor: Actor | null,
  profileId: string,
  permission: 'requests.decide' | 'requests.propose',
  db: Executor,
): Promise<Membership> {
  const membership = authorize(actor, profileId, permission);
  if (!membership.roles.includes('doctor')) {
    const [practice] = await db.select({ allowed: profiles.frontDeskDecides }).from(profiles).where(eq(profiles.id, profileId)).limit(1);
    checkFrontDesk(membership, practice?.allowed ?? false);
  }
  return membership;
}

/** Doctors always answer; front-desk members only where the practice's `front_desk_decides` is on. */
function checkFrontDesk(membership: Membership, frontDeskDecides: boolean): void {
  if (!membership.roles.includes('doctor') && !frontDeskDecides) {
    throw new DomainError('forbidden', errorText('decisions.doctorsOnly'));
  }
}

/** Whether the actor may answer this practice's requests now (for what a page shows). */
export async function mayDecide(actor: Actor | null, profileId: string, opts?: CallOptions): Promise<boolean> {
  try {
    await authorizeDecision(actor, profileId, 'requests.decide', await executor(opts));
    return true;
  } catch (err) {
    if (err instanceof DomainError && err.code === 'forbidden') return false;
    throw err;
  }
}

/**
 * The doctor (or an allowed front desk) approves a pending request: compare-and-set pending →
 * approved (only before its deadline), the reservation, slots → reserved, audit, and
 * `reservation/decided` and `reservation/confirmed` to the outbox, in one transaction. The
 * patient's messages are due when the undo window closes.
 */
export async function approveRequest(actor: Actor | null, profileId: string, input: ApproveInput, opts?: DecisionOptions): Promise<ApprovalResult> {
  const membership = authorize(actor, profileId, 'requests.decide');
  const { requestId } = parseInput(approveSchema, input);
  const now = opts?.now ?? new Date();
  const undoSeconds = opts?.undoSeconds ?? 0;
  // Two round trips: BEGIN with one read locking the request (with what its messages name), then one write with its COMMIT.
  const outcome = await transaction(opts, async (tx) => {
    const request = await loadDecision(tx, profileId, requestId);
    checkFrontDesk(membership, request.frontDeskDecides);
    if (request.status === 'pending' && request.proposedAt) return { kind: 'proposed' as const, request };
    const reservationId = await approveHeld(tx, actor!, request, now, { undoSeconds, action: 'request.approved', messages: request, last: !opts?.tx });
    if (!reservationId) return { kind: 'refused' as const, request };
    return { kind: 'approved' as const, request, reservationId };
  });
  if (outcome.kind === 'proposed') {
    throw new DomainError('request_not_pending', errorText('decisions.offered'));
  }
  if (outcome.kind === 'refused') {
    const r = outcome.request;
    if (r.status === 'approved') {
      const db = await executor(opts);
      const [existing] = await db.select({ id: reservations.id }).from(reservations).where(eq(reservations.requestId, r.id)).limit(1);
      if (existing) return { ...summaryOf(r, null), reservationId: existing.id, changed: false };
    }
    throw await refusal(r, now, opts);
  }
  if (!opts?.tx) afterDecision(outcome.request.id, 'approved', undoSeconds);
  return { ...summaryOf(outcome.request, undoUntil(now, undoSeconds)), reservationId: outcome.reservationId, changed: true };
}

/**
 * Approves a request whose slots it holds, inside the caller's transaction: the compare-and-set,
 * the reservation, the slots reserved, audit, events and messages (due after `undoSeconds`).
 * Returns the reservation's id, or null when the request was no longer pending before its deadline.
 * Also used to book a phone-in patient and to accept an offered time.
 */
export async function approveHeld(
  tx: Tx,
  actor: Actor | null,
  request: { id: string; profileId: string; serviceId: string; patientId: string; startsAt: Date; endsAt: Date },
  now: Date,
  how: {
    undoSeconds: number;
    action: string;
    details?: Record<string, unknown>;
    actorKind?: 'user' | 'patient';
    messages?: MessageRow;
    /** The write is the last statement of a transaction the caller owns: it goes with the COMMIT (executePrepared). */
    last?: boolean;
  },
): Promise<string | null> {
  const byUser = (how.actorKind ?? 'user') === 'user' && actor !== null;
  const row = how.messages ?? (await messagesQuery(tx).where(eq(reservationRequests.id, request.id)).limit(1))[0];
  const reservationId = randomUUID();
  const decided = { ...row, startsAt: request.startsAt, endsAt: request.endsAt, reservationId, cancelReason: null };
  const messages = heldForUndo(decisionMessages(loadedOf(decided), 'approved', now), now, how.undoSeconds);
  // One statement: the compare-and-set (pending, before its deadline) and, only if it won, the
  // reservation, the slots reserved, audit, both events, the practice's notices skipped, messages.
  const won = sql`EXISTS (SELECT 1 FROM won)`;
  const nowIso = now.toISOString();
  const result = await executePrepared<{ won: number }>(
    tx,
    writeTogether(
      {
        won: sql`UPDATE reservation_requests SET status = 'approved', decided_at = ${nowIso}, decided_by = ${byUser ? actor!.userId : null},
            starts_at = ${request.startsAt.toISOString()}, ends_at = ${request.endsAt.toISOString()}
          WHERE id = ${request.id} AND status = 'pending' AND expires_at > ${nowIso} RETURNING id`,
        reservation: insertWhen(
          reservations,
          [{ id: reservationId, requestId: request.id, profileId: request.profileId, serviceId: request.serviceId, patientId: request.patientId, startsAt: request.startsAt, endsAt: request.endsAt, status: 'confirmed', confirmedAt: now }],
          won,
        ),
        slots: sql`UPDATE time_slots SET status = 'reserved', updated_at = now() WHERE request_id = ${request.id} AND status = 'pending_approval' AND ${won}`,
        audit: insertWhen(
          auditLog,
          [
            {
              profileId: request.profileId,
              actorUserId: byUser ? actor!.userId : null,
              actorKind: how.actorKind ?? 'user',
              action: how.action,
              entityType: 'reservation_request',
              entityId: request.id,
              details: { reservationId, ...how.details },
            },
          ],
          won,
        ),
        events: insertWhen(
          eventOutbox,
          [
            { eventId: `request-${request.id}-decided`, name: 'reservation/decided', data: { requestId: request.id, profileId: request.profileId, decision: 'approved' } },
            { eventId: `reservation-${reservationId}-confirmed`, name: 'reservation/confirmed', data: { reservationId, requestId: request.id, profileId: request.profileId } },
          ],
          won,
          sql`ON CONFLICT (event_id) DO NOTHING`,
        ),
        answered: skipStatement(tx, and(practiceNotices(request.id), won), 'request_answered'),
        messages: messages.length ? insertWhen(notifications, messages, won, sql`ON CONFLICT (dedupe_key) DO NOTHING`) : null,
      },
      sql`SELECT (SELECT count(*) FROM won)::int AS won`,
    ),
    // Every part waits on the compare-and-set: a lost one commits nothing.
    { commit: how.last },
  );
  return Number(result.rows[0]?.won) ? reservationId : null;
}

/** The doctor rejects a pending request with a reason the patient will read; its slots are free. */
export async function rejectRequest(actor: Actor | null, profileId: string, input: RejectInput, opts?: DecisionOptions): Promise<DecidedRequest> {
  const membership = authorize(actor, profileId, 'requests.decide');
  const { requestId, reason } = parseInput(rejectSchema, input, 'Give the patient a reason (up to 1,000 characters).');
  const now = opts?.now ?? new Date();
  const undoSeconds = opts?.undoSeconds ?? 0;
  // Two round trips: BEGIN with one read locking the request (with what its messages name), then one write with its COMMIT.
  const refused = await transaction(opts, async (tx) => {
    const request = await loadDecision(tx, profileId, requestId);
    checkFrontDesk(membership, request.frontDeskDecides);
    const messages = heldForUndo(decisionMessages(loadedOf({ ...request, decisionReason: reason }), 'rejected', now), now, undoSeconds);
    // One statement: the compare-and-set and, only if it won, the requested time and any offered
    // ones given back, the offers released, audit, the event, the practice's notices skipped, messages.
    const won = sql`EXISTS (SELECT 1 FROM won)`;
    const nowIso = now.toISOString();
    const result = await executePrepared<{ won: number }>(
      tx,
      writeTogether(
        {
          won: sql`UPDATE reservation_requests SET status = 'rejected', decided_at = ${nowIso}, decided_by = ${actor!.userId}, decision_reason = ${reason}
            WHERE id = ${request.id} AND status = 'pending' AND expires_at > ${nowIso} RETURNING id`,
          ...releaseSlotsParts(request.id, now, won),
          offers: sql`UPDATE request_proposals SET status = 'released', decided_at = ${nowIso} WHERE request_id = ${request.id} AND status = 'offered' AND ${won}`,
          audit: insertWhen(
            auditLog,
            [{ profileId: request.profileId, actorUserId: actor!.userId, actorKind: 'user', action: 'request.rejected', entityType: 'reservation_request', entityId: request.id, details: { reason } }],
            won,
          ),
          event: insertWhen(
            eventOutbox,
            [{ eventId: `request-${request.id}-decided`, name: 'reservation/decided', data: { requestId: request.id, profileId: request.profileId, decision: 'rejected' } }],
            won,
            sql`ON CONFLICT (event_id) DO NOTHING`,
          ),
          answered: skipStatement(tx, and(practiceNotices(request.id), won), 'request_answered'),
          messages: messages.length ? insertWhen(notifications, messages, won, sql`ON CONFLICT (dedupe_key) DO NOTHING`) : null,
        },
        sql`SELECT (SELECT count(*) FROM won)::int AS won`,
      ),
      // The last statement, with the COMMIT when this call owns the transaction; every part waits
      // on the compare-and-set, so a lost one commits nothing.
      { commit: !opts?.tx },
    );
    return { refused: !Number(result.rows[0]?.won), request };
  });
  if (refused.refused) throw await refusal(refused.request, now, opts);
  if (!opts?.tx) afterDecision(refused.request.id, 'rejected', undoSeconds);
  return summaryOf(refused.request, undoUntil(now, undoSeconds));
}

export interface UndoResult extends DecidedRequest {
  /** What was undone. */
  undone: 'approved' | 'rejected';
  /** `pending` again with its deadline, or `expired` when the deadline passed meanwhile. */
  status: 'pending' | 'expired';
  expiresAt: Date;
}

/**
 * Undoes an approval or a rejection within UNDO_SECONDS, before any of its messages left: by
 * compare-and-set back to pending (same deadline), the decision's messages skipped (their keys
 * freed, so a new decision writes its own), an approval's reservation removed and its slots held
 * again, a rejection's slots held again (refused if the time was taken meanwhile), in one
 * transaction. A request whose deadline passed meanwhile expires at once.
 */
export async function undoDecision(actor: Actor | null, profileId: string, input: UndoInput, opts?: CallOptions): Promise<UndoResult> {
  authorize(actor, profileId, 'requests.decide');
  const { requestId } = parseInput(approveSchema, input);
  const now = opts?.now ?? new Date();
  const result = await transaction(opts, async (tx) => {
    await authorizeDecision(actor, profileId, 'requests.decide', tx);
    const request = await loadForDecision(tx, profileId, requestId);
    const undone = request.status;
    if (undone !== 'approved' && undone !== 'rejected') throw new DomainError('request_not_pending', errorText('decisions.nothingToUndo'));
    if (!request.decidedAt || request.decidedAt.getTime() + UNDO_SECONDS * 1000 <= now.getTime()) {
      throw new DomainError('conflict', errorText('decisions.undoTold'));
    }
    const [reservation] = await tx
      .select({ id: reservations.id, status: reservations.status })
      .from(reservations)
      .where(eq(reservations.requestId, request.id))
      .limit(1);
    const ours = reservation
      ? sql`((${notifications.requestId} = ${request.id} AND ${notifications.kind} IN ('approved', 'rejected')) OR ${notifications.reservationId} = ${reservation.id})`
      : sql`(${notifications.requestId} = ${request.id} AND ${notifications.kind} IN ('approved', 'rejected'))`;
    // Locked, so a sender cannot claim one of them between this check and the skip below.
    const mine = await tx.execute<{ status: string }>(sql`SELECT status FROM notifications WHERE ${ours} FOR UPDATE`);
    if (mine.rows.some((m) => m.status === 'sending' || m.status === 'sent')) throw new DomainError('conflict', errorText('decisions.undoSent'));

    const back = await tx
      .update(reservationRequests)
      .set({ status: 'pending', decidedAt: null, decidedBy: null, decisionReason: null, proposedAt: null })
      .where(and(eq(reservationRequests.id, request.id), eq(reservationRequests.status, undone), eq(reservationRequests.decidedAt, request.decidedAt)))
      .returning({ id: reservationRequests.id });
    if (!back.length) throw new DomainError('conflict', errorText('decisions.requestChanged'));

    // The decision's messages never leave; their keys are freed for the next decision's own.
    await tx.execute(sql`
      UPDATE notifications
      SET status = 'skipped', skip_reason = 'decision_undone', lease_until = NULL, reservation_id = NULL,
          dedupe_key = dedupe_key || ':undone:' || id::text
      WHERE ${ours} AND status IN ('pending', 'failed', 'skipped') AND dedupe_key NOT LIKE '%:undone:%'`);
    // The practice's notice and deadline warning apply again.
    await tx
      .update(notifications)
      .set({ status: 'pending', skipReason: null })
      .where(and(eq(notifications.requestId, request.id), inArray(notifications.kind, ['new_request', 'expiry_warning']), eq(notifications.status, 'skipped'), eq(notifications.skipReason, 'request_answered')));

    if (undone === 'approved') {
      if (reservation && reservation.status !== 'confirmed') throw new DomainError('conflict', errorText('decisions.appointmentChanged'));
      await tx.execute(sql`UPDATE time_slots SET status = 'pending_approval', updated_at = now() WHERE request_id = ${request.id} AND status = 'reserved'`);
      if (reservation) await tx.delete(reservations).where(eq(reservations.id, reservation.id));
    } else {
      // The rejection gave the time back: take it again, all of it, or refuse.
      const need = await tx.execute<{ n: number }>(sql`
        SELECT count(*)::int AS n FROM time_slots
        WHERE profile_id = ${request.profileId} AND starts_at >= ${request.startsAt.toISOString()} AND starts_at < ${request.endsAt.toISOString()}`);
      const held = await tx.execute(sql`
        UPDATE time_slots SET status = 'pending_approval', request_id = ${request.id}, updated_at = now()
        WHERE profile_id = ${request.profileId} AND starts_at >= ${request.startsAt.toISOString()} AND starts_at < ${request.endsAt.toISOString()}
          AND status = 'available'`);
      if (rowCount(held) !== Number(need.rows[0]?.n ?? -1)) throw new DomainError('slot_unavailable', errorText('decisions.timeTaken'));
    }
    await audit(tx, {
      profileId: request.profileId,
      actorUserId: actor!.userId,
      actorKind: 'user',
      action: 'request.decision_undone',
      entityType: 'reservation_request',
      entityId: request.id,
      details: { undone, ...(reservation ? { reservationId: reservation.id } : {}) },
    });
    let status: 'pending' | 'expired' = 'pending';
    if (request.expiresAt <= now) {
      await expireRequest(request.id, { tx, now });
      status = 'expired';
    }
    return { request, undone, status };
  });
  return { ...summaryOf(result.request, null), undone: result.undone, status: result.status, expiresAt: result.request.expiresAt };
}

export interface BulkApproval {
  approved: ApprovalResult[];
  refused: { requestId: string; message: string }[];
}

/** Approves each selected request on its own (one refusal does not stop the others). */
export async function approveRequests(actor: Actor | null, profileId: string, input: BulkApproveInput, opts?: DecisionOptions): Promise<BulkApproval> {
  authorize(actor, profileId, 'requests.decide');
  const { requestIds } = parseInput(bulkSchema, input);
  const out: BulkApproval = { approved: [], refused: [] };
  for (const requestId of [...new Set(requestIds)]) {
    try {
      const result = await approveRequest(actor, profileId, { requestId }, opts);
      if (result.changed) out.approved.push(result);
      else out.refused.push({ requestId, message: 'This request was already approved.' });
    } catch (err) {
      if (!(err instanceof DomainError) || err.code === 'forbidden') throw err;
      out.refused.push({ requestId, message: err.message });
    }
  }
  return out;
}

/** The decision's patient messages (and any reminder due within the window) wait for the undo window. */
function heldForUndo(rows: NewRow[], now: Date, undoSeconds: number): NewRow[] {
  if (undoSeconds <= 0) return rows;
  const due = new Date(now.getTime() + undoSeconds * 1000);
  return rows.map((row) =>
    row.kind === 'approved' || row.kind === 'rejected' || (row.reservationId && row.dueAt! < due) ? { ...row, dueAt: due, nextAttemptAt: due } : row,
  );
}

/**
 * After the commit: the engine's event (its notice finds the message not yet due) and, once the
 * undo window is over, the message itself from this process; the sweep sends it otherwise.
 */
function afterDecision(requestId: string, decision: 'approved' | 'rejected', undoSeconds: number): void {
  dispatchOutboxAfterCommit();
  if (undoSeconds <= 0) return;
  const timer = setTimeout(() => {
    sendRequestNotifications(requestId, [decision]).catch((err) => logWarn('approval.send_after_undo_failed', { requestId, error: err instanceof Error ? err.name : 'error' }));
  }, undoSeconds * 1000 + 500);
  timer.unref?.();
}

function undoUntil(now: Date, undoSeconds: number): Date | null {
  return undoSeconds > 0 ? new Date(now.getTime() + undoSeconds * 1000) : null;
}

type DecisionRow = Awaited<ReturnType<typeof loadForDecision>>;

/** The practice's request, locked for the decision, with what its confirmation names. */
export async function loadForDecision(tx: Tx, profileId: string, requestId: string) {
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
        decidedAt: reservationRequests.decidedAt,
        proposedAt: reservationRequests.proposedAt,
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

/** loadForDecision with what the decision's messages name (messageColumns) and the front-desk setting: one read. */
async function loadDecision(tx: Tx, profileId: string, requestId: string) {
  const read = (where: SQL) =>
    messagesQueryWith(tx, {
      id: reservationRequests.id,
      serviceId: reservationRequests.serviceId,
      patientId: reservationRequests.patientId,
      status: reservationRequests.status,
      decidedAt: reservationRequests.decidedAt,
      proposedAt: reservationRequests.proposedAt,
      frontDeskDecides: profiles.frontDeskDecides,
    })
      .where(where)
      .for('update', { of: reservationRequests })
      .limit(1);
  return scopedRow<Awaited<ReturnType<typeof read>>[number]>(reservationRequests, profileId, requestId, 'request', read);
}

function summaryOf(r: Pick<DecisionRow, 'id' | 'patientName' | 'serviceName' | 'startsAt' | 'timeZone'>, until: Date | null): DecidedRequest {
  return { requestId: r.id, patientName: r.patientName, serviceName: r.serviceName, startsAt: r.startsAt, timeZone: r.timeZone, undoUntil: until };
}

/** Why a decision was refused, in words a doctor can act on. An overdue request is expired now. */
export async function refusal(request: { id: string; status: DecisionRow['status']; expiresAt: Date; timeZone: string }, now: Date, opts?: CallOptions): Promise<DomainError> {
  if (request.status === 'pending' || request.status === 'expired') {
    if (request.status === 'pending') await expireRequest(request.id, { ...opts, now });
    // The date in the reader's language; English names the zone by its IANA id, as before.
    const { expiresAt, timeZone } = request;
    return new DomainError(
      'request_expired',
      errorText('decisions.expiredAt', {}, (l) => ({
        at: formatDateTime(l, expiresAt, timeZone, { weekday: undefined, day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }),
        zone: l === 'en' ? timeZone : zoneName(l, timeZone),
      })),
    );
  }
  return new DomainError('request_not_pending', errorText('decisions.already', { status: request.status }));
}
