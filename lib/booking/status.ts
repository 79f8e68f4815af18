import { and, eq, sql } from 'drizzle-orm';
import { auditLog, eventOutbox, medicalServices, notifications, profiles, reservationRequests, reservations, type RequestStatus } from '@/db/schema';
import { executePrepared, executor, insertWhen, transaction, writeTogether, type CallOptions } from '@/lib/db';
import { DomainError } from '@/lib/errors';
import { cancelledMessages, loadedOf, messagesQueryWith, skipStatement } from '@/lib/notifications/queue';
import { dispatchOutboxAfterCommit } from '@/lib/outbox';
import { requestTokenSchema } from '@/lib/validation/requests';
import { releaseSlotsParts } from './slots';
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
 * or a confirmed appointment that has not started. The time is free again at once. Two round
 * trips (lib/db's transaction): BEGIN with one read that locks the request (whoever changes its
 * slots, a proposal, a move or an approval, holds that lock too, so the write below sees their
 * slots); then one statement with the compare-and-set and, only if it won, the slots given back
 * (and a waiting move withdrawn), the outbox event, the audit entry, the practice's notices
 * skipped and the messages queued, sent with its COMMIT.
 */
export async function cancelRequestByToken(token: string, opts?: CallOptions): Promise<RequestView> {
  if (!requestTokenSchema.safeParse(token).success) throw new DomainError('not_found', 'No such request.');
  const now = opts?.now ?? new Date();
  const view = await transaction(opts, async (db) => {
    const read = () =>
      messagesQueryWith(db, {
        status: reservationRequests.status,
        createdAt: reservationRequests.createdAt,
        serviceId: reservationRequests.serviceId,
        reservationStatus: reservations.status,
        reservationStartsAt: reservations.startsAt,
      })
        .where(eq(reservationRequests.tokenHash, hashToken(token)))
        .for('update', { of: reservationRequests })
        .limit(1);
    const cancellable = (r: Awaited<ReturnType<typeof read>>[number]) =>
      (r.status === 'pending' && r.expiresAt > now) || (r.reservationStatus === 'confirmed' && r.reservationStartsAt! > now);
    let [row] = await read();
    if (!row) throw new DomainError('not_found', 'No such request.');
    // Approved while this read waited for its lock: the read saw the request's new row but not the
    // appointment made with it. Read again, now that the lock is held and the approval committed.
    if (!cancellable(row)) [row] = await read();
    if (!cancellable(row)) throw new DomainError('request_not_pending', 'This request is no longer pending or confirmed, so it cannot be cancelled.');
    const appointment = !(row.status === 'pending' && row.expiresAt > now);
    const nowIso = now.toISOString();
    const won = sql`EXISTS (SELECT 1 FROM won)`;
    const loaded = loadedOf({ ...row, cancelReason: appointment ? PATIENT_CANCEL_REASON : row.cancelReason });
    const messages = cancelledMessages(loaded, row.recipient, { by: 'patient', now });
    const result = await executePrepared<{ won: number }>(
      db,
      writeTogether(
        {
          won: appointment
            ? sql`UPDATE reservations SET status = 'cancelled', cancelled_at = ${nowIso}, cancelled_by_patient = true, cancel_reason = ${PATIENT_CANCEL_REASON}
                WHERE id = ${row.reservationId} AND status = 'confirmed' AND starts_at > ${nowIso} RETURNING id`
            : sql`UPDATE reservation_requests SET status = 'cancelled'
                WHERE id = ${row.requestId} AND status = 'pending' AND expires_at > ${nowIso} RETURNING id`,
          ...releaseSlotsParts(row.requestId, now, won),
          event: insertWhen(
            eventOutbox,
            [{ eventId: `request-${row.requestId}-cancelled`, name: 'reservation/cancelled', data: { requestId: row.requestId, profileId: row.profileId, reservationId: appointment ? row.reservationId : null, by: 'patient' } }],
            won,
            sql`ON CONFLICT (event_id) DO NOTHING`,
          ),
          audit: insertWhen(
            auditLog,
            [
              {
                profileId: row.profileId,
                actorKind: 'patient',
                action: appointment ? 'reservation.cancelled' : 'request.cancelled',
                entityType: appointment ? 'reservation' : 'reservation_request',
                entityId: appointment ? row.reservationId : row.requestId,
                details: { by: 'patient' },
              },
            ],
            won,
          ),
          ...Object.fromEntries(messages.skips.map((skip, i) => [`skip${i}`, skipStatement(db, and(skip.where, won), skip.reason)])),
          messages: messages.rows.length ? insertWhen(notifications, messages.rows, won, sql`ON CONFLICT (dedupe_key) DO NOTHING`) : null,
        },
        sql`SELECT (SELECT count(*) FROM won)::int AS won`,
      ),
      // The last statement, with the COMMIT when this call owns the transaction; every part waits
      // on the compare-and-set, so a lost one commits nothing.
      { commit: !opts?.tx },
    );
    if (!Number(result.rows[0]?.won)) throw new DomainError('request_not_pending', 'This request is no longer pending or confirmed, so it cannot be cancelled.');
    return {
      id: row.requestId,
      status: 'cancelled',
      startsAt: row.startsAt,
      endsAt: row.endsAt,
      expiresAt: row.expiresAt,
      service: { id: row.serviceId, name: row.serviceName },
      profile: { slug: row.slug, name: row.practiceName, timeZone: row.timeZone },
      reason: appointment ? PATIENT_CANCEL_REASON : null,
      createdAt: row.createdAt,
    } satisfies RequestView;
  });
  if (!opts?.tx) dispatchOutboxAfterCommit();
  return view;
}

const PATIENT_CANCEL_REASON = 'Cancelled by the patient.';
