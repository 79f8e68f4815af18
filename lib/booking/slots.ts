import { sql, type SQL } from 'drizzle-orm';
import { writeTogether, type Executor } from '@/lib/db';

/**
 * Gives a request's slots back: future ones become `available`, past ones `expired`. Used when a
 * request is rejected, expires or is cancelled, and when a reservation is cancelled; a move of it
 * still waiting for the practice is withdrawn in the same statement.
 */
export async function releaseSlots(tx: Executor, requestId: string, now: Date): Promise<number> {
  const result = await tx.execute<{ n: number }>(writeTogether(releaseSlotsParts(requestId, now), sql`SELECT count(*)::int AS n FROM released`));
  return Number(result.rows[0]?.n ?? 0);
}

/**
 * releaseSlots as parts of a caller's writeTogether statement, done only when `when` holds (e.g.
 * the caller's compare-and-set won): `released` returns the slots given back.
 */
export function releaseSlotsParts(requestId: string, now: Date, when: SQL = sql`true`): { withdrawn: SQL; released: SQL } {
  return {
    // A move waiting for the practice (request_moves) ends with its request: its held time goes too.
    withdrawn: sql`
      UPDATE request_moves SET status = 'withdrawn', decided_at = ${now.toISOString()}
      WHERE request_id = ${requestId} AND status = 'pending' AND ${when}`,
    released: sql`
      UPDATE time_slots
      SET status = (CASE WHEN starts_at > ${now.toISOString()} THEN 'available' ELSE 'expired' END)::slot_status,
          request_id = NULL, updated_at = now()
      WHERE request_id = ${requestId} AND status IN ('pending_approval', 'reserved') AND ${when}
      RETURNING id`,
  };
}

/**
 * Expires, by compare-and-set, pending requests past their deadline that hold any slot of a
 * practice in [from, to), and frees their slots. Lets a booking take a time whose earlier request
 * lapsed before any sweep ran. Returns the ids expired.
 */
export async function expireOverdueHolders(tx: Executor, profileId: string, from: Date, to: Date, now: Date): Promise<string[]> {
  const expired = await tx.execute<{ id: string }>(sql`
    UPDATE reservation_requests r SET status = 'expired'
    WHERE r.status = 'pending' AND r.expires_at <= ${now.toISOString()}
      AND r.id IN (
        SELECT s.request_id FROM time_slots s
        WHERE s.profile_id = ${profileId} AND s.status = 'pending_approval'
          AND s.starts_at < ${to.toISOString()} AND s.ends_at > ${from.toISOString()}
      )
    RETURNING r.id`);
  const ids = expired.rows.map((r) => r.id);
  for (const id of ids) await releaseSlots(tx, id, now);
  return ids;
}

