import { and, asc, eq, or } from 'drizzle-orm';
import { z } from 'zod';
import { notifications, reservations } from '@/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { authorize } from '@/lib/auth/permissions';
import { scopedRow } from '@/lib/data/scope';
import { executor, type CallOptions } from '@/lib/db';
import { parseInput } from '@/lib/validation/fields';
import { audienceOf, skipReasonText, type Channel } from './kinds';

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
  /** Skipped: why, as a code (lib/notifications/kinds.ts SKIP_REASONS). */
  skipReason: string | null;
  /** The provider's error (failed, or pending before a retry), or why it was skipped, in words. */
  error: string | null;
}

const listSchema = z.object({ reservationId: z.string({ error: 'Which appointment?' }) });

export type ListNotificationsInput = z.input<typeof listSchema>;

/**
 * Every message about an appointment and the request it came from, oldest due first, for a member
 * of its practice allowed to see them. Another practice's appointment is "not found".
 */
export async function listNotificationsForReservation(
  actor: Actor | null,
  profileId: string,
  input: ListNotificationsInput,
  opts?: CallOptions,
): Promise<NotificationView[]> {
  authorize(actor, profileId, 'messages.view');
  const { reservationId } = parseInput(listSchema, input);
  const db = await executor(opts);
  const reservation = await scopedRow(reservations, profileId, reservationId, 'appointment', (where) =>
    db.select({ id: reservations.id, requestId: reservations.requestId }).from(reservations).where(where).limit(1),
  );
  const rows = await db
    .select()
    .from(notifications)
    .where(
      and(
        eq(notifications.profileId, profileId),
        or(eq(notifications.reservationId, reservation.id), eq(notifications.requestId, reservation.requestId)),
      ),
    )
    .orderBy(asc(notifications.dueAt), asc(notifications.createdAt), asc(notifications.dedupeKey));
  return rows.map(toView);
}

function toView(n: typeof notifications.$inferSelect): NotificationView {
  return {
    id: n.id,
    kind: n.kind,
    audience: audienceOf(n.kind),
    channel: n.channel,
    recipient: n.recipient,
    subject: n.subject,
    status: n.status,
    loggedOnly: n.status === 'sent' && n.providerId === 'log',
    attempts: n.attempts,
    dueAt: n.dueAt,
    nextAttemptAt: n.status === 'pending' ? n.nextAttemptAt : null,
    sentAt: n.sentAt,
    providerId: n.providerId,
    skipReason: n.status === 'skipped' ? n.skipReason : null,
    error: n.status === 'skipped' ? skipReasonText(n.skipReason) : n.status === 'sending' ? null : n.lastError,
  };
}
