import { randomUUID } from 'node:crypto';
import { eq, sql, type SQLWrapper } from 'drizzle-orm';
import { patients, profiles, reservationRequests, type RequestStatus } from '@/db/schema';
import { auditStatement, type AuditEntryInput } from '@/lib/audit';
import { bookingWindow } from '@/lib/availability/query';
import { executePrepared, insertRows, renderedOnce, takeLocks, writeTogether, type Executor, type Tx } from '@/lib/db';
import { DomainError } from '@/lib/errors';
import { queueExpired } from '@/lib/notifications';
import { insertRowsStatement, loadedOf, practiceMessageColumns, requestCreatedMessages, type MessageRow } from '@/lib/notifications/queue';
import { outboxStatement } from '@/lib/outbox';
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

/**
 * The practice settings a claim needs, as the caller read them (maybe a copy the server kept):
 * claimRequest checks the time against the ones it reads itself, under its locks.
 */
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
  /** The service asked for: the claim reads it (active, of this practice) under its locks. */
  service: { id: string };
  body: CreateRequestBody;
  contact: VerifiedContact;
  token: string;
  statusUrl: string;
  baseUrl: string;
  idempotencyKey?: string;
  bodyHash?: string;
  actorKind: 'patient' | 'api';
  now: Date;
  /** More writes for the claim's own statement, e.g. the verification the claim uses up. */
  alsoWrite?: (requestId: string) => Record<string, SQLWrapper>;
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

/** What the claim found instead of claiming: the request an earlier call with the same Idempotency-Key made. */
export interface ReplayRow {
  id: string;
  status: RequestStatus;
  startsAt: string;
  endsAt: string;
  expiresAt: string;
  bodyHash: string | null;
  reservationStatus: string | null;
}

export type ClaimOutcome = ({ kind: 'claimed' } & ClaimedRequest) | { kind: 'replay'; replay: ReplayRow };

/**
 * Claims a time for a patient whose contact was proved, inside the caller's transaction, in three
 * statements (round trips):
 *
 * 1. the locks, always in this order: the Idempotency-Key (a second call with it waits, then
 *    answers as the first did), then the contact (so parallel claims cannot both pass its cap);
 *    no statement of its own when the caller's transaction began with them (claimLockKeys);
 * 2. one read under them: the service, every slot the time needs locked FOR UPDATE in start
 *    order (concurrent claims cannot deadlock), holders of those slots past their deadline, the
 *    contact's pending count, the patients matched by the proved contact and name, the request of
 *    the Idempotency-Key, and the practice (active) with its settings and what the messages name of
 *    it: the window, the cap and the deadline use these, not the caller's copy;
 * 3. one write (writeTogether): the patient (created, or its proved contact marked), the request
 *    with its deadline, the slots taken by compare-and-set (all of them or the statement fails),
 *    its outbox event, audit and messages, and the caller's own `alsoWrite` (a verification used);
 *    the transaction's last statement, sent with its COMMIT (executePrepared's `commit`).
 *
 * Every refusal is thrown before the write, so the caller's transaction stays usable. Slots held
 * by a request that lapsed unanswered are freed first (rare: its own statements).
 */
export async function claimRequest(tx: Tx, input: ClaimInput): Promise<ClaimOutcome> {
  const { service, body, contact, now } = input;
  const profileId = input.practice.id;
  const startsAt = new Date(body.startsAt);
  // The rest of the window is checked against the settings the read finds (below).
  if (startsAt <= now) throw slotUnavailable('That time has passed.');
  const startIso = startsAt.toISOString();

  // Already held when the caller's transaction began with them (lockedTransaction): no round trip.
  await takeLocks(tx, claimLockKeys(input));

  const byContact = contact.kind === 'email' ? sql`lower(p.email) = ${contact.value}` : sql`p.phone = ${contact.value}`;
  const replay = input.idempotencyKey
    ? sql`(SELECT json_build_object('id', r.id, 'status', r.status, 'startsAt', r.starts_at, 'endsAt', r.ends_at, 'expiresAt', r.expires_at,
          'bodyHash', r.idempotency_body_hash, 'reservationStatus', v.status)
        FROM reservation_requests r LEFT JOIN reservations v ON v.request_id = r.id
        WHERE r.profile_id = ${profileId} AND r.idempotency_key = ${input.idempotencyKey} LIMIT 1)`
    : sql`NULL::json`;
  const read = await executePrepared<ClaimRead>(tx, sql`
    WITH svc AS (
      SELECT id, name, duration_minutes AS "durationMinutes" FROM medical_services
      WHERE id = ${service.id} AND profile_id = ${profileId} AND is_active
    ), slot AS MATERIALIZED (
      SELECT s.id, s.starts_at AS "startsAt", s.ends_at AS "endsAt", s.status, s.service_ids AS "serviceIds", s.request_id AS "requestId"
      FROM time_slots s, svc
      -- The lower bound keeps the index scan to a day's slots (a slot lasts at most 240 minutes):
      -- without it the scan starts at the practice's first slot, months of them for a late time.
      WHERE s.profile_id = ${profileId} AND s.ends_at > ${startIso}
        AND s.starts_at > ${startIso}::timestamptz - interval '1 day'
        AND s.starts_at < ${startIso}::timestamptz + svc."durationMinutes" * interval '1 minute'
      ORDER BY s.starts_at
      FOR UPDATE OF s
    )
    SELECT
      (SELECT row_to_json(svc) FROM svc) AS service,
      (SELECT coalesce(json_agg(slot ORDER BY slot."startsAt"), '[]') FROM slot) AS slots,
      (SELECT coalesce(json_agg(r.id), '[]') FROM reservation_requests r
        WHERE r.id IN (SELECT slot."requestId" FROM slot WHERE slot.status = 'pending_approval')
          AND r.status = 'pending' AND r.expires_at <= ${now.toISOString()}) AS overdue,
      (${pendingOfContact(profileId, contact, now)}) AS pending,
      (SELECT coalesce(json_agg(json_build_object('id', p.id, 'name', p.name, 'phone', p.phone, 'email', p.email, 'dateOfBirth', p.date_of_birth, 'whatsappOptOut', p.whatsapp_opt_out)), '[]')
        FROM patients p WHERE p.profile_id = ${profileId} AND ${byContact} AND lower(p.name) = lower(${body.patient.name})) AS candidates,
      ${replay} AS replay,
      ${practiceMessageSelect},
      ${claimSettingsSelect}
    FROM profiles WHERE profiles.id = ${profileId} AND profiles.is_active`);
  const row = read.rows[0];
  if (!row) throw new DomainError('not_found', 'No such practice.');
  // The practice's settings as they are now, under the locks: the caller's copy may be one the
  // server kept for a while (practiceBySlug), from before an admin changed them.
  const practice: ClaimPractice = {
    id: profileId,
    timeZone: row.timeZone,
    approvalWindowMinutes: row.approvalWindowMinutes,
    minNoticeMinutes: row.minNoticeMinutes,
    horizonDays: row.horizonDays,
    maxPendingPerContact: row.maxPendingPerContact,
  };
  checkBookingWindow(practice, startsAt, now);
  if (row.replay) return { kind: 'replay', replay: row.replay };
  if (!row.service) throw new DomainError('not_found', 'No such service at this practice.', { serviceId: 'Not a service of this practice.' });
  const endsAt = new Date(startsAt.getTime() + row.service.durationMinutes * 60_000);

  const pending = Number(row.pending ?? 0);
  if (pending >= practice.maxPendingPerContact) throw tooManyPending(pending);
  // Requests that lapsed without an answer never block a slot, even before a sweep runs.
  if (row.overdue.length) {
    for (const expiredId of await expireOverdueHolders(tx, practice.id, startsAt, endsAt, now)) await queueExpired(tx, { requestId: expiredId, now });
  }
  const slotIds = checkSlots(row.slots, new Set(row.overdue), service.id, startsAt, endsAt);
  const patient = findOrCreatePatient(tx, practice.id, body, contact, row.candidates, now);

  const requestId = randomUUID();
  const expiresAt = new Date(Math.min(now.getTime() + practice.approvalWindowMinutes * 60_000, startsAt.getTime() - practice.minNoticeMinutes * 60_000));
  const messages = requestCreatedMessages(
    loadedOf({
      ...row,
      requestId,
      profileId: practice.id,
      startsAt,
      endsAt,
      expiresAt,
      decisionReason: null,
      patientLocale: body.locale ?? null,
      serviceName: row.service.name,
      patientName: patient.name,
      patientPhone: patient.phone,
      patientEmail: patient.email,
      whatsappOptOut: patient.whatsappOptOut,
      reservationId: null,
      cancelReason: null,
    }),
    row.recipient,
    { statusUrl: input.statusUrl, baseUrl: input.baseUrl, now },
  );
  // The transaction's last statement: sent with its COMMIT where the transaction is
  // lockedTransaction's own (nothing may run on it afterwards).
  await executePrepared<{ claimed: number }>(
    tx,
    writeTogether(
      {
        patient: patient.write,
        request: insertRows(reservationRequests, [{
          id: requestId,
          profileId: practice.id,
          serviceId: service.id,
          patientId: patient.id,
          startsAt,
          endsAt,
          reason: body.reason ?? '',
          // The patient's language (the page they asked from): every message about the request uses it.
          locale: body.locale ?? null,
          consentAt: now,
          status: 'pending',
          expiresAt,
          tokenHash: hashToken(input.token),
          idempotencyKey: input.idempotencyKey ?? null,
          idempotencyBodyHash: input.idempotencyKey ? (input.bodyHash ?? null) : null,
          createdAt: now,
        }]),
        // Compare-and-set on the rows locked above: all of them, or the transaction fails.
        claimed: sql`UPDATE time_slots SET status = 'pending_approval', request_id = ${requestId}, updated_at = now()
          WHERE id = ANY(string_to_array(${slotIds.join(',')}, ',')::uuid[]) AND status = 'available' RETURNING id`,
        event: outboxStatement([
          { name: 'reservation/requested', id: `request-${requestId}-requested`, data: { requestId, profileId: practice.id, expiresAt: expiresAt.toISOString() } },
        ]),
        audit: auditStatement([
          ...patient.audit,
          {
            profileId: practice.id,
            actorUserId: null,
            actorKind: input.actorKind,
            action: 'request.created',
            entityType: 'reservation_request',
            entityId: requestId,
            details: { serviceId: service.id, startsAt: startIso, slots: slotIds.length, verifiedBy: contact.by },
          },
        ]),
        messages: messages.length ? insertRowsStatement(messages) : null,
        ...input.alsoWrite?.(requestId),
      },
      // All or none, checked by the statement itself: short of every slot, it fails (a cast error)
      // and the transaction rolls back, COMMIT or not. Under the read's row locks it cannot
      // happen; if it ever did, it is a bug, answered 500 and logged by its code.
      sql`SELECT CASE WHEN c.n = ${slotIds.length}::int THEN c.n ELSE ('claim incomplete: ' || c.n)::int END AS claimed
        FROM (SELECT count(*)::int AS n FROM claimed) c`,
    ),
    { commit: true },
  );
  return { kind: 'claimed', id: requestId, startsAt, endsAt, expiresAt };
}

/**
 * The claim's locks, in the order it takes them: the Idempotency-Key, then the contact. A caller
 * that opens the claim's transaction passes them to lockedTransaction (lib/db), which takes them
 * with its BEGIN in one round trip.
 */
export function claimLockKeys(input: Pick<ClaimInput, 'practice' | 'idempotencyKey' | 'contact'>): string[] {
  const { practice, idempotencyKey, contact } = input;
  return [...(idempotencyKey ? [`idempotency:${practice.id}:${idempotencyKey}`] : []), `contact:${practice.id}:${contact.kind}:${contact.value}`];
}

/** What messages name of the practice, as claimRequest's read selects it (from profiles). */
const practiceMessageSelect = renderedOnce(
  sql.join(
    Object.entries(practiceMessageColumns).map(([name, column]) => sql`${column} AS ${sql.identifier(name)}`),
    sql`, `,
  ),
);

/** The settings a claim checks, as claimRequest's read selects them (from profiles; the time zone comes with practiceMessageSelect). */
const claimSettingsSelect = renderedOnce(sql`${profiles.approvalWindowMinutes} AS "approvalWindowMinutes", ${profiles.minNoticeMinutes} AS "minNoticeMinutes",
  ${profiles.horizonDays} AS "horizonDays", ${profiles.maxPendingPerContact} AS "maxPendingPerContact"`);

/** What claimRequest's read answers (json columns parsed by the driver). */
type ClaimRead = {
  service: { id: string; name: string; durationMinutes: number } | null;
  slots: { id: string; startsAt: string; endsAt: string; status: string; serviceIds: string[] | null; requestId: string | null }[];
  overdue: string[];
  pending: number | string | null;
  candidates: { id: string; name: string; phone: string; email: string | null; dateOfBirth: string | null; whatsappOptOut: boolean }[];
  replay: ReplayRow | null;
} & Pick<MessageRow, keyof typeof practiceMessageColumns> &
  Pick<ClaimPractice, 'approvalWindowMinutes' | 'minNoticeMinutes' | 'horizonDays' | 'maxPendingPerContact'>;

/** The same window the availability query offers: what is never shown can't be requested. */
export function checkBookingWindow(practice: ClaimPractice, startsAt: Date, now: Date): void {
  const { earliestStart, latestStart } = bookingWindow(practice, now);
  if (startsAt < earliestStart) throw slotUnavailable(startsAt <= now ? 'That time has passed.' : 'That time is inside the practice’s minimum notice.');
  if (startsAt > latestStart) throw slotUnavailable('That time is beyond the practice’s booking horizon.');
}

/** At most `maxPendingPerContact` requests waiting for an answer per proved contact. */
export async function checkPendingCap(tx: Executor, practice: ClaimPractice, contact: VerifiedContact, now: Date): Promise<void> {
  const result = await tx.execute<{ n: number }>(sql`SELECT (${pendingOfContact(practice.id, contact, now)}) AS n`);
  const pending = Number(result.rows[0]?.n ?? 0);
  if (pending >= practice.maxPendingPerContact) throw tooManyPending(pending);
}

/** How many requests of a contact wait for the practice's answer (a scalar subquery). */
function pendingOfContact(profileId: string, contact: VerifiedContact, now: Date) {
  const byContact = contact.kind === 'email' ? sql`lower(${patients.email}) = ${contact.value}` : sql`${patients.phone} = ${contact.value}`;
  // A move of an appointment waiting for the practice holds a time too (lib/booking/move.ts).
  // From the contact's patients (their index) to their requests (by patient; a patient belongs to
  // one practice, so do its requests): the work does not grow with the practice's pending
  // requests, whatever the planner's statistics say (joined, it scanned them all: 30 ms at 800).
  return sql`
    SELECT count(*)::int FROM ${reservationRequests} r
    WHERE r.patient_id = ANY(ARRAY(SELECT ${patients.id} FROM ${patients} WHERE ${patients.profileId} = ${profileId} AND ${byContact}))
      AND ((r.status = 'pending' AND r.expires_at > ${now.toISOString()})
        OR (r.status = 'approved' AND EXISTS (SELECT 1 FROM request_moves m WHERE m.request_id = r.id AND m.status = 'pending')))`;
}

function tooManyPending(pending: number): DomainError {
  return new DomainError(
    'too_many_pending',
    `You already have ${pending} request${pending === 1 ? '' : 's'} waiting for this practice’s answer. Wait for an answer, or cancel one, before asking for another time.`,
  );
}

/**
 * The slots the read locked, checked: consecutive from startsAt to endsAt, each free (or held by a
 * request that just lapsed) and open to the service. Returns their ids.
 */
function checkSlots(slots: ClaimRead['slots'], lapsed: Set<string>, serviceId: string, startsAt: Date, endsAt: Date): string[] {
  if (!slots.length) throw slotUnavailable('That is not a bookable time for this service.');
  let cursor = startsAt.getTime();
  for (const slot of slots) {
    if (new Date(slot.startsAt).getTime() !== cursor) throw slotUnavailable('That is not a bookable time for this service.');
    const free = slot.status === 'available' || (slot.status === 'pending_approval' && slot.requestId !== null && lapsed.has(slot.requestId));
    if (!free) throw slotUnavailable(slot.status === 'blocked' ? 'That time is blocked.' : 'That time is taken.');
    if (slot.serviceIds && !slot.serviceIds.includes(serviceId)) throw slotUnavailable('That time is not offered for this service.');
    cursor = new Date(slot.endsAt).getTime();
  }
  if (cursor < endsAt.getTime()) throw slotUnavailable('That is not a bookable time for this service.');
  return slots.map((slot) => slot.id);
}

/**
 * The patient within the practice, matched by the contact proved in this flow AND the name (and
 * the birth date when both have one), never by an unproved contact: a family may share a phone,
 * histories must never merge, and nobody can take over another patient's messages by knowing
 * their name and number. Only the proved contact (and, with a proved phone, the WhatsApp
 * preference) may change a stored patient; a birth date is only ever filled in. Changes are
 * audited by field name, never with the values. First-time requests of one contact are serialized
 * by the contact's lock, so a patient is not created twice. Returns the write for claimRequest's
 * statement (an UPDATE of the match, or the INSERT of a new patient with its id chosen here).
 */
function findOrCreatePatient(tx: Tx, profileId: string, body: CreateRequestBody, contact: VerifiedContact, candidates: ClaimRead['candidates'], now: Date) {
  const { name, phone, email, dateOfBirth } = body.patient;
  const match = candidates.find((p) => dateOfBirth && p.dateOfBirth === dateOfBirth) ?? candidates.find((p) => !dateOfBirth || !p.dateOfBirth);
  const verified = contact.kind === 'email' ? { emailVerifiedAt: now } : { phoneVerifiedAt: now };
  if (match) {
    const updates: Partial<typeof patients.$inferInsert> = { ...verified };
    const changed: string[] = [];
    if (dateOfBirth && !match.dateOfBirth) {
      updates.dateOfBirth = dateOfBirth;
      changed.push('dateOfBirth');
    }
    let whatsappOptOut = match.whatsappOptOut;
    if (contact.kind === 'phone' && body.whatsappOptOut !== undefined && body.whatsappOptOut !== match.whatsappOptOut) {
      updates.whatsappOptOut = whatsappOptOut = body.whatsappOptOut;
      changed.push('whatsappOptOut');
    }
    const audit: AuditEntryInput[] = changed.length
      ? [{ profileId, actorUserId: null, actorKind: 'patient', action: 'patient.updated', entityType: 'patient', entityId: match.id, details: { changed, provedBy: contact.kind } }]
      : [];
    // Messages go to the patient as stored (an unproved contact in this body changes nothing).
    return { ...match, whatsappOptOut, audit, write: tx.update(patients).set(updates).where(eq(patients.id, match.id)) };
  }
  const id = randomUUID();
  const values = { id, profileId, name, phone, email: email ?? null, dateOfBirth: dateOfBirth ?? null, whatsappOptOut: body.whatsappOptOut ?? false, ...verified };
  return { ...values, audit: [] as AuditEntryInput[], write: insertRows(patients, [values]) };
}
