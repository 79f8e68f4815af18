import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { medicalServices, patients, profiles, reservationRequests } from '@/db/schema';
import { audit } from '@/lib/audit';
import { bookingWindow } from '@/lib/availability/query';
import { executor, getDb, rowCount, type CallOptions, type Executor, type Tx } from '@/lib/db';
import { DomainError, pgErrorCode } from '@/lib/errors';
import { queueExpired, queueRequestCreated } from '@/lib/notifications';
import { dispatchOutboxAfterCommit, enqueueEvent } from '@/lib/outbox';
import { hitRateLimits } from '@/lib/rate-limit';
import { SLUG_PATTERN } from '@/lib/validation/api';
import { parseInput } from '@/lib/validation/fields';
import { createRequestBodySchema, idempotencyKeySchema, type CreateRequestBody, type CreateRequestInput } from '@/lib/validation/requests';
import { expireOverdueHolders } from './slots';
import { hashBody, hashToken, idempotentToken, newToken } from './tokens';

/** Requests accepted from one address, and for one phone, per window (API.md: 429). */
export const RATE_LIMITS = {
  perAddress: { limit: 30, windowSeconds: 10 * 60 },
  perPhone: { limit: 5, windowSeconds: 60 * 60 },
} as const;

/** Who is asking, as the public door sees them (in place of a signed-in actor). */
export interface PublicCaller {
  clientAddress: string;
  /** Origin for the status link, e.g. https://example.com */
  baseUrl: string;
  /** The API's `Idempotency-Key` header, unparsed. */
  idempotencyKey?: string | null;
}

export interface CreatedRequest {
  id: string;
  status: 'pending';
  startsAt: string;
  endsAt: string;
  expiresAt: string;
  token: string;
  statusUrl: string;
  /** True when this answers an earlier call with the same Idempotency-Key. */
  replayed: boolean;
}

/**
 * A patient's request for a time. One transaction claims every slot the service needs (all or
 * none: the slots are locked in order and must all be free), finds or creates the patient, inserts
 * the request with its deadline and writes `reservation/requested` to the outbox. The token is
 * returned once; only its hash is stored.
 */
export async function createRequest(caller: PublicCaller, slug: string, input: CreateRequestInput, opts?: CallOptions): Promise<CreatedRequest> {
  if (typeof slug !== 'string' || !SLUG_PATTERN.test(slug)) throw new DomainError('not_found', 'No such practice.');
  const body = parseInput(createRequestBodySchema, input);
  const idempotencyKey =
    caller.idempotencyKey == null
      ? undefined
      : parseInput(z.object({ 'Idempotency-Key': idempotencyKeySchema }), { 'Idempotency-Key': caller.idempotencyKey })['Idempotency-Key'];
  const now = opts?.now ?? new Date();
  const db = await executor(opts);
  const [profile] = await db
    .select({
      id: profiles.id,
      approvalWindowMinutes: profiles.approvalWindowMinutes,
      minNoticeMinutes: profiles.minNoticeMinutes,
      horizonDays: profiles.horizonDays,
      timeZone: profiles.timeZone,
    })
    .from(profiles)
    .where(and(eq(profiles.slug, slug), eq(profiles.isActive, true)))
    .limit(1);
  if (!profile) throw new DomainError('not_found', 'No such practice.');

  const bodyHash = hashBody(body);
  if (idempotencyKey) {
    const replay = await findReplay(db, profile.id, idempotencyKey, bodyHash, caller.baseUrl);
    if (replay) return replay;
  }

  const [byAddress, byPhone] = await hitRateLimits(
    db,
    [
      { key: `booking:address:${caller.clientAddress}`, ...RATE_LIMITS.perAddress },
      { key: `booking:phone:${profile.id}:${body.patient.phone}`, ...RATE_LIMITS.perPhone },
    ],
    now,
  );
  if (!byAddress.allowed || !byPhone.allowed) {
    const retry = Math.max(byAddress.allowed ? 0 : byAddress.retryAfterSeconds, byPhone.allowed ? 0 : byPhone.retryAfterSeconds);
    throw new DomainError('rate_limited', 'Too many requests; try again later.', undefined, retry);
  }

  const token = idempotencyKey ? idempotentToken(profile.id, idempotencyKey) : newToken();
  let created: CreatedRequest;
  try {
    created = await inTransaction(opts, async (tx) => {
      if (idempotencyKey) {
        // The same key sent twice at once: the second waits here, then answers as the first did.
        await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`idempotency:${profile.id}:${idempotencyKey}`}, 0))`);
        const replay = await findReplay(tx, profile.id, idempotencyKey, bodyHash, caller.baseUrl);
        if (replay) return replay;
      }
      const [service] = await tx
        .select({ id: medicalServices.id, durationMinutes: medicalServices.durationMinutes })
        .from(medicalServices)
        .where(and(eq(medicalServices.id, body.serviceId), eq(medicalServices.profileId, profile.id), eq(medicalServices.isActive, true)))
        .limit(1);
      if (!service) throw new DomainError('not_found', 'No such service at this practice.', { serviceId: 'Not a service of this practice.' });

      const startsAt = new Date(body.startsAt);
      const endsAt = new Date(startsAt.getTime() + service.durationMinutes * 60_000);
      // The same window the availability query offers: what is never shown can't be requested.
      const { earliestStart: earliest, latestStart: horizonEnd } = bookingWindow(profile, now);
      if (startsAt < earliest) throw unavailable(startsAt <= now ? 'That time has passed.' : 'That time is inside the practice’s minimum notice.');
      if (startsAt > horizonEnd) throw unavailable('That time is beyond the practice’s booking horizon.');

      // Requests that lapsed without an answer never block a slot, even before a sweep runs.
      for (const expiredId of await expireOverdueHolders(tx, profile.id, startsAt, endsAt, now)) {
        await queueExpired(tx, { requestId: expiredId, now });
      }
      const slotIds = await lockFreeSlots(tx, profile.id, service.id, startsAt, endsAt);

      const patientId = await findOrCreatePatient(tx, profile.id, body);
      const expiresAt = new Date(
        Math.min(now.getTime() + profile.approvalWindowMinutes * 60_000, startsAt.getTime() - profile.minNoticeMinutes * 60_000),
      );
      const [request] = await tx
        .insert(reservationRequests)
        .values({
          profileId: profile.id,
          serviceId: service.id,
          patientId,
          startsAt,
          endsAt,
          reason: body.reason?.trim() ?? '',
          consentAt: now,
          status: 'pending',
          expiresAt,
          tokenHash: hashToken(token),
          idempotencyKey: idempotencyKey ?? null,
          idempotencyBodyHash: idempotencyKey ? bodyHash : null,
          createdAt: now,
        })
        .returning({ id: reservationRequests.id });

      // Compare-and-set on the rows locked above: all of them, or the transaction fails.
      const claimed = await tx.execute(sql`
        UPDATE time_slots SET status = 'pending_approval', request_id = ${request.id}, updated_at = now()
        WHERE id IN (${sql.join(slotIds.map((id) => sql`${id}`), sql`, `)}) AND status = 'available'`);
      if (rowCount(claimed) !== slotIds.length) throw unavailable('That time was just taken.');

      await enqueueEvent(tx, {
        name: 'reservation/requested',
        id: `request-${request.id}-requested`,
        data: { requestId: request.id, profileId: profile.id, expiresAt: expiresAt.toISOString() },
      });
      await queueRequestCreated(tx, { requestId: request.id, statusUrl: statusUrl(caller.baseUrl, token), baseUrl: caller.baseUrl, now });
      await audit(tx, {
        profileId: profile.id,
        actorUserId: null,
        actorKind: 'patient',
        action: 'request.created',
        entityType: 'reservation_request',
        entityId: request.id,
        details: { serviceId: service.id, startsAt: startsAt.toISOString(), slots: slotIds.length },
      });
      return {
        id: request.id,
        status: 'pending' as const,
        startsAt: startsAt.toISOString(),
        endsAt: endsAt.toISOString(),
        expiresAt: expiresAt.toISOString(),
        token,
        statusUrl: statusUrl(caller.baseUrl, token),
        replayed: false,
      };
    });
  } catch (err) {
    // The same Idempotency-Key sent twice at once: the unique index let one in; answer as it did.
    if (idempotencyKey && pgErrorCode(err) === '23505') {
      const replay = await findReplay(db, profile.id, idempotencyKey, bodyHash, caller.baseUrl);
      if (replay) return replay;
    }
    // Two claims crossing on overlapping slots: the loser is told the time is taken.
    if (pgErrorCode(err) === '40P01' || pgErrorCode(err) === '40001') throw unavailable('That time was just taken.');
    throw err;
  }
  if (!created.replayed && !opts?.tx) dispatchOutboxAfterCommit();
  return created;
}

/**
 * Runs the claim in a transaction of its own, or (inside a caller's transaction) in a savepoint, so
 * a lost race rolls back only the claim and the caller can answer for it.
 */
async function inTransaction<T>(opts: CallOptions | undefined, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const outer = opts?.tx ?? (await getDb());
  return outer.transaction(fn);
}

export function statusUrl(baseUrl: string, token: string): string {
  return `${baseUrl.replace(/\/$/, '')}/requests/${token}`;
}

function unavailable(message: string): DomainError {
  return new DomainError('slot_unavailable', message);
}

/**
 * Locks, in start order (so concurrent claims cannot deadlock), the slots covering
 * [startsAt, endsAt) and checks they are consecutive, free and open to the service.
 */
async function lockFreeSlots(tx: Tx, profileId: string, serviceId: string, startsAt: Date, endsAt: Date): Promise<string[]> {
  const locked = await tx.execute<{ id: string; starts_at: string | Date; ends_at: string | Date; status: string; service_ids: string[] | string | null }>(sql`
    SELECT id, starts_at, ends_at, status, service_ids FROM time_slots
    WHERE profile_id = ${profileId} AND starts_at < ${endsAt.toISOString()} AND ends_at > ${startsAt.toISOString()}
    ORDER BY starts_at
    FOR UPDATE`);
  const rows = locked.rows;
  if (!rows.length) throw unavailable('That is not a bookable time for this service.');
  let cursor = startsAt.getTime();
  for (const row of rows) {
    const s = new Date(row.starts_at).getTime();
    const e = new Date(row.ends_at).getTime();
    if (s !== cursor) throw unavailable('That is not a bookable time for this service.');
    if (row.status !== 'available') throw unavailable(row.status === 'blocked' ? 'That time is blocked.' : 'That time is taken.');
    const allowed = parseUuidArray(row.service_ids);
    if (allowed && !allowed.includes(serviceId)) throw unavailable('That time is not offered for this service.');
    cursor = e;
  }
  if (cursor < endsAt.getTime()) throw unavailable('That is not a bookable time for this service.');
  return rows.map((r) => r.id);
}

function parseUuidArray(value: string[] | string | null): string[] | null {
  if (value === null) return null;
  if (Array.isArray(value)) return value;
  // Some drivers return uuid[] from raw SQL as the text form {a,b}.
  return value.replace(/^\{|\}$/g, '').split(',').filter(Boolean);
}

/**
 * The patient within the practice: matched by phone AND name (and birth date when both have one),
 * never by phone alone: a family may share a phone, and histories must never merge.
 */
async function findOrCreatePatient(tx: Tx, profileId: string, body: CreateRequestBody): Promise<string> {
  const { name, phone, email, dateOfBirth } = body.patient;
  // Serialize first-time requests for one phone so a patient is not created twice.
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`${profileId}:${phone}`}, 0))`);
  const candidates = await tx
    .select({ id: patients.id, dateOfBirth: patients.dateOfBirth })
    .from(patients)
    .where(and(eq(patients.profileId, profileId), eq(patients.phone, phone), sql`lower(${patients.name}) = lower(${name})`));
  const match =
    candidates.find((p) => dateOfBirth && p.dateOfBirth === dateOfBirth) ??
    candidates.find((p) => !dateOfBirth || !p.dateOfBirth);
  if (match) {
    const updates: Partial<typeof patients.$inferInsert> = {};
    if (email) updates.email = email;
    if (dateOfBirth && !match.dateOfBirth) updates.dateOfBirth = dateOfBirth;
    if (body.whatsappOptOut !== undefined) updates.whatsappOptOut = body.whatsappOptOut;
    if (Object.keys(updates).length) await tx.update(patients).set(updates).where(eq(patients.id, match.id));
    return match.id;
  }
  const [created] = await tx
    .insert(patients)
    .values({ profileId, name, phone, email: email ?? null, dateOfBirth: dateOfBirth ?? null, whatsappOptOut: body.whatsappOptOut ?? false })
    .returning({ id: patients.id });
  return created.id;
}

async function findReplay(db: Executor, profileId: string, key: string, bodyHash: string, baseUrl: string): Promise<CreatedRequest | null> {
  const [existing] = await db
    .select({
      id: reservationRequests.id,
      startsAt: reservationRequests.startsAt,
      endsAt: reservationRequests.endsAt,
      expiresAt: reservationRequests.expiresAt,
      bodyHash: reservationRequests.idempotencyBodyHash,
    })
    .from(reservationRequests)
    .where(and(eq(reservationRequests.profileId, profileId), eq(reservationRequests.idempotencyKey, key)))
    .limit(1);
  if (!existing) return null;
  if (existing.bodyHash !== bodyHash) {
    throw new DomainError('invalid_request', 'This Idempotency-Key was used with another body.', {
      'Idempotency-Key': 'Already used with a different body.',
    });
  }
  const token = idempotentToken(profileId, key);
  return {
    id: existing.id,
    status: 'pending',
    startsAt: existing.startsAt.toISOString(),
    endsAt: existing.endsAt.toISOString(),
    expiresAt: existing.expiresAt.toISOString(),
    token,
    statusUrl: statusUrl(baseUrl, token),
    replayed: true,
  };
}

