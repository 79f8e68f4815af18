import { sql, type SQL } from 'drizzle-orm';
import type { Tx } from '@/lib/db';
import { DomainError } from '@/lib/errors';
import { errorText } from '@/lib/i18n/errors';
import { slotUnavailable } from './claim';

/*
 * Moves by the patient (issue 15): the rules shared by the patient's side (move.ts) and the
 * practice's (move-decide.ts).
 *
 * States of a request_moves row:
 *
 *   pending request ── patient moves ──▶ applied       (one transaction: new time held, old released)
 *   approved request ─ patient moves ──▶ pending ──▶ approved   (practice: reservation moved, old time released)
 *                                            │ ───▶ rejected   (practice keeps the original; new time released)
 *                                            │ ───▶ withdrawn  (the patient kept their time; the request or
 *                                            │                  appointment was cancelled (releaseSlots);
 *                                            │                  or nobody answered by the move's deadline:
 *                                            │                  the sweep expireOverdueMoves releases it)
 *
 * A move's deadline is the earliest of: asked + the practice's approval window, the new start −
 * the minimum notice, and the old start (the appointment cannot be moved once it begins). It is
 * computed from the practice's settings when read (request_moves has no column for it), so a
 * settings change moves the deadline of a waiting move too.
 *
 * Locks, always in this order: the request row, its reservation, the move row, the slots (in start
 * order). The patient's cancel and the practice's cancel take reservation → move → slots, the
 * doctor's approval of a request takes request → slots: no cycle. The exclusion constraint on the
 * slots stays the guarantee that two people never hold one time.
 *
 * Limits (practice settings): no move later than `move_cutoff_minutes` before the current start;
 * at most `max_moves_per_request` moves per request, counted when asked whatever the answer;
 * a pending move counts against the contact's pending cap (claim.ts), so a patient never holds
 * more waiting times than the cap. A pending request keeps its deadline (capped by the new start's
 * minimum notice): moving does not buy the practice's answer more time.
 */

/** The SQL of a move's deadline, for a move row `m` joined to its practice `p`. */
export function moveDeadlineSql(m: string, p: string): SQL {
  return sql.raw(
    `LEAST(${m}.created_at + ${p}.approval_window_minutes * interval '1 minute', ${m}.to_starts_at - ${p}.min_notice_minutes * interval '1 minute', ${m}.from_starts_at)`,
  );
}

export function moveDeadline(
  move: { createdAt: Date; toStartsAt: Date; fromStartsAt: Date },
  practice: { approvalWindowMinutes: number; minNoticeMinutes: number },
): Date {
  return new Date(
    Math.min(
      move.createdAt.getTime() + practice.approvalWindowMinutes * 60_000,
      move.toStartsAt.getTime() - practice.minNoticeMinutes * 60_000,
      move.fromStartsAt.getTime(),
    ),
  );
}

/** "24 hours", "90 minutes", "2 days": a cutoff in words. */
export function minutesInWords(minutes: number): string {
  if (minutes % 1440 === 0 && minutes >= 1440) return minutes === 1440 ? '24 hours' : `${minutes / 1440} days`;
  if (minutes % 60 === 0 && minutes >= 60) return minutes === 60 ? '1 hour' : `${minutes / 60} hours`;
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}

interface LockedSlot {
  id: string;
  startsAt: number;
  endsAt: number;
  status: string;
  serviceIds: string[] | null;
  requestId: string | null;
}

/**
 * Locks, in start order, the slots of [startsAt, endsAt) and every slot the request holds, and
 * returns the ids of the new range after checking it is consecutive, free and open to the service.
 */
export async function lockMoveSlots(tx: Tx, profileId: string, requestId: string, serviceId: string, startsAt: Date, endsAt: Date): Promise<string[]> {
  const locked = await tx.execute<{ id: string; starts_at: string | Date; ends_at: string | Date; status: string; service_ids: string[] | string | null; request_id: string | null }>(sql`
    SELECT id, starts_at, ends_at, status, service_ids, request_id FROM time_slots
    WHERE profile_id = ${profileId}
      AND ((starts_at < ${endsAt.toISOString()} AND ends_at > ${startsAt.toISOString()}) OR request_id = ${requestId})
    ORDER BY starts_at
    FOR UPDATE`);
  const rows: LockedSlot[] = locked.rows.map((r) => ({
    id: r.id,
    startsAt: new Date(r.starts_at).getTime(),
    endsAt: new Date(r.ends_at).getTime(),
    status: r.status,
    serviceIds: uuidArray(r.service_ids),
    requestId: r.request_id,
  }));
  const range = rows.filter((r) => r.startsAt < endsAt.getTime() && r.endsAt > startsAt.getTime());
  if (!range.length) throw slotUnavailable(errorText('moves.notBookable'));
  let cursor = startsAt.getTime();
  for (const slot of range) {
    if (slot.startsAt !== cursor) throw slotUnavailable(errorText('moves.notBookable'));
    if (slot.status !== 'available') throw slotUnavailable(slot.requestId === requestId ? errorText('moves.overlapOwn') : errorText('moves.justTaken'));
    if (slot.serviceIds && !slot.serviceIds.includes(serviceId)) throw slotUnavailable(errorText('moves.notForService'));
    cursor = slot.endsAt;
  }
  if (cursor < endsAt.getTime()) throw slotUnavailable(errorText('moves.notBookable'));
  return range.map((r) => r.id);
}

function uuidArray(value: string[] | string | null): string[] | null {
  if (value === null) return null;
  if (Array.isArray(value)) return value;
  return value.replace(/^\{|\}$/g, '').split(',').filter(Boolean);
}

export function moveRefused(message: string): DomainError {
  return new DomainError('conflict', message);
}
