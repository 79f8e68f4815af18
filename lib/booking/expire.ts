import { sql } from 'drizzle-orm';
import { audit } from '@/lib/audit';
import { getDb, transaction, type CallOptions } from '@/lib/db';
import { queueExpired } from '@/lib/notifications';
import { isUuid } from '@/lib/validation/fields';
import { releaseSlots } from './slots';

/**
 * Expires one request by compare-and-set (pending and past its deadline → expired) and frees its
 * slots. Does nothing, and returns false, when the doctor or the patient got there first. A system
 * entry point (the lifecycle workflow, the sweep, a decision that came too late).
 */
export async function expireRequest(requestId: string, opts?: CallOptions): Promise<boolean> {
  if (!isUuid(requestId)) return false;
  const now = opts?.now ?? new Date();
  // Writes no engine event (the notice is a notifications row the sweep or a workflow sends).
  return transaction(opts, async (tx) => {
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
export async function expireOverdueRequests(opts?: Omit<CallOptions, 'tx'> & { batch?: number }): Promise<number> {
  const now = opts?.now ?? new Date();
  const batch = opts?.batch ?? 200;
  const db = await getDb();
  let total = 0;
  for (;;) {
    const due = await db.execute<{ id: string }>(sql`
      SELECT id FROM reservation_requests
      WHERE status = 'pending' AND expires_at <= ${now.toISOString()}
      ORDER BY expires_at LIMIT ${batch}`);
    if (!due.rows.length) return total;
    // One transaction per request: a slow batch holds no lock on the others.
    for (const { id } of due.rows) if (await expireRequest(id, { now })) total++;
    if (due.rows.length < batch) return total;
  }
}
