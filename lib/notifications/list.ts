import { and, asc, eq, or } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { notifications, reservations } from '@/db/schema';
import { requireMembership, type Actor } from '@/lib/auth/actor';
import { DomainError } from '@/lib/errors';
import { audienceOf, IN_FLIGHT_PREFIX, SKIPPED_PREFIX, type Channel } from './kinds';

/** One message as the practice sees it on the appointment page. */
export interface NotificationView {
  id: string;
  /** received, approved, rejected, expired, cancelled, reminder (to the patient); new_request, expiry_warning, cancelled_by_patient (to the practice). */
  kind: string;
  audience: 'patient' | 'practice';
  channel: Channel;
  recipient: string;
  subject: string | null;
  /**
   * pending: waiting to be due or for its next try; sending: a try is under way;
   * sent: the provider accepted it (or, with `loggedOnly`, it was printed to the server log
   * because the channel is not configured); failed: given up, see `error`;
   * skipped: no longer applied (e.g. the reminder of a cancelled appointment), see `error`.
   */
  status: 'pending' | 'sending' | 'sent' | 'failed' | 'skipped';
  loggedOnly: boolean;
  attempts: number;
  dueAt: Date;
  nextAttemptAt: Date | null;
  sentAt: Date | null;
  providerId: string | null;
  /** The provider's error (failed, or pending before a retry), or why it was skipped. */
  error: string | null;
}

/**
 * Every message about an appointment and the request it came from, oldest due first, for a member
 * of its practice (any role). Another practice's appointment is "not found".
 */
export async function listNotificationsForReservation(db: Executor, actor: Actor, reservationId: string): Promise<NotificationView[]> {
  if (!/^[0-9a-f-]{36}$/i.test(reservationId)) throw new DomainError('not_found', 'No such appointment.');
  const [reservation] = await db
    .select({ id: reservations.id, profileId: reservations.profileId, requestId: reservations.requestId })
    .from(reservations)
    .where(eq(reservations.id, reservationId))
    .limit(1);
  if (!reservation || !actor.memberships.some((m) => m.profileId === reservation.profileId)) {
    throw new DomainError('not_found', 'No such appointment.');
  }
  requireMembership(actor, reservation.profileId);
  const rows = await db
    .select()
    .from(notifications)
    .where(
      and(
        eq(notifications.profileId, reservation.profileId),
        or(eq(notifications.reservationId, reservation.id), eq(notifications.requestId, reservation.requestId)),
      ),
    )
    .orderBy(asc(notifications.dueAt), asc(notifications.createdAt), asc(notifications.dedupeKey));
  return rows.map(toView);
}

function toView(n: typeof notifications.$inferSelect): NotificationView {
  const skipped = n.status === 'failed' && (n.lastError?.startsWith(SKIPPED_PREFIX) ?? false);
  const sending = n.status === 'pending' && (n.lastError?.startsWith(IN_FLIGHT_PREFIX) ?? false);
  return {
    id: n.id,
    kind: n.kind,
    audience: audienceOf(n.kind),
    channel: n.channel,
    recipient: n.recipient,
    subject: n.subject,
    status: skipped ? 'skipped' : sending ? 'sending' : n.status,
    loggedOnly: n.status === 'sent' && n.providerId === 'log',
    attempts: n.attempts,
    dueAt: n.dueAt,
    nextAttemptAt: n.status === 'pending' && !sending ? n.nextAttemptAt : null,
    sentAt: n.sentAt,
    providerId: n.providerId,
    error: skipped ? n.lastError!.slice(SKIPPED_PREFIX.length) : sending ? null : n.lastError,
  };
}
