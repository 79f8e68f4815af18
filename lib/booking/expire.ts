import { sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { audit } from '@/lib/audit';
import { queueExpired } from '@/lib/notifications';
import { releaseSlots } from './slots';

/**
 * Expires one request by compare-and-set (pending and past its deadline → expired) and frees its
 * slots. Does nothing, and returns false, when the doctor or the patient got there first.
 */
export async function expireRequest(db: Db, requestId: string, now: Date = new Date()): Promise<boolean> {
  return db.transaction(async (tx) => {
    const result = await tx.execute<{ id: string; profile_id: string }>(sql`
      UPDATE reservation_requests SET status = 'expired'
      WHERE id = ${requestId} AND status = 'pending' AND expires_at <= ${now.toISOString()}
      RETURNING id, profile_id`);
    const row = result.rows[0];
    if (!row) return false;
    await releaseSlots(tx, row.id, now);
    await queueExpired(tx, { requestId: row.id, now });
    await audit(tx, { profileId: row.profile_id, actorUserId: null, actorKind: 'system', action: 'request.expired', entityType: 'reservation_request', entityId: row.id });
    return true;
  });
}

/** The sweep: every pending request past its deadline, in batches. Returns how many expired. */
export async function expireOverdueRequests(db: Db, now: Date = new Date(), batch = 200): Promise<number> {
  let total = 0;
  for (;;) {
    const due = await db.execute<{ id: string }>(sql`
      SELECT id FROM reservation_requests
      WHERE status = 'pending' AND expires_at <= ${now.toISOString()}
      ORDER BY expires_at LIMIT ${batch}`);
    if (!due.rows.length) return total;
    for (const { id } of due.rows) if (await expireRequest(db, id, now)) total++;
    if (due.rows.length < batch) return total;
  }
}
