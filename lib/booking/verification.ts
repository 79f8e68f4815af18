import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { contactVerifications, medicalServices, profiles } from '@/db/schema';
import { executor, getDb, lockedTransaction, type CallOptions } from '@/lib/db';
import { DomainError, pgErrorCode } from '@/lib/errors';
import { secret } from '@/lib/env';
import { logError } from '@/lib/log';
import { errorText } from '@/lib/i18n/errors';
import type { Locale } from '@/lib/i18n/locales';
import { localeOr } from '@/lib/notifications/compose';
import { notificationConfig, queueVerificationCode, sendNotificationByKey, type Channel } from '@/lib/notifications';
import { hitRateLimits } from '@/lib/rate-limit';
import { isUuid, parseInput } from '@/lib/validation/fields';
import { createRequestBodySchema, verificationCodeSchema, type CreateRequestBody } from '@/lib/validation/requests';
import { claimLockKeys, slotUnavailable, type ClaimPractice, type VerifiedContact } from './claim';
import { bookableService, claimAnswer, createVerifiedRequest, practiceColumns, type CreatedRequest } from './create';
import { hashBody, idempotentToken } from './tokens';

/** A code lives 10 minutes and allows 5 tries (API.md). */
export const CODE_TTL_MINUTES = 10;
export const MAX_CODE_ATTEMPTS = 5;
/** The booking page offers "send again" after this long; the server holds to it too. */
export const RESEND_AFTER_SECONDS = 30;
/** Codes sent per contact and per client address (429 beyond). */
export const CODE_LIMITS = {
  perContact: { limit: 5, windowSeconds: 60 * 60 },
  perAddress: { limit: 20, windowSeconds: 60 * 60 },
} as const;

export interface VerificationStarted {
  id: string;
  channel: Channel;
  /** Where the code went, masked: a•••@example.com, +34•••••1222 */
  sentTo: string;
  expiresAt: string;
  /** True when this answers an earlier call with the same Idempotency-Key. */
  replayed?: boolean;
}

interface StartInput {
  practice: ClaimPractice & { whatsappEnabled: boolean; displayName: string; defaultLocale?: string };
  body: CreateRequestBody;
  bodyHash: string;
  idempotencyKey?: string;
  clientAddress: string;
}

/**
 * Nothing is held yet: records the validated request with a new code (stored hashed), counts the
 * code against the contact's and the address's limits, and sends it by e-mail (or by WhatsApp
 * where the practice has it on). Called by createRequest after the body and the time were checked.
 */
export async function startVerification(input: StartInput, opts?: CallOptions): Promise<VerificationStarted> {
  const { practice, body } = input;
  const now = opts?.now ?? new Date();
  const channel: Channel = practice.whatsappEnabled && notificationConfig().whatsapp ? 'whatsapp' : 'email';
  const contact = channel === 'email' ? body.patient.email?.toLowerCase() : body.patient.phone;
  if (!contact) {
    const message = errorText('booking.emailForCode');
    throw new DomainError('invalid_request', message, { 'patient.email': message });
  }
  const db = await executor(opts);
  if (input.idempotencyKey) {
    const replay = await verificationReplay(practice.id, input.idempotencyKey, input.bodyHash, opts);
    if (replay) return replay;
  }
  await countCode(contact, input.clientAddress, practice.id, now, opts);

  const code = newCode();
  const expiresAt = new Date(now.getTime() + CODE_TTL_MINUTES * 60_000);
  const started = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(contactVerifications)
      .values({
        profileId: practice.id,
        channel,
        contact,
        codeHash: '',
        payload: body,
        idempotencyKey: input.idempotencyKey ?? null,
        idempotencyBodyHash: input.idempotencyKey ? input.bodyHash : null,
        expiresAt,
        createdAt: now,
      })
      .onConflictDoNothing()
      .returning({ id: contactVerifications.id });
    if (!row) return null; // the same Idempotency-Key at the same instant: answer as the first did
    await tx.update(contactVerifications).set({ codeHash: codeHash(row.id, code) }).where(eq(contactVerifications.id, row.id));
    // The code is written in the language of the page that asked for it (else the practice's).
    const locale = localeOr(body.locale, localeOr(practice.defaultLocale));
    const key = await queueVerificationCode(tx, { profileId: practice.id, practiceName: practice.displayName, verificationId: row.id, sendNumber: 1, channel, recipient: contact, code, now, locale });
    return { id: row.id, key };
  });
  if (!started) {
    const replay = await verificationReplay(practice.id, input.idempotencyKey!, input.bodyHash, opts);
    if (replay) return replay;
    throw new DomainError('conflict', 'The same request is being sent twice at once; try again.');
  }
  await sendNow(started.key);
  return { id: started.id, channel, sentTo: mask(channel, contact), expiresAt: expiresAt.toISOString() };
}

/** What the code step shows: where the code went and what the patient asked for. */
export interface VerificationView extends VerificationStarted {
  status: 'pending' | 'verified' | 'used' | 'expired';
  slug: string;
  practiceName: string;
  timeZone: string;
  serviceId: string;
  serviceName: string;
  startsAt: Date;
  /** The request's own values, to put back in the form when the patient changes something. */
  body: CreateRequestBody;
  /** When "send again" becomes possible. */
  resendAt: Date;
  attemptsLeft: number;
}

/** A verification by its id (unguessable, known only to the browser or client that started it). */
export async function getVerification(id: string, opts?: CallOptions): Promise<VerificationView> {
  const row = await loadVerification(id, opts);
  const now = opts?.now ?? new Date();
  return viewOf(row, now);
}

/**
 * The patient gives the code. Wrong: one try fewer (422 wrong_code with attemptsLeft). Right: in
 * one transaction the contact counts as proved and the time is claimed exactly as a keyed request
 * would be. When the time was taken meanwhile (409), the verification stays usable with another
 * `startsAt` until it expires.
 */
export async function acceptVerification(
  id: string,
  input: { code?: unknown; startsAt?: unknown },
  caller: { baseUrl: string },
  opts?: CallOptions,
): Promise<{ request: CreatedRequest; contact: VerifiedContact; slug: string }> {
  const { code, startsAt } = parseInput(verificationCodeSchema, input);
  const now = opts?.now ?? new Date();
  const row = await loadVerification(id, opts);
  if (row.status === 'expired' || row.expiresAt <= now || row.attempts >= MAX_CODE_ATTEMPTS) {
    throw new DomainError('verification_expired', errorText('booking.codeExpired'));
  }
  if (!sameCode(row.codeHash, codeHash(row.id, code))) {
    const db = await executor(opts);
    const [after] = await db
      .update(contactVerifications)
      .set({ attempts: sql`${contactVerifications.attempts} + 1` })
      .where(and(eq(contactVerifications.id, row.id), sql`${contactVerifications.attempts} < ${MAX_CODE_ATTEMPTS}`))
      .returning({ attempts: contactVerifications.attempts });
    const left = after ? MAX_CODE_ATTEMPTS - after.attempts : 0;
    if (left <= 0) throw new DomainError('verification_expired', errorText('booking.codeTriedOut'));
    throw new DomainError('wrong_code', errorText('booking.wrongCode', { left }), { code: errorText('booking.wrongCodeField') }, undefined, { attemptsLeft: left });
  }

  const contact: VerifiedContact = { kind: row.channel === 'email' ? 'email' : 'phone', value: row.contact, by: 'code' };
  const body = parseInput(createRequestBodySchema, startsAt ? { ...row.payload, startsAt } : row.payload);
  const practice = row.practice;
  // A double submit of the right code: the request it made, with the same token again.
  if (row.status === 'used' && row.requestId && !startsAt) {
    const request = await createVerifiedRequest(
      practice,
      { service: row.service, body, bodyHash: hashBody(body), contact, baseUrl: caller.baseUrl, idempotencyKey: verificationKey(row.id), actorKind: 'patient' },
      opts,
    );
    return { request, contact, slug: row.slug };
  }
  if (row.status === 'used') throw new DomainError('verification_expired', 'This code was already used. Send the request again to get a new code.');

  const service = startsAt ? await bookableService(practice, body, now, opts) : row.service;
  const db = await executor(opts);
  // One transaction accepts the code and claims the time: BEGIN with the claim's locks, its read,
  // one write that also marks the code used, COMMIT. A claim that loses (the time was taken while the
  // patient read the code) is refused before it writes: the contact is marked proved instead, so
  // the same code can take another start.
  const verificationUsed = (requestId: string) => ({
    verification: sql`UPDATE contact_verifications SET status = 'used', request_id = ${requestId}, verified_at = coalesce(verified_at, ${now.toISOString()})
      WHERE id = ${row.id}`,
  });
  let outcome: { created: CreatedRequest } | { refused: DomainError };
  try {
    // The request carries the verification's own idempotency key, so a second submit of the
    // right code answers with the same request and token.
    const input = { service, body, bodyHash: hashBody(body), contact, baseUrl: caller.baseUrl, idempotencyKey: verificationKey(row.id), actorKind: 'patient' as const };
    outcome = await lockedTransaction(db, claimLockKeys({ practice, ...input }), async (tx) => {
      try {
        const created = await claimAnswer(tx, practice, { ...input, alsoWrite: verificationUsed }, idempotentToken(practice.id, input.idempotencyKey), now);
        if (created.replayed) await tx.execute(sql`${verificationUsed(created.id).verification}`);
        return { created };
      } catch (err) {
        if (!(err instanceof DomainError && (err.code === 'slot_unavailable' || err.code === 'too_many_pending'))) throw err;
        await tx
          .update(contactVerifications)
          .set({ status: 'verified', verifiedAt: now })
          .where(and(eq(contactVerifications.id, row.id), eq(contactVerifications.status, 'pending')));
        return { refused: err };
      }
    });
  } catch (err) {
    // Two claims crossing on overlapping slots: the loser is told the time is taken.
    if (pgErrorCode(err) === '40P01' || pgErrorCode(err) === '40001') throw slotUnavailable('That time was just taken.');
    throw err;
  }
  if ('refused' in outcome) throw outcome.refused;
  const request = outcome.created;
  if (!opts?.tx) {
    const { dispatchOutboxAfterCommit } = await import('@/lib/outbox');
    dispatchOutboxAfterCommit();
  }
  return { request, contact, slug: row.slug };
}

/** "Send again": a new code (the old one stops working), at most once per RESEND_AFTER_SECONDS. */
export async function resendVerificationCode(id: string, caller: { clientAddress: string; locale?: Locale }, opts?: CallOptions): Promise<VerificationStarted> {
  const now = opts?.now ?? new Date();
  const row = await loadVerification(id, opts);
  if (row.status !== 'pending' || row.expiresAt <= now || row.attempts >= MAX_CODE_ATTEMPTS) {
    throw new DomainError('verification_expired', 'This code has expired. Send the request again to get a new code.');
  }
  const wait = Math.ceil((row.lastSentAt.getTime() + RESEND_AFTER_SECONDS * 1000 - now.getTime()) / 1000);
  if (wait > 0) throw new DomainError('rate_limited', `You can ask for a new code in ${wait} seconds.`, undefined, wait);
  await countCode(row.contact, caller.clientAddress, row.practice.id, now, opts);
  const code = newCode();
  const expiresAt = new Date(now.getTime() + CODE_TTL_MINUTES * 60_000);
  const key = await (await getDb()).transaction(async (tx) => {
    const [updated] = await tx
      .update(contactVerifications)
      .set({ codeHash: codeHash(row.id, code), attempts: 0, expiresAt, createdAt: now })
      .where(and(eq(contactVerifications.id, row.id), eq(contactVerifications.status, 'pending')))
      .returning({ id: contactVerifications.id });
    if (!updated) throw new DomainError('verification_expired', 'This code was already used.');
    return queueVerificationCode(tx, {
      profileId: row.practice.id,
      practiceName: row.practice.displayName,
      verificationId: row.id,
      sendNumber: row.sends + 1,
      channel: row.channel,
      recipient: row.contact,
      code,
      now,
      // The page's language now (the patient may have switched), else the request's.
      locale: caller.locale ?? localeOr(row.payload.locale, localeOr(row.practice.defaultLocale)),
    });
  });
  await sendNow(key);
  return { id: row.id, channel: row.channel, sentTo: mask(row.channel, row.contact), expiresAt: expiresAt.toISOString() };
}

// ---------------------------------------------------------------------------

/** Six digits from a cryptographic source. */
function newCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

/** The stored form of a code: keyed by the server's secret and bound to its verification. */
function codeHash(id: string, code: string): string {
  return createHmac('sha256', secret()).update(`verification-code\0${id}\0${code}`).digest('hex');
}

function sameCode(stored: string, given: string): boolean {
  const a = Buffer.from(stored, 'hex');
  const b = Buffer.from(given, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The idempotency key the request of a verification is created under. */
function verificationKey(id: string): string {
  return `verification:${id}`;
}

async function countCode(contact: string, clientAddress: string, profileId: string, now: Date, opts?: CallOptions): Promise<void> {
  const [byContact, byAddress] = await hitRateLimits(
    await executor(opts),
    [
      { key: `code:contact:${profileId}:${contact}`, ...CODE_LIMITS.perContact },
      { key: `code:address:${clientAddress}`, ...CODE_LIMITS.perAddress },
    ],
    now,
  );
  if (!byContact.allowed || !byAddress.allowed) {
    const retry = Math.max(byContact.allowed ? 0 : byContact.retryAfterSeconds, byAddress.allowed ? 0 : byAddress.retryAfterSeconds);
    throw new DomainError('rate_limited', 'Too many codes were sent; try again later.', undefined, retry);
  }
}

/** Sends a code now, without making the patient wait for a failure: the sweep retries it. */
async function sendNow(key: string): Promise<void> {
  try {
    await sendNotificationByKey(key);
  } catch (err) {
    logError('verification.code_send_failed', err, { route: 'verification' });
  }
}

/** a•••@example.com, +34•••••1222 */
export function mask(channel: Channel, contact: string): string {
  if (channel === 'email') {
    const [local, domain] = contact.split('@');
    return `${local.slice(0, 1)}•••@${domain}`;
  }
  return `${contact.slice(0, 3)}•••••${contact.slice(-4)}`;
}

async function verificationReplay(profileId: string, key: string, bodyHash: string, opts?: CallOptions): Promise<VerificationStarted | null> {
  const [row] = await (await executor(opts))
    .select({
      id: contactVerifications.id,
      channel: contactVerifications.channel,
      contact: contactVerifications.contact,
      expiresAt: contactVerifications.expiresAt,
      bodyHash: contactVerifications.idempotencyBodyHash,
    })
    .from(contactVerifications)
    .where(and(eq(contactVerifications.profileId, profileId), eq(contactVerifications.idempotencyKey, key)))
    .limit(1);
  if (!row) return null;
  if (row.bodyHash !== bodyHash) {
    throw new DomainError('invalid_request', 'This Idempotency-Key was used with another body.', { 'Idempotency-Key': 'Already used with a different body.' });
  }
  return { id: row.id, channel: row.channel, sentTo: mask(row.channel, row.contact), expiresAt: row.expiresAt.toISOString(), replayed: true };
}

async function loadVerification(id: string, opts?: CallOptions) {
  if (!isUuid(id)) throw new DomainError('not_found', 'No such verification.');
  const [row] = await (await executor(opts))
    .select({
      id: contactVerifications.id,
      channel: contactVerifications.channel,
      contact: contactVerifications.contact,
      codeHash: contactVerifications.codeHash,
      attempts: contactVerifications.attempts,
      status: contactVerifications.status,
      payload: contactVerifications.payload,
      requestId: contactVerifications.requestId,
      expiresAt: contactVerifications.expiresAt,
      lastSentAt: contactVerifications.createdAt,
      sends: sql<number>`(SELECT count(*)::int FROM notifications n WHERE n.dedupe_key LIKE 'verification-' || ${contactVerifications.id} || '-code-%')`,
      slug: profiles.slug,
      practice: practiceColumns,
      service: { id: medicalServices.id, durationMinutes: medicalServices.durationMinutes, name: medicalServices.name },
    })
    .from(contactVerifications)
    .innerJoin(profiles, and(eq(profiles.id, contactVerifications.profileId), eq(profiles.isActive, true)))
    .innerJoin(medicalServices, sql`${medicalServices.id}::text = ${contactVerifications.payload}->>'serviceId' AND ${medicalServices.profileId} = ${profiles.id}`)
    .where(eq(contactVerifications.id, id))
    .limit(1);
  if (!row) throw new DomainError('not_found', 'No such verification.');
  return { ...row, payload: row.payload as CreateRequestBody, sends: Number(row.sends) };
}

function viewOf(row: Awaited<ReturnType<typeof loadVerification>>, now: Date): VerificationView {
  const expired = row.expiresAt <= now || row.attempts >= MAX_CODE_ATTEMPTS;
  return {
    id: row.id,
    channel: row.channel,
    sentTo: mask(row.channel, row.contact),
    expiresAt: row.expiresAt.toISOString(),
    status: row.status === 'pending' && expired ? 'expired' : row.status,
    slug: row.slug,
    practiceName: row.practice.displayName,
    timeZone: row.practice.timeZone,
    serviceId: row.service.id,
    serviceName: row.service.name,
    startsAt: new Date(row.payload.startsAt),
    body: row.payload,
    resendAt: new Date(row.lastSentAt.getTime() + RESEND_AFTER_SECONDS * 1000),
    attemptsLeft: Math.max(0, MAX_CODE_ATTEMPTS - row.attempts),
  };
}
