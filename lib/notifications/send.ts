import { and, asc, eq, inArray, lte, ne, notInArray, or, sql, type SQL } from 'drizzle-orm';
import { notifications, reservationRequests, reservations, type Notification } from '@/db/schema';
import { executor, getDb, type CallOptions, type Tx } from '@/lib/db';
import { logWarn } from '@/lib/log';
import { isUuid } from '@/lib/validation/fields';
import { channelReady, notificationConfig, type NotificationConfig } from './config';
import { CODE_PLACEHOLDER, STATUS_LINK_PLACEHOLDER, type Channel, type DigestPart, type NotificationKind, type NotificationPayload, type SkipReason } from './kinds';
import { openLink } from './link';
import { deliver, DeliveryError, scrubProviderText, type OutgoingMessage } from './transports';

/*
 * Sending a row, so that no message is sent twice:
 * 1. claim: in a short transaction, lock the row (FOR UPDATE SKIP LOCKED), check it is still due
 *    and still applies, then mark the attempt (status `sending`, attempts + 1,
 *    lease_until = now + LEASE) and COMMIT, before the provider is called;
 * 2. call the provider;
 * 3. record the outcome (sent + provider id, or the error and the next try), only if the row still
 *    carries this attempt's number.
 * A second sender (a retried step, the sweep, another process) finds the row locked or in flight
 * and leaves it alone. If the process dies between 2 and 3, nobody knows whether the provider took
 * the message; when the lease runs out the row is marked failed ("outcome unknown") rather than
 * sent again. Provider errors that prove nothing was accepted are retried with backoff.
 */

/** Tries per message, the first included. */
export const MAX_ATTEMPTS = 5;
/** How long a claimed attempt may take; every provider call is bounded well below it. */
export const LEASE_MS = 5 * 60_000;
/** Waits after failed tries 1, 2, 3, 4: 1, 4, 16 and 64 minutes. */
export function backoffMs(attempt: number): number {
  return 60_000 * 4 ** (attempt - 1);
}
/** A workflow that slept until a message's due time may be woken this much early by clock skew. */
const CLOCK_SKEW_MS = 2 * 60_000;

export type SendOutcome =
  | { outcome: 'sent'; key: string; providerId: string }
  | { outcome: 'already-sent'; key: string }
  | { outcome: 'skipped'; key: string; reason: SkipReason }
  | { outcome: 'retry-later'; key: string; error: string; nextAttemptAt: string }
  | { outcome: 'failed'; key: string; error: string }
  | { outcome: 'not-due'; key: string; at: string }
  | { outcome: 'in-flight'; key: string }
  | { outcome: 'not-found'; key: string }
  /** Its channel has no provider (production without SMTP_URL): it waits in the outbox, untouched. */
  | { outcome: 'not-configured'; key: string; channel: Channel };

/**
 * A send commits its claim before it calls the provider, so it never joins a caller's transaction
 * (no `tx`): it always runs on its own handle.
 */
export interface SendOptions extends Omit<CallOptions, 'tx'> {
  /** The channels' settings; the environment's by default. */
  config?: NotificationConfig;
}

/** Sends one message by its dedupe key, if it is due, applies and was not sent: what workflows call. */
export async function sendNotificationByKey(key: string, opts: SendOptions = {}): Promise<SendOutcome> {
  const now = opts.now ?? new Date();
  const config = opts.config ?? notificationConfig();
  const claimed = await claim(now, CLOCK_SKEW_MS, config, (tx) => selectCandidate(tx, eq(notifications.dedupeKey, key)));
  if (claimed === null) {
    const db = await getDb();
    const [exists] = await db.select({ id: notifications.id }).from(notifications).where(eq(notifications.dedupeKey, key)).limit(1);
    // Locked by a sender claiming it this very moment.
    return exists ? { outcome: 'in-flight', key } : { outcome: 'not-found', key };
  }
  if ('outcome' in claimed) return claimed;
  return send(claimed, now, config);
}

/** Sends a request's messages of these kinds (each by its key), oldest first. */
export async function sendRequestNotifications(requestId: string, kinds: NotificationKind[], opts: SendOptions = {}): Promise<SendOutcome[]> {
  if (!isUuid(requestId)) return [];
  const db = await getDb();
  const rows = await db
    .select({ key: notifications.dedupeKey })
    .from(notifications)
    .where(and(eq(notifications.requestId, requestId), inArray(notifications.kind, kinds)))
    .orderBy(asc(notifications.createdAt), asc(notifications.dedupeKey));
  return sendEach(rows.map((r) => r.key), opts);
}

/** The reminders of a reservation still to be sent, by offset: what the reminders workflow sleeps on. */
export async function pendingReminders(reservationId: string, opts?: CallOptions): Promise<{ offsetMinutes: number; dueAt: string }[]> {
  if (!isUuid(reservationId)) return [];
  const db = await executor(opts);
  const rows = await db
    .select({ dueAt: notifications.dueAt, payload: notifications.payload })
    .from(notifications)
    .where(and(eq(notifications.reservationId, reservationId), eq(notifications.kind, 'reminder'), inArray(notifications.status, ['pending', 'sending'])))
    .orderBy(asc(notifications.dueAt));
  const byOffset = new Map<number, string>();
  for (const r of rows) {
    const offset = (r.payload as NotificationPayload | null)?.offsetMinutes;
    if (typeof offset === 'number' && !byOffset.has(offset)) byOffset.set(offset, r.dueAt.toISOString());
  }
  return [...byOffset].map(([offsetMinutes, dueAt]) => ({ offsetMinutes, dueAt }));
}

/** Sends one reminder (every channel) of a reservation, if it is still confirmed and not yet sent. */
export async function sendReminder(reservationId: string, offsetMinutes: number, opts: SendOptions = {}): Promise<SendOutcome[]> {
  if (!isUuid(reservationId)) return [];
  const db = await getDb();
  const rows = await db
    .select({ key: notifications.dedupeKey, payload: notifications.payload })
    .from(notifications)
    .where(and(eq(notifications.reservationId, reservationId), eq(notifications.kind, 'reminder')))
    .orderBy(asc(notifications.dedupeKey));
  return sendEach(
    rows.filter((r) => (r.payload as NotificationPayload | null)?.offsetMinutes === offsetMinutes).map((r) => r.key),
    opts,
  );
}

async function sendEach(keys: string[], opts: SendOptions): Promise<SendOutcome[]> {
  const out: SendOutcome[] = [];
  for (const key of keys) out.push(await sendNotificationByKey(key, opts));
  return out;
}

export interface SweepResult {
  sent: number;
  /** Printed to the server log because the channel is not configured (counted in `sent` too). */
  logged: number;
  retryLater: number;
  failed: number;
  skipped: number;
}

/** A `sending` row whose sender's lease ran out: `claim` fails it as "outcome unknown". */
function leaseOver(now: Date): SQL {
  return and(eq(notifications.status, 'sending'), lte(notifications.leaseUntil, now))!;
}

/**
 * The sweep: every message due and not sent, oldest first, whatever workflow should have sent it
 * (cron and local timer). Claims one row at a time so no claim outlives its lease in a long batch.
 * A channel whose provider fails once is left alone for the rest of the run (its rows wait for
 * their backoff), so an SMTP server that is down does not make the sweep time out on every row.
 * A channel with no provider (production without SMTP_URL) is not touched: its rows wait.
 */
export async function sendDueNotifications(opts: SendOptions & { limit?: number } = {}): Promise<SweepResult> {
  const now = opts.now ?? new Date();
  const config = opts.config ?? notificationConfig();
  const result: SweepResult = { sent: 0, logged: 0, retryLater: 0, failed: 0, skipped: 0 };
  const down: Channel[] = (['email', 'whatsapp'] as const).filter((c) => !channelReady(c, config));
  for (let i = 0; i < (opts.limit ?? 200); i++) {
    const claimed = await claim(now, 0, config, (tx) =>
      selectCandidate(
        tx,
        or(
          and(
            eq(notifications.status, 'pending'),
            lte(notifications.dueAt, now),
            lte(notifications.nextAttemptAt, now),
            down.length ? notInArray(notifications.channel, down) : undefined,
          ),
          leaseOver(now),
        ),
      ),
    );
    if (claimed === null) break;
    const outcome = 'outcome' in claimed ? claimed : await send(claimed, now, config);
    if (outcome.outcome === 'sent') {
      result.sent++;
      if (outcome.providerId === 'log') result.logged++;
    } else if (outcome.outcome === 'retry-later') {
      result.retryLater++;
      if (!('outcome' in claimed)) down.push(claimed.row.channel);
    } else if (outcome.outcome === 'failed') result.failed++;
    else if (outcome.outcome === 'skipped') result.skipped++;
  }
  return result;
}

// ---------------------------------------------------------------------------

interface Candidate {
  n: Notification;
  reservationStatus: string | null;
  reservationStartsAt: Date | null;
  requestStatus: string | null;
  requestExpiresAt: Date | null;
}

interface Claimed {
  row: Notification;
  attempt: number;
  /** A digest's other rows of the same window, claimed with it: they go out as one e-mail. */
  gathered: Notification[];
}

async function selectCandidate(tx: Tx, where: SQL | undefined): Promise<Candidate | undefined> {
  const [c] = await selectCandidates(tx, where, 1);
  return c;
}

function selectCandidates(tx: Tx, where: SQL | undefined, limit: number): Promise<Candidate[]> {
  return tx
    .select({
      n: notifications,
      reservationStatus: reservations.status,
      reservationStartsAt: reservations.startsAt,
      requestStatus: reservationRequests.status,
      requestExpiresAt: reservationRequests.expiresAt,
    })
    .from(notifications)
    .leftJoin(reservations, eq(reservations.id, notifications.reservationId))
    .leftJoin(reservationRequests, eq(reservationRequests.id, notifications.requestId))
    .where(where)
    .orderBy(asc(notifications.dueAt), asc(notifications.createdAt), asc(notifications.id))
    .limit(limit)
    .for('update', { of: notifications, skipLocked: true });
}

/**
 * Step 1. Null when no row matched (or it is locked); an outcome when the row needs no send (or
 * was just marked skipped or failed); otherwise the claimed row, committed as `sending`.
 */
async function claim(
  now: Date,
  earlyMs: number,
  config: NotificationConfig,
  select: (tx: Tx) => Promise<Candidate | undefined>,
): Promise<Claimed | SendOutcome | null> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const c = await select(tx);
    if (!c) return null;
    const { n } = c;
    const key = n.dedupeKey;
    if (n.status === 'sent') return { outcome: 'already-sent', key };
    if (n.status === 'skipped') return { outcome: 'skipped', key, reason: (n.skipReason ?? 'request_not_pending') as SkipReason };
    if (n.status === 'failed') return { outcome: 'failed', key, error: n.lastError ?? 'failed' };
    if (n.status === 'sending') {
      if (!n.leaseUntil || n.leaseUntil > now) return { outcome: 'in-flight', key };
      // The last sender took the message and never said how it went.
      const started = new Date(n.leaseUntil.getTime() - LEASE_MS).toISOString();
      const error = `outcome unknown: an attempt started ${started} never finished; not retried, so it cannot arrive twice`;
      await tx
        .update(notifications)
        .set({ status: 'failed', lastError: error, leaseUntil: null, payload: withoutLink(n.payload) })
        .where(eq(notifications.id, n.id));
      return { outcome: 'failed', key, error };
    }
    // Not before it is due (less the skew allowed to a workflow that slept until then; a digest
    // never early, its window is still gathering), nor during a backoff.
    const digest = digestOf(n);
    const notBefore = Math.max(n.dueAt.getTime() - (digest ? 0 : earlyMs), n.attempts > 0 ? n.nextAttemptAt.getTime() : 0);
    if (notBefore > now.getTime()) return { outcome: 'not-due', key, at: new Date(notBefore).toISOString() };
    const skip = reasonToSkip(c, now);
    if (skip) {
      await tx.update(notifications).set({ status: 'skipped', skipReason: skip, payload: withoutLink(n.payload) }).where(eq(notifications.id, n.id));
      return { outcome: 'skipped', key, reason: skip };
    }
    if (!channelReady(n.channel, config)) return { outcome: 'not-configured', key, channel: n.channel };
    const attempt = n.attempts + 1;
    const leaseUntil = new Date(now.getTime() + LEASE_MS);
    await tx.update(notifications).set({ status: 'sending', attempts: attempt, leaseUntil }).where(eq(notifications.id, n.id));
    const gathered = digest ? await gatherDigest(tx, n, digest.key, now, leaseUntil) : [];
    return { row: n, attempt, gathered };
  });
}

function digestOf(n: Notification): DigestPart | undefined {
  return n.kind === 'new_request' ? (n.payload as NotificationPayload | null)?.digest : undefined;
}

/**
 * The other rows of a digest's window still waiting (one per new request), claimed with the row
 * being sent: marked `sending` in the same transaction, or `skipped` if their request was answered
 * or cancelled meanwhile. One locked by another sender is left for it (it sends its own digest).
 */
async function gatherDigest(tx: Tx, lead: Notification, key: string, now: Date, leaseUntil: Date): Promise<Notification[]> {
  const rows = await selectCandidates(
    tx,
    and(
      eq(notifications.profileId, lead.profileId),
      eq(notifications.kind, 'new_request'),
      eq(notifications.status, 'pending'),
      sql`${notifications.payload}->'digest'->>'key' = ${key}`,
      ne(notifications.id, lead.id),
    ),
    MAX_DIGEST_ROWS,
  );
  const gathered: Notification[] = [];
  const skipped = new Map<SkipReason, string[]>();
  for (const c of rows) {
    const skip = reasonToSkip(c, now);
    if (skip) skipped.set(skip, [...(skipped.get(skip) ?? []), c.n.id]);
    else gathered.push(c.n);
  }
  // One statement per reason (a handful), not one per row.
  for (const [reason, ids] of skipped) await tx.update(notifications).set({ status: 'skipped', skipReason: reason }).where(inArray(notifications.id, ids));
  if (gathered.length) {
    await tx
      .update(notifications)
      .set({ status: 'sending', attempts: sql`${notifications.attempts} + 1`, leaseUntil })
      .where(inArray(notifications.id, gathered.map((g) => g.id)));
  }
  return gathered;
}

/** A digest e-mail lists at most this many requests; a busier window's rest goes in the next one. */
const MAX_DIGEST_ROWS = 200;

/** The window's rows as one e-mail: the count in the subject, the first row's intro, every line. */
function digestMessage(lead: Notification, gathered: Notification[]): Notification {
  if (!gathered.length) return lead;
  const parts = [lead, ...gathered].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime()).map((n) => digestOf(n)!);
  const count = parts.length;
  return { ...lead, subject: `${parts[0].subject[0]}${count}${parts[0].subject[1]}`, body: [parts[0].intro, ...parts.map((p) => p.item)].join('\n\n') };
}

/** A message that no longer applies: a reminder of an appointment not confirmed, or already begun; a warning about a request no longer pending. */
function reasonToSkip(c: Candidate, now: Date): SkipReason | null {
  if (c.n.kind === 'reminder') {
    if (c.reservationStatus === 'cancelled') return 'appointment_cancelled';
    if (c.reservationStatus !== 'confirmed') return 'appointment_not_confirmed';
    if (c.reservationStartsAt && c.reservationStartsAt <= now) return 'appointment_started';
  }
  // The deadline warning, and a digest's line, are about a request still waiting for its answer.
  if (c.n.kind === 'expiry_warning' || digestOf(c.n)) {
    if (c.requestStatus === 'approved' || c.requestStatus === 'rejected') return 'request_answered';
    if (c.requestStatus === 'cancelled') return 'request_cancelled';
    if (c.requestStatus === 'expired' || (c.requestExpiresAt && c.requestExpiresAt <= now)) return 'request_expired';
    if (c.requestStatus !== 'pending') return 'request_not_pending';
  }
  return null;
}

/** Steps 2 and 3. */
async function send(claimed: Claimed, now: Date, config: NotificationConfig): Promise<SendOutcome> {
  const db = await getDb();
  const { row, attempt, gathered } = claimed;
  const key = row.dedupeKey;
  const message = digestMessage(row, gathered);
  const mine = and(eq(notifications.id, row.id), eq(notifications.attempts, attempt));
  const stillMine = and(mine, eq(notifications.status, 'sending'));
  // The rest of a digest follows its first row's outcome.
  const withRest = async (set: Partial<Notification>) => {
    if (gathered.length) await db.update(notifications).set(set).where(and(inArray(notifications.id, gathered.map((g) => g.id)), eq(notifications.status, 'sending')));
  };
  let providerId: string;
  try {
    ({ providerId } = await deliver(outgoing(message), config));
  } catch (err) {
    const failure = err instanceof DeliveryError ? err : new DeliveryError(scrubProviderText(err instanceof Error ? err.message : String(err), row.recipient), 'retry');
    logWarn('notification.delivery_failed', { notification: row.id, channel: row.channel, attempt, disposition: failure.disposition });
    const error = failure.disposition === 'unknown' ? `outcome unknown: ${failure.message}` : failure.message;
    if (failure.disposition === 'retry' && attempt < MAX_ATTEMPTS) {
      const nextAttemptAt = new Date(now.getTime() + backoffMs(attempt));
      await db.update(notifications).set({ status: 'pending', lastError: error, nextAttemptAt, leaseUntil: null }).where(stillMine);
      await withRest({ status: 'pending', lastError: error, nextAttemptAt, leaseUntil: null });
      return { outcome: 'retry-later', key, error, nextAttemptAt: nextAttemptAt.toISOString() };
    }
    const last = failure.disposition === 'retry' ? `${error} (gave up after ${attempt} tries)` : error;
    await db.update(notifications).set({ status: 'failed', lastError: last, leaseUntil: null, payload: withoutLink(row.payload) }).where(stillMine);
    await withRest({ status: 'failed', lastError: last, leaseUntil: null });
    return { outcome: 'failed', key, error: last };
  }
  // Sent: recorded even over a "skipped" set meanwhile, since the message did go out.
  const sentAt = new Date(Math.max(now.getTime(), Date.now()));
  // A digest's first row keeps the e-mail as it went out (subject and body listing every request).
  await db
    .update(notifications)
    .set({ status: 'sent', providerId, sentAt, lastError: null, leaseUntil: null, skipReason: null, payload: withoutLink(row.payload), subject: message.subject, body: message.body })
    .where(mine);
  await withRest({ status: 'sent', providerId, sentAt, lastError: null, leaseUntil: null });
  return { outcome: 'sent', key, providerId };
}

/** The row as sent: the status link, kept encrypted until now, put back where the placeholder is. */
function outgoing(row: Notification): OutgoingMessage {
  const payload = (row.payload ?? {}) as NotificationPayload;
  const link = payload.sealedStatusLink ? openLink(payload.sealedStatusLink) : null;
  const code = payload.sealedCode ? openLink(payload.sealedCode) : null;
  const fill = (text: string) =>
    text
      .split(STATUS_LINK_PLACEHOLDER)
      .join(link ?? 'the link shown when you booked')
      .split(CODE_PLACEHOLDER)
      .join(code ?? '(this code is no longer valid)');
  return {
    id: row.id,
    dedupeKey: row.dedupeKey,
    channel: row.channel,
    recipient: row.recipient,
    subject: row.subject,
    body: fill(row.body),
    payload: payload.whatsapp ? { ...payload, whatsapp: { ...payload.whatsapp, parameters: payload.whatsapp.parameters.map(fill) } } : payload,
  };
}

function withoutLink(payload: unknown): NotificationPayload {
  const rest = { ...((payload ?? {}) as NotificationPayload) };
  delete rest.sealedStatusLink;
  delete rest.sealedCode;
  return rest;
}
