import type { Db } from '@/db/client';
import { approveRequest } from '@/lib/approval';
import { isDomainError } from '@/lib/errors';
import { actorByEmail } from './actors';

/**
 * The demo doctor approves through the real `lib/approval` (compare-and-set, reservation, slots
 * reserved, audit, outbox). Returns the new reservation's id, or null when the approval was
 * refused because the request was no longer pending or its deadline had passed at `now`.
 */
export async function approveForTest(db: Db, requestId: string, now: Date = new Date()): Promise<string | null> {
  const doctor = await actorByEmail(db, 'doctor@demo.test');
  const demo = doctor.memberships.find((m) => m.slug === 'demo')!;
  try {
    // `db` is the installed test database (getDb()), so the approval opens its own transaction.
    const result = await approveRequest(doctor, demo.profileId, { requestId }, { now });
    return result.changed ? result.reservationId : null;
  } catch (err) {
    if (isDomainError(err) && (err.code === 'request_expired' || err.code === 'request_not_pending')) return null;
    throw err;
  }
}
