import { eq } from 'drizzle-orm';
import { reservationRequests, type RequestStatus } from '@/db/schema';
import { executor, type CallOptions } from '@/lib/db';
import { isUuid } from '@/lib/validation/fields';

export type { RequestStatus };

/** Where a request stands, for the lifecycle workflow: null when there is no such request. */
export async function requestStatus(requestId: string, opts?: CallOptions): Promise<{ status: RequestStatus; expiresAt: Date } | null> {
  if (!isUuid(requestId)) return null;
  const db = await executor(opts);
  const [request] = await db
    .select({ status: reservationRequests.status, expiresAt: reservationRequests.expiresAt })
    .from(reservationRequests)
    .where(eq(reservationRequests.id, requestId))
    .limit(1);
  return request ?? null;
}
