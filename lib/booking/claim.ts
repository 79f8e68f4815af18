import { and, eq, sql } from 'drizzle-orm';
import { patients, reservationRequests } from '@/db/schema';
import { audit } from '@/lib/audit';
import { bookingWindow } from '@/lib/availability/query';
import { rowCount, type Executor, type Tx } from '@/lib/db';
import { DomainError } from '@/lib/errors';
import { queueExpired, queueRequestCreated } from '@/lib/notifications';
import { enqueueEvent } from '@/lib/outbox';
import type { CreateRequestBody } from '@/lib/validation/requests';
import { expireOverdueHolders } from './slots';
import { hashToken } from './tokens';

/** A contact proved in this flow: by a one-time code, by an integration, by a remembered browser, or on a staff member's word (a phone-in). */
export interface VerifiedContact {
  kind: 'email' | 'phone';
  /** Lower-case e-mail or E.164 phone. */
  value: string;
  /** What proved it, for the audit log. */
  by: 'code' | 'integration' | 'browser' | 'staff';
}

/** The practice settings a claim needs (one row, read by the caller). */
export interface ClaimPractice {
  id: string;
  approvalWindowMinutes: number;
  minNoticeMinutes: number;
  horizonDays: number;
  timeZone: string;
  maxPendingPerContact: number;
}

export interface ClaimInput {
  practice: ClaimPractice;
  service: { id: string; durationMinutes: number };
  body: CreateRequestBody;
  contact: VerifiedContact;
  token: string;
  statusUrl: string;
  baseUrl: string;
  idempotencyKey?: string;
  bodyHash?: string;
  actorKind: 'patient' | 'api';
  now: Date;
}

export interface ClaimedRequest {
  id: string;
  startsAt: Date;
  endsAt: Date;
  expiresAt: Date;
}

export function slotUnavailable(message: string): DomainError {
  return new DomainError('slot_unavailable', message);
}

/**
 * Claims a time for a patient whose contact was proved, inside the caller's transaction: the
 * pending cap of that contact (under a lock on it, so parallel claims cannot both pass), every slot
 * the service needs locked in start order and taken all or none, the patient found by the proved
 * contact and name (or created), the request with its deadline, its event, messages and audit.
 */
export async function claimRequest(tx: Tx, input: ClaimInput): Promise<ClaimedRequest> {
  const { practice, service, body, now } = input;
  const startsAt = new Date(body.startsAt);
  const endsAt = new Date(startsAt.getTime() + service.durationMinutes * 60_000);
  checkBookingWindow(practice, startsAt, now);

  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`contact:${practice.id}:${input.contact.kind}:${input.contact.value}`}, 0))`);
  await checkPendingCap(tx, practice, input.contact, now);

  // Requests that lapsed without an answer never block a slot, even before a sweep runs.
  for (const expiredId of await expireOverdueHolders(tx, practice.id, startsAt, endsAt, now)) {
    await queueExpired(tx, { requestId: expiredId, now });
  }
  const slotIds = await lockFreeSlots(tx, practice.id, service.id, startsAt, endsAt);
  const patientId = await findOrCreatePatient(tx, practice.id, body, input.contact, now);
  const expiresAt = new Date(Math.min(now.getTime() + practice.approvalWindowMinutes * 60_000, startsAt.getTime() - practice.minNoticeMinutes * 60_000));
  const [request] = await tx
    .insert(reservationRequests)
    .values({
      profileId: practice.id,
      serviceId: service.id,
      patientId,
      startsAt,
      endsAt,
      reason: body.reason ?? '',
      consentAt: now,
      status: 'pending',
      expiresAt,
      tokenHash: hashToken(input.token),
      idempotencyKey: input.idempotencyKey ?? null,
      idempotencyBodyHash: input.idempotencyKey ? (input.bodyHash ?? null) : null,
      createdAt: now,
    })
    .returning({ id: reservationRequests.id });

  // Compare-and-set on the rows locked above: all of them, or the transaction fails.
  const claimed = await tx.execute(sql`
    UPDATE time_slots SET status = 'pending_approval', request_id = ${request.id}, updated_at = now()
    WHERE id IN (${sql.join(slotIds.map((id) => sql`${id}`), sql`, `)}) AND status = 'available'`);
  if (rowCount(claimed) !== slotIds.length) throw slotUnavailable('That time was just taken.');

  await enqueueEvent(tx, {
    name: 'reservation/requested',
    id: `request-${request.id}-requested`,
    data: { requestId: request.id, profileId: practice.id, expiresAt: expiresAt.toISOString() },
  });
  await queueRequestCreated(tx, { requestId: request.id, statusUrl: input.statusUrl, baseUrl: input.baseUrl, now });
  await audit(tx, {
    profileId: practice.id,
    actorUserId: null,
    actorKind: input.actorKind,
    action: 'request.created',
    entityType: 'reservation_request',
    entityId: request.id,
    details: { serviceId: service.id, startsAt: startsAt.toISOString(), slots: slotIds.length, verifiedBy: input.contact.by },
  });
  return { id: request.id, startsAt, endsAt, expiresAt };
}

/** The same window the availability query offers: what is never shown can't be requested. */
export function checkBookingWindow(practice: ClaimPractice, startsAt: Date, now: Date): void {
  const { earliestStart, latestStart } = bookingWindow(practice, now);
  if (startsAt < earliestStart) throw slotUnavailable(startsAt <= now ? 'That time has passed.' : 'That time is inside the practice’s minimum notice.');
  if (startsAt > latestStart) throw slotUnavailable('That time is beyond the practice’s booking horizon.');
}

/** At most `maxPendingPerContact` requests waiting for an answer per proved contact. */
export async function checkPendingCap(tx: Executor, practice: ClaimPractice, contact: VerifiedContact, now: Date): Promise<void> {
  const byContact = contact.kind === 'email' ? sql`lower(${patients.email}) = ${contact.value}` : sql`${patients.phone} = ${contact.value}`;
  // A move of an appointment waiting for the practice holds a time too (lib/booking/move.ts).
  const result = await tx.execute<{ n: number }>(sql`
    SELECT count(*)::int AS n FROM ${reservationRequests} r
    JOIN ${patients} ON ${patients.id} = r.patient_id
    WHERE r.profile_id = ${practice.id} AND ${patients.profileId} = ${practice.id} AND ${byContact}
      AND ((r.status = 'pending' AND r.expires_at > ${now.toISOString()})
        OR (r.status = 'approved' AND EXISTS (SELECT 1 FROM request_moves m WHERE m.request_id = r.id AND m.status = 'pending')))`);
  const pending = Number(result.rows[0]?.n ?? 0);
  if (pending >= practice.maxPendingPerContact) {
    throw new DomainError(
      'too_many_pending',
      `You already have ${pending} request${pending === 1 ? '' : 's'} waiting for this practice’s answer. Wait for an answer, or cancel one, before asking for another time.`,
    );
  }
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
  if (!rows.length) throw slotUnavailable('That is not a bookable time for this service.');
  let cursor = startsAt.getTime();
  for (const row of rows) {
    const s = new Date(row.starts_at).getTime();
    const e = new Date(row.ends_at).getTime();
    if (s !== cursor) throw slotUnavailable('That is not a bookable time for this service.');
    if (row.status !== 'available') throw slotUnavailable(row.status === 'blocked' ? 'That time is blocked.' : 'That time is taken.');
    const allowed = parseUuidArray(row.service_ids);
    if (allowed && !allowed.includes(serviceId)) throw slotUnavailable('That time is not offered for this service.');
    cursor = e;
  }
  if (cursor < endsAt.getTime()) throw slotUnavailable('That is not a bookable time for this service.');
  return rows.map((r) => r.id);
}

function parseUuidArray(value: string[] | string | null): string[] | null {
  if (value === null) return null;
  if (Array.isArray(value)) return value;
  // Some drivers return uuid[] from raw SQL as the text form {a,b}.
  return value.replace(/^\{|\}$/g, '').split(',').filter(Boolean);
}

/**
 * The patient within the practice, matched by the contact proved in this flow AND the name (and
 * the birth date when both have one), never by an unproved contact: a family may share a phone,
 * histories must never merge, and nobody can take over another patient's messages by knowing
 * their name and number. Only the proved contact (and, with a proved phone, the WhatsApp
 * preference) may change a stored patient; a birth date is only ever filled in. Changes are
 * audited by field name, never with the values.
 */
async function findOrCreatePatient(tx: Tx, profileId: string, body: CreateRequestBody, contact: VerifiedContact, now: Date): Promise<string> {
  const { name, phone, email, dateOfBirth } = body.patient;
  // Serialize first-time requests for one contact so a patient is not created twice.
  const byContact = contact.kind === 'email' ? sql`lower(${patients.email}) = ${contact.value}` : sql`${patients.phone} = ${contact.value}`;
  const candidates = await tx
    .select({ id: patients.id, dateOfBirth: patients.dateOfBirth, whatsappOptOut: patients.whatsappOptOut, emailVerifiedAt: patients.emailVerifiedAt, phoneVerifiedAt: patients.phoneVerifiedAt })
    .from(patients)
    .where(and(eq(patients.profileId, profileId), byContact, sql`lower(${patients.name}) = lower(${name})`));
  const match =
    candidates.find((p) => dateOfBirth && p.dateOfBirth === dateOfBirth) ?? candidates.find((p) => !dateOfBirth || !p.dateOfBirth);
  const verified = contact.kind === 'email' ? { emailVerifiedAt: now } : { phoneVerifiedAt: now };
  if (match) {
    const updates: Partial<typeof patients.$inferInsert> = { ...verified };
    const changed: string[] = [];
    if (dateOfBirth && !match.dateOfBirth) {
      updates.dateOfBirth = dateOfBirth;
      changed.push('dateOfBirth');
    }
    if (contact.kind === 'phone' && body.whatsappOptOut !== undefined && body.whatsappOptOut !== match.whatsappOptOut) {
      updates.whatsappOptOut = body.whatsappOptOut;
      changed.push('whatsappOptOut');
    }
    await tx.update(patients).set(updates).where(eq(patients.id, match.id));
    if (changed.length) {
      await audit(tx, {
        profileId,
        actorUserId: null,
        actorKind: 'patient',
        action: 'patient.updated',
        entityType: 'patient',
        entityId: match.id,
        details: { changed, provedBy: contact.kind },
      });
    }
    return match.id;
  }
  const [created] = await tx
    .insert(patients)
    .values({
      profileId,
      name,
      phone,
      email: email ?? null,
      dateOfBirth: dateOfBirth ?? null,
      whatsappOptOut: body.whatsappOptOut ?? false,
      ...verified,
    })
    .returning({ id: patients.id });
  return created.id;
}
