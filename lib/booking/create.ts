import { and, eq } from 'drizzle-orm';
import { profiles, reservationRequests, reservations, type RequestStatus } from '@/db/schema';
import { findBookableStarts } from '@/lib/availability/query';
import { keptBySlug } from '@/lib/availability/public-profile';
import { localDateOf } from '@/lib/availability/time';
import { executor, lockedTransaction, type CallOptions, type Executor, type Tx } from '@/lib/db';
import { DomainError, pgErrorCode } from '@/lib/errors';
import { dispatchOutboxAfterCommit } from '@/lib/outbox';
import { hitRateLimits } from '@/lib/rate-limit';
import { SLUG_PATTERN } from '@/lib/validation/api';
import { parseInput } from '@/lib/validation/fields';
import { idempotencyHeaderSchema, requestBodySchemaFor, type CreateRequestBody, type CreateRequestInput } from '@/lib/validation/requests';
import { claimLockKeys, claimRequest, slotUnavailable, type ClaimInput, type ClaimPractice, type VerifiedContact } from './claim';
import { hashBody, idempotentToken, newToken } from './tokens';
import { startVerification, type VerificationStarted } from './verification';

/** Limits on requests that hold time (API.md: 429). Codes have their own (verification.ts). */
export const RATE_LIMITS = {
  perAddress: { limit: 30, windowSeconds: 10 * 60 },
} as const;

/** An integration's key, already authenticated (lib/integrations). */
export interface IntegrationCaller {
  keyId: string;
  profileId: string;
  /** Its practice, when the key's check read it (then not read again). */
  practice?: BookingPractice;
}

/** Who is asking, as the public door sees them (in place of a signed-in actor). */
export interface PublicCaller {
  clientAddress: string;
  /** Origin for the status link, e.g. https://example.com */
  baseUrl: string;
  /** The API's `Idempotency-Key` header, unparsed. */
  idempotencyKey?: string | null;
  /** A valid integration key of some practice, or none (anonymous). */
  integration?: IntegrationCaller | null;
  /** Contacts this browser proved before (the booking page's signed cookie). */
  rememberedContacts?: VerifiedContact[];
}

export interface CreatedRequest {
  id: string;
  /** `pending` when created; a replay reports the request's current status. */
  status: RequestStatus;
  startsAt: string;
  endsAt: string;
  expiresAt: string;
  token: string;
  statusUrl: string;
  /** True when this answers an earlier call with the same Idempotency-Key. */
  replayed: boolean;
}

export type CreateOutcome = { kind: 'created'; request: CreatedRequest } | { kind: 'verification'; verification: VerificationStarted };

/**
 * A patient's request for a time, as the public page and the API receive it. The body is fully
 * validated and the time checked as free before anything is counted or sent. A contact already
 * proved (an integration vouching for its sender's phone, or a browser that proved the e-mail
 * before) creates the request at once; otherwise nothing is held yet: a one-time code goes to the
 * patient, and the time is claimed when the code comes back (acceptVerification).
 */
export async function createRequest(caller: PublicCaller, slug: string, input: CreateRequestInput, opts?: CallOptions): Promise<CreateOutcome> {
  const known = caller.integration?.practice;
  const practice = known && known.slug === slug ? known : await practiceBySlug(slug, opts);
  if (caller.integration && caller.integration.profileId !== practice.id) {
    throw new DomainError('forbidden', 'This key belongs to another practice.');
  }
  // A phone may be typed nationally: read with the practice's country, stored as E.164.
  const body = parseInput(requestBodySchemaFor(practice.country), input);
  if (body.patient.phoneVerified && !caller.integration) {
    const message = 'Only an integration with its own key can say it verified the phone.';
    throw new DomainError('invalid_request', message, { 'patient.phoneVerified': message });
  }
  const idempotencyKey =
    caller.idempotencyKey == null
      ? undefined
      : parseInput(idempotencyHeaderSchema, { 'Idempotency-Key': caller.idempotencyKey })['Idempotency-Key'];
  const now = opts?.now ?? new Date();
  const bodyHash = hashBody(body);

  const contact = provedContact(caller, body);
  if (contact?.by === 'integration') {
    // Nothing is counted or sent before the claim, and the claim checks everything under its locks
    // (the service, the window, the slots free and open to it) and answers a replayed key: no
    // separate checks first, each of which would be a round trip more.
    const request = await createVerifiedRequest(practice, { service: { id: body.serviceId }, body, bodyHash, contact, baseUrl: caller.baseUrl, idempotencyKey, actorKind: 'api' }, opts);
    return { kind: 'created', request };
  }

  if (idempotencyKey) {
    const replay = await findReplay(await executor(opts), practice.id, idempotencyKey, bodyHash, caller.baseUrl, now);
    if (replay) return { kind: 'created', request: replay };
  }
  const service = await bookableService(practice, body, now, opts);

  if (!contact) {
    const verification = await startVerification(
      { practice, body, bodyHash, idempotencyKey, clientAddress: caller.clientAddress },
      opts,
    );
    return { kind: 'verification', verification };
  }

  if (!caller.integration) {
    // A remembered browser, per address; an integration is limited per key where it is authenticated.
    const [hit] = await hitRateLimits(await executor(opts), [{ key: `booking:address:${caller.clientAddress}`, ...RATE_LIMITS.perAddress }], now);
    if (!hit.allowed) throw new DomainError('rate_limited', 'Too many requests; try again later.', undefined, hit.retryAfterSeconds);
  }

  const request = await createVerifiedRequest(
    practice,
    { service, body, bodyHash, contact, baseUrl: caller.baseUrl, idempotencyKey, actorKind: caller.integration ? 'api' : 'patient' },
    opts,
  );
  return { kind: 'created', request };
}

/** What proves the patient's contact in this call, if anything does. */
function provedContact(caller: PublicCaller, body: CreateRequestBody): VerifiedContact | null {
  if (caller.integration && body.patient.phoneVerified) return { kind: 'phone', value: body.patient.phone, by: 'integration' };
  const email = body.patient.email?.toLowerCase();
  const remembered = caller.rememberedContacts?.find(
    (c) => (c.kind === 'email' && c.value === email) || (c.kind === 'phone' && c.value === body.patient.phone),
  );
  return remembered ? { ...remembered, by: 'browser' } : null;
}

export interface VerifiedRequestInput {
  /** The service asked for (the claim reads and checks it under its locks). */
  service: { id: string };
  body: CreateRequestBody;
  bodyHash: string;
  contact: VerifiedContact;
  baseUrl: string;
  idempotencyKey?: string;
  /** The token to issue (a verification's own, derived); a new random one when absent. */
  token?: string;
  actorKind: 'patient' | 'api';
  /** More writes for the claim's statement (claimRequest). */
  alsoWrite?: ClaimInput['alsoWrite'];
}

/**
 * Creates the request of a proved contact: one transaction (a savepoint inside the caller's, so a
 * lost race rolls back only the claim and the caller can answer for it) claims the time
 * (claimRequest: BEGIN with its locks, one read, one write, COMMIT). The token is returned once;
 * only its hash is stored.
 */
export async function createVerifiedRequest(practice: ClaimPractice, input: VerifiedRequestInput, opts?: CallOptions): Promise<CreatedRequest> {
  const now = opts?.now ?? new Date();
  const { idempotencyKey } = input;
  const token = input.token ?? (idempotencyKey ? idempotentToken(practice.id, idempotencyKey) : newToken());
  let created: CreatedRequest;
  try {
    created = await lockedTransaction(await executor(opts), claimLockKeys({ practice, ...input }), (tx) => claimAnswer(tx, practice, input, token, now));
  } catch (err) {
    // The same Idempotency-Key sent twice at once: the unique index let one in; answer as it did.
    if (idempotencyKey && pgErrorCode(err) === '23505') {
      const replay = await findReplay(await executor(opts), practice.id, idempotencyKey, input.bodyHash, input.baseUrl, now);
      if (replay) return replay;
    }
    // Two claims crossing on overlapping slots: the loser is told the time is taken.
    if (pgErrorCode(err) === '40P01' || pgErrorCode(err) === '40001') throw slotUnavailable('That time was just taken.');
    throw err;
  }
  if (!created.replayed && !opts?.tx) dispatchOutboxAfterCommit();
  return created;
}

/**
 * The claim inside the caller's transaction, answered as the API answers it: the new request, or
 * the one an earlier call with the same Idempotency-Key made. Refusals are thrown before any write.
 */
export async function claimAnswer(tx: Tx, practice: ClaimPractice, input: VerifiedRequestInput, token: string, now: Date): Promise<CreatedRequest> {
  const link = statusUrl(input.baseUrl, token);
  const claimed = await claimRequest(tx, { practice, ...input, token, statusUrl: link, now });
  if (claimed.kind === 'replay') {
    const r = claimed.replay;
    const row = { ...r, startsAt: new Date(r.startsAt), endsAt: new Date(r.endsAt), expiresAt: new Date(r.expiresAt) };
    return replayAnswer(row, practice.id, input.idempotencyKey!, input.bodyHash, input.baseUrl, now);
  }
  return {
    id: claimed.id,
    status: 'pending',
    startsAt: claimed.startsAt.toISOString(),
    endsAt: claimed.endsAt.toISOString(),
    expiresAt: claimed.expiresAt.toISOString(),
    token,
    statusUrl: link,
    replayed: false,
  };
}

export function statusUrl(baseUrl: string, token: string): string {
  return `${baseUrl.replace(/\/$/, '')}/requests/${token}`;
}

/** What a request needs of its practice (one select list for every loader of it). */
export const practiceColumns = {
  id: profiles.id,
  slug: profiles.slug,
  displayName: profiles.displayName,
  approvalWindowMinutes: profiles.approvalWindowMinutes,
  minNoticeMinutes: profiles.minNoticeMinutes,
  horizonDays: profiles.horizonDays,
  timeZone: profiles.timeZone,
  maxPendingPerContact: profiles.maxPendingPerContact,
  whatsappEnabled: profiles.whatsappEnabled,
  country: profiles.country,
  defaultLocale: profiles.defaultLocale,
};

/** What a request needs of its practice (practiceColumns). */
export type BookingPractice = ClaimPractice & { slug: string; whatsappEnabled: boolean; displayName: string; country: string; defaultLocale: string };

/**
 * An active practice by its public slug, with what a request needs: in production a copy the
 * server keeps for a short while, as it keeps the public profile (keptBySlug), since every
 * booking without a key reads it first. A claim reads the practice's settings again under its
 * locks (claimRequest), so a kept copy from before a change never decides what is booked.
 */
export async function practiceBySlug(slug: string, opts?: CallOptions): Promise<BookingPractice> {
  if (typeof slug !== 'string' || !SLUG_PATTERN.test(slug)) throw new DomainError('not_found', 'No such practice.');
  return keptBySlug('booking', slug, opts, async () => {
    const [practice] = await (await executor(opts))
      .select(practiceColumns)
      .from(profiles)
      .where(and(eq(profiles.slug, slug), eq(profiles.isActive, true)))
      .limit(1);
    if (!practice) throw new DomainError('not_found', 'No such practice.');
    return practice;
  });
}

/**
 * The service, if the requested start is one the booking page would offer right now (free, within
 * notice and horizon, a bookable start for the service): checked before anything is counted or
 * sent, so a request for a taken or past time costs nothing and holds nothing.
 */
export async function bookableService(practice: ClaimPractice, body: CreateRequestBody, now: Date, opts?: CallOptions) {
  const startsAt = new Date(body.startsAt);
  if (startsAt <= now) throw slotUnavailable('That time has passed.');
  const day = localDateOf(startsAt, practice.timeZone);
  // One round trip: the query finds the service (an active one of this practice) and the day's free starts.
  let free;
  try {
    free = await findBookableStarts({ profileId: practice.id }, { serviceId: body.serviceId, from: day, to: day }, { ...opts, now });
  } catch (err) {
    if (err instanceof DomainError && err.code === 'not_found') {
      throw new DomainError('not_found', 'No such service at this practice.', { serviceId: 'Not a service of this practice.' });
    }
    throw err;
  }
  if (!free.starts.some((s) => s.startsAt.getTime() === startsAt.getTime())) {
    throw slotUnavailable('That time is not free: it is taken, blocked, inside the minimum notice, beyond the horizon, or not a start for this service.');
  }
  return { id: free.serviceId, durationMinutes: free.durationMinutes };
}

/** The first answer to an Idempotency-Key, with the request's status as it is now. */
async function findReplay(db: Executor, profileId: string, key: string, bodyHash: string, baseUrl: string, now: Date): Promise<CreatedRequest | null> {
  const [existing] = await db
    .select({
      id: reservationRequests.id,
      status: reservationRequests.status,
      startsAt: reservationRequests.startsAt,
      endsAt: reservationRequests.endsAt,
      expiresAt: reservationRequests.expiresAt,
      bodyHash: reservationRequests.idempotencyBodyHash,
      reservationStatus: reservations.status,
    })
    .from(reservationRequests)
    .leftJoin(reservations, eq(reservations.requestId, reservationRequests.id))
    .where(and(eq(reservationRequests.profileId, profileId), eq(reservationRequests.idempotencyKey, key)))
    .limit(1);
  return existing ? replayAnswer(existing, profileId, key, bodyHash, baseUrl, now) : null;
}

/** The answer to a replayed Idempotency-Key: the first call's request as it is now, if the body is the same. */
function replayAnswer(
  existing: { id: string; status: RequestStatus; startsAt: Date; endsAt: Date; expiresAt: Date; bodyHash: string | null; reservationStatus: string | null },
  profileId: string,
  key: string,
  bodyHash: string,
  baseUrl: string,
  now: Date,
): CreatedRequest {
  if (existing.bodyHash !== bodyHash) {
    throw new DomainError('invalid_request', 'This Idempotency-Key was used with another body.', {
      'Idempotency-Key': 'Already used with a different body.',
    });
  }
  const token = idempotentToken(profileId, key);
  return {
    id: existing.id,
    status: currentStatus(existing, now),
    startsAt: existing.startsAt.toISOString(),
    endsAt: existing.endsAt.toISOString(),
    expiresAt: existing.expiresAt.toISOString(),
    token,
    statusUrl: statusUrl(baseUrl, token),
    replayed: true,
  };
}

/** A request's status as the patient reads it: overdue pending is expired, a cancelled appointment is cancelled. */
export function currentStatus(r: { status: RequestStatus; expiresAt: Date; reservationStatus: string | null }, now: Date): RequestStatus {
  if (r.status === 'pending' && r.expiresAt <= now) return 'expired';
  if (r.status === 'approved' && r.reservationStatus === 'cancelled') return 'cancelled';
  return r.status;
}
