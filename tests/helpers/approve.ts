import { sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { reservations } from '@/db/schema';

/**
 * TEST STAND-IN for the doctor's approval until `lib/approval` lands (dashboard issue): the same
 * database change the approval makes, with the same compare-and-set, so the workflow tests can race
 * an approval against the expiry. It checks no actor, writes no audit, no outbox event and no
 * notification. Replace its uses with the real approval once it exists.
 *
 * pending and not past its deadline → approved; a reservation is inserted and the request's held
 * slots become reserved. Returns the reservation's id, or null when the request was not pending
 * (someone else won) or its deadline had passed at `now`.
 */
export async function approveForTest(db: Db, requestId: string, now: Date = new Date()): Promise<string | null> {
  return db.transaction(async (tx) => {
    const approved = await tx.execute<{
      id: string;
      profile_id: string;
      service_id: string;
      patient_id: string;
      starts_at: string | Date;
      ends_at: string | Date;
    }>(sql`
      UPDATE reservation_requests SET status = 'approved', decided_at = ${now.toISOString()}
      WHERE id = ${requestId} AND status = 'pending' AND expires_at > ${now.toISOString()}
      RETURNING id, profile_id, service_id, patient_id, starts_at, ends_at`);
    const request = approved.rows[0];
    if (!request) return null;
    const [reservation] = await tx
      .insert(reservations)
      .values({
        requestId: request.id,
        profileId: request.profile_id,
        serviceId: request.service_id,
        patientId: request.patient_id,
        startsAt: new Date(request.starts_at),
        endsAt: new Date(request.ends_at),
        status: 'confirmed',
        confirmedAt: now,
      })
      .returning({ id: reservations.id });
    await tx.execute(sql`
      UPDATE time_slots SET status = 'reserved', updated_at = now()
      WHERE request_id = ${request.id} AND status = 'pending_approval'`);
    return reservation.id;
  });
}
