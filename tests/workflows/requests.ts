import { eq, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { reservationRequests } from '@/db/schema';
import { createRequest, type CreatedRequest } from '@/lib/booking/create';

/**
 * A real request to the demo practice through lib/booking, the `n`th of a test file: its own
 * name, phone and address (`prefix` keeps files apart), so no rate limit trips.
 */
export function demoRequest(n: number, serviceId: string, startsAt: Date, who: { name: string; phone: string; address: string }): Promise<CreatedRequest> {
  return createRequest({ clientAddress: `${who.address}.${n}`, baseUrl: 'http://localhost' }, 'demo', {
    serviceId,
    startsAt: startsAt.toISOString(),
    patient: { name: `${who.name} ${n}`, phone: `${who.phone}${String(n).padStart(7, '0')}` },
    consent: true,
  });
}

/** "The deadline passes": moves the request's expires_at a minute into the past. */
export async function passDeadline(db: Db, requestId: string): Promise<Date> {
  const moved = await db.execute<{ expires_at: string | Date }>(sql`
    UPDATE reservation_requests SET expires_at = now() - interval '1 minute' WHERE id = ${requestId} RETURNING expires_at`);
  return new Date(moved.rows[0].expires_at);
}

/** The request's status as stored. */
export async function storedStatus(db: Db, requestId: string) {
  const [row] = await db.select({ status: reservationRequests.status }).from(reservationRequests).where(eq(reservationRequests.id, requestId));
  return row.status;
}
