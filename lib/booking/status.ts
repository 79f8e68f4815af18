import { and, eq, sql } from 'drizzle-orm';
import { medicalServices, profiles, reservationRequests, reservations, type RequestStatus } from '@/db/schema';
import { audit } from '@/lib/audit';
import { executor, transaction, type CallOptions } from '@/lib/db';
import { DomainError } from '@/lib/errors';
import { queueCancelled } from '@/lib/notifications';
import { dispatchOutboxAfterCommit, enqueueEvent } from '@/lib/outbox';
import { requestTokenSchema } from '@/lib/validation/requests';
import { releaseSlots } from './slots';
import { hashToken } from './tokens';

export type { RequestStatus };

export interface RequestView {
  id: string;
  status: RequestStatus;
  startsAt: Date;
  endsAt: Date;
  expiresAt: Date;
  service: { id: string; name: string };
  profile: { slug: string; name: string; timeZone: string };
  /** The doctor's reason when rejected; the practice's when a confirmed appointment was cancelled. */
  reason: string | null;
  createdAt: Date;
}

/**
 * What the holder of a status token may see. The status is as the patient should read it: a
 * pending request past its deadline is expired (even before a sweep), and an approved request
 * whose appointment was cancelled is cancelled.
 */
export async function getRequestByToken(token: string, opts?: CallOptions): Promise<RequestView> {
  if (!requestTokenSchema.safeParse(token).success) throw new DomainError('not_found', 'No such request.');
  const now = opts?.now ?? new Date();
  const db = await executor(opts);
  const [row] = await db
    .select({
      id: reservationRequests.id,
      status: reservationRequests.status,
      startsAt: reservationRequests.startsAt,
      endsAt: reservationRequests.endsAt,
      expiresAt: reservationRequests.expiresAt,
      decisionReason: reservationRequests.decisionReason,
      createdAt: reservationRequests.createdAt,
      serviceId: medicalServices.id,
      serviceName: medicalServices.name,
      slug: profiles.slug,
      profileName: profiles.displayName,
      timeZone: profiles.timeZone,
      reservationStatus: reservations.status,
      cancelReason: reservations.cancelReason,
    })
    .from(reservationRequests)
    .innerJoin(medicalServices, eq(medicalServices.id, reservationRequests.serviceId))
    .innerJoin(profiles, eq(profiles.id, reservationRequests.profileId))
    .leftJoin(reservations, eq(reservations.requestId, reservationRequests.id))
    .where(eq(reservationRequests.tokenHash, hashToken(token)))
    .limit(1);
  if (!row) throw new DomainError('not_found', 'No such request.');
  let status: RequestStatus = row.status;
  if (status === 'pending' && row.expiresAt <= now) status = 'expired';
  if (status === 'approved' && row.reservationStatus === 'cancelled') status = 'cancelled';
  return {
    id: row.id,
    status,
    startsAt: row.startsAt,
    endsAt: row.endsAt,
    expiresAt: row.expiresAt,
    service: { id: row.serviceId, name: row.serviceName },
    profile: { slug: row.slug, name: row.profileName, timeZone: row.timeZone },
    reason: row.status === 'rejected' ? row.decisionReason : row.reservationStatus === 'cancelled' ? row.cancelReason : null,
    createdAt: row.createdAt,
  };
}

/**
 * The patient cancels with their token: a pending request (compare-and-set pending → cancelled)
 * or a confirmed appointment that has not started. The time is free again at once.
 */
export async function cancelRequestByToken(token: string, opts?: CallOptions): Promise<RequestView> {
  if (!requestTokenSchema.safeParse(token).success) throw new DomainError('not_found', 'No such request.');
  const now = opts?.now ?? new Date();
  const tokenHash = hashToken(token);
  await transaction(opts, async (tx) => {
    const [request] = await tx
      .select({ id: reservationRequests.id, profileId: reservationRequests.profileId, status: reservationRequests.status, expiresAt: reservationRequests.expiresAt })
      .from(reservationRequests)
      .where(eq(reservationRequests.tokenHash, tokenHash))
      .limit(1);
    if (!request) throw new DomainError('not_found', 'No such request.');

    const cancelled = await tx
      .update(reservationRequests)
      .set({ status: 'cancelled' })
      .where(and(eq(reservationRequests.id, request.id), eq(reservationRequests.status, 'pending'), sql`${reservationRequests.expiresAt} > ${now.toISOString()}`))
      .returning({ id: reservationRequests.id });
    let reservationId: string | null = null;
    if (!cancelled.length) {
      const [reservation] = await tx
        .update(reservations)
        .set({ status: 'cancelled', cancelledAt: now, cancelledByPatient: true, cancelReason: 'Cancelled by the patient.' })
        .where(and(eq(reservations.requestId, request.id), eq(reservations.status, 'confirmed'), sql`${reservations.startsAt} > ${now.toISOString()}`))
        .returning({ id: reservations.id });
      if (!reservation) throw new DomainError('request_not_pending', 'This request is no longer pending or confirmed, so it cannot be cancelled.');
      reservationId = reservation.id;
    }
    await releaseSlots(tx, request.id, now);
    await enqueueEvent(tx, {
      name: 'reservation/cancelled',
      id: `request-${request.id}-cancelled`,
      data: { requestId: request.id, profileId: request.profileId, reservationId, by: 'patient' },
    });
    await queueCancelled(tx, { requestId: request.id, by: 'patient', now });
    await audit(tx, {
      profileId: request.profileId,
      actorUserId: null,
      actorKind: 'patient',
      action: reservationId ? 'reservation.cancelled' : 'request.cancelled',
      entityType: reservationId ? 'reservation' : 'reservation_request',
      entityId: reservationId ?? request.id,
      details: { by: 'patient' },
    });
  });
  if (!opts?.tx) dispatchOutboxAfterCommit();
  return getRequestByToken(token, { ...opts, now });
}
