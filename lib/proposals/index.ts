import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { notifications, patients, profiles, requestProposals, reservationRequests, type RequestStatus } from '@/db/schema';
import { approveHeld, authorizeDecision, loadForDecision, refusal } from '@/lib/approval';
import { audit } from '@/lib/audit';
import type { Actor } from '@/lib/auth/actor';
import { authorize } from '@/lib/auth/permissions';
import { findBookableStarts } from '@/lib/availability/query';
import { localDateOf } from '@/lib/availability/time';
import { slotUnavailable } from '@/lib/booking/claim';
import { expireOverdueHolders, releaseSlots } from '@/lib/booking/slots';
import { hashToken } from '@/lib/booking/tokens';
import { executor, rowCount, transaction, type CallOptions, type Tx } from '@/lib/db';
import { DomainError, pgErrorCode } from '@/lib/errors';
import { errorText } from '@/lib/i18n/errors';
import { formatDateTime } from '@/lib/format';
import { formatDateTime as formatDateTimeIn, zoneName } from '@/lib/i18n/format';
import type { Locale } from '@/lib/i18n/locales';
import { translator } from '@/lib/i18n/translator';
import { queueExpired } from '@/lib/notifications';
import { localeOr } from '@/lib/notifications/compose';
import { dispatchOutboxAfterCommit } from '@/lib/outbox';
import { parseInput } from '@/lib/validation/fields';
import { requestTokenSchema } from '@/lib/validation/requests';

/**
 * "How about Wednesday at 12:00?": instead of rejecting, the practice offers one to three other
 * free times. They are held for the patient (slots `pending_approval` under the request's id)
 * until the request's deadline; the requested time is given back. The patient accepts one on the
 * status page (compare-and-set pending → approved at that time, the others released) or declines
 * (the request is cancelled). Expiry and a patient's cancel release everything, as for any request.
 */

export const MAX_PROPOSALS = 3;

const proposeSchema = z.object({
  requestId: z.string({ error: 'Which request?' }),
  startsAt: z.preprocess(
    (v) => (typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((x) => x !== '') : v),
    z
      .array(z.iso.datetime({ offset: true, message: 'Choose a time from the list.' }), { error: 'Choose one to three times.' })
      .min(1, 'Choose at least one other time.')
      .max(MAX_PROPOSALS, `Offer at most ${MAX_PROPOSALS} times.`),
  ),
});
const acceptSchema = z.object({ proposalId: z.uuid({ message: 'Choose one of the offered times.' }) });

export type ProposeInput = z.input<typeof proposeSchema>;

export interface ProposedTimes {
  requestId: string;
  patientName: string;
  timeZone: string;
  expiresAt: Date;
  times: { id: string; startsAt: Date; endsAt: Date }[];
}

/** The doctor (or an allowed front desk) offers other times for a pending request. */
export async function proposeTimes(actor: Actor | null, profileId: string, input: ProposeInput, opts?: CallOptions): Promise<ProposedTimes> {
  authorize(actor, profileId, 'requests.propose');
  const parsed = parseInput(proposeSchema, input);
  const now = opts?.now ?? new Date();
  const starts = [...new Set(parsed.startsAt.map((s) => new Date(s).getTime()))].sort((a, b) => a - b).map((t) => new Date(t));
  try {
    const result = await transaction(opts, async (tx) => {
      await authorizeDecision(actor, profileId, 'requests.propose', tx);
      const request = await loadForDecision(tx, profileId, parsed.requestId);
      if (request.status !== 'pending' || request.expiresAt <= now) return { kind: 'refused' as const, request };
      const durationMs = request.endsAt.getTime() - request.startsAt.getTime();
      if (starts.some((s) => s.getTime() === request.startsAt.getTime())) {
        throw new DomainError('invalid_request', errorText('proposals.notTheAsked'), { startsAt: errorText('proposals.isTheAsked') });
      }
      for (let i = 1; i < starts.length; i++) {
        if (starts[i].getTime() < starts[i - 1].getTime() + durationMs) throw new DomainError('invalid_request', errorText('proposals.overlap'), { startsAt: errorText('proposals.chooseNoOverlap') });
      }
      // The requested time and any earlier offer are given back first.
      await releaseSlots(tx, request.id, now);
      await tx
        .update(requestProposals)
        .set({ status: 'released', decidedAt: now })
        .where(and(eq(requestProposals.requestId, request.id), eq(requestProposals.status, 'offered')));
      await tx.delete(requestProposals).where(and(eq(requestProposals.requestId, request.id), inArray(requestProposals.startsAt, starts)));

      const times: ProposedTimes['times'] = [];
      for (const startsAt of starts) {
        const endsAt = new Date(startsAt.getTime() + durationMs);
        await checkBookable(tx, profileId, request.serviceId, request.timeZone, startsAt, now);
        await hold(tx, profileId, request.id, startsAt, endsAt, now);
        const [row] = await tx
          .insert(requestProposals)
          .values({ requestId: request.id, profileId, startsAt, endsAt, proposedBy: actor!.userId, createdAt: now })
          .returning({ id: requestProposals.id });
        times.push({ id: row.id, startsAt, endsAt });
      }
      await tx.update(reservationRequests).set({ proposedAt: now }).where(eq(reservationRequests.id, request.id));
      await audit(tx, {
        profileId,
        actorUserId: actor!.userId,
        actorKind: 'user',
        action: 'request.times_proposed',
        entityType: 'reservation_request',
        entityId: request.id,
        details: { startsAt: times.map((t) => t.startsAt.toISOString()), instead: request.startsAt.toISOString() },
      });
      await queueProposalMessage(tx, request.id, times, now);
      return { kind: 'proposed' as const, proposed: { requestId: request.id, patientName: request.patientName, timeZone: request.timeZone, expiresAt: request.expiresAt, times } };
    });
    if (result.kind === 'refused') throw await refusal(result.request, now, opts);
    if (!opts?.tx) dispatchOutboxAfterCommit();
    return result.proposed;
  } catch (err) {
    if (pgErrorCode(err) === '40P01' || pgErrorCode(err) === '23P01' || pgErrorCode(err) === '40001') throw slotUnavailable('One of those times was just taken; choose again.');
    throw err;
  }
}

/** A start the booking page would offer now for the service (free, within notice and horizon). */
async function checkBookable(tx: Tx, profileId: string, serviceId: string, timeZone: string, startsAt: Date, now: Date): Promise<void> {
  const day = localDateOf(startsAt, timeZone);
  const free = await findBookableStarts({ profileId }, { serviceId, from: day, to: day }, { tx, now });
  if (!free.starts.some((s) => s.startsAt.getTime() === startsAt.getTime())) {
    throw slotUnavailable(`${formatDateTime(startsAt, timeZone)} is not free for this service any more; choose again.`);
  }
}

/** Holds every slot of [startsAt, endsAt) for the request, all or none (compare-and-set on `available`). */
async function hold(tx: Tx, profileId: string, requestId: string, startsAt: Date, endsAt: Date, now: Date): Promise<void> {
  for (const expiredId of await expireOverdueHolders(tx, profileId, startsAt, endsAt, now)) await queueExpired(tx, { requestId: expiredId, now });
  const all = await tx.execute<{ id: string }>(sql`
    SELECT id FROM time_slots
    WHERE profile_id = ${profileId} AND starts_at < ${endsAt.toISOString()} AND ends_at > ${startsAt.toISOString()}
    ORDER BY starts_at FOR UPDATE`);
  const held = await tx.execute(sql`
    UPDATE time_slots SET status = 'pending_approval', request_id = ${requestId}, updated_at = now()
    WHERE profile_id = ${profileId} AND starts_at < ${endsAt.toISOString()} AND ends_at > ${startsAt.toISOString()} AND status = 'available'`);
  if (!all.rows.length || rowCount(held) !== all.rows.length) throw slotUnavailable('One of those times was just taken; choose again.');
}

/**
 * The patient is told what is offered and until when (e-mail; the status page is where they answer),
 * in the request's language (reservation_requests.locale), else the practice's default.
 */
async function queueProposalMessage(tx: Tx, requestId: string, times: ProposedTimes['times'], now: Date): Promise<void> {
  const [row] = await tx
    .select({
      profileId: reservationRequests.profileId,
      expiresAt: reservationRequests.expiresAt,
      email: patients.email,
      name: patients.name,
      practice: profiles.displayName,
      timeZone: profiles.timeZone,
      replyTo: profiles.contactEmail,
      locale: reservationRequests.locale,
      defaultLocale: profiles.defaultLocale,
    })
    .from(reservationRequests)
    .innerJoin(patients, eq(patients.id, reservationRequests.patientId))
    .innerJoin(profiles, eq(profiles.id, reservationRequests.profileId))
    .where(eq(reservationRequests.id, requestId))
    .limit(1);
  if (!row?.email) return;
  const locale: Locale = localeOr(row.locale, localeOr(row.defaultLocale));
  const t = translator(locale, 'notifications.proposed');
  const hello = translator(locale, 'notifications.letter');
  // English as before (the zone's IANA id, like the other English messages); Spanish names the zone for people.
  const day = { weekday: 'long', day: 'numeric', month: 'long' } as const;
  const when = (d: Date) =>
    locale === 'en' ? `${formatDateTime(d, row.timeZone, day)} (${row.timeZone})` : `${formatDateTimeIn(locale, d, row.timeZone, day)} (${zoneName(locale, row.timeZone)})`;
  const body = [
    hello('hello', { name: row.name }),
    '',
    t('intro', { practice: row.practice }),
    ...times.map((time) => `  • ${when(time.startsAt)}`),
    '',
    t('heldUntil', { deadline: when(row.expiresAt) }),
    '',
    row.practice,
  ].join('\n');
  const [{ n }] = (await tx.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM notifications WHERE request_id = ${requestId} AND kind = 'proposed'`)).rows;
  await tx
    .insert(notifications)
    .values({
      profileId: row.profileId,
      requestId,
      dedupeKey: `request-${requestId}-proposed-${Number(n) + 1}-email`,
      kind: 'proposed',
      channel: 'email',
      recipient: row.email,
      subject: t('subject', { practice: row.practice }),
      body,
      payload: { fromName: row.practice, ...(row.replyTo ? { replyTo: row.replyTo } : {}) },
      dueAt: now,
      nextAttemptAt: now,
    })
    .onConflictDoNothing({ target: notifications.dedupeKey });
}

// ---------------------------------------------------------------------------
// The patient's side (status token)
// ---------------------------------------------------------------------------

export interface OfferedTime {
  id: string;
  startsAt: Date;
  endsAt: Date;
}

/** The times offered to the holder of a status token, while the request waits for their answer. */
export async function offeredTimes(token: string, opts?: CallOptions): Promise<OfferedTime[]> {
  if (!requestTokenSchema.safeParse(token).success) return [];
  const now = opts?.now ?? new Date();
  const db = await executor(opts);
  return db
    .select({ id: requestProposals.id, startsAt: requestProposals.startsAt, endsAt: requestProposals.endsAt })
    .from(requestProposals)
    .innerJoin(reservationRequests, eq(reservationRequests.id, requestProposals.requestId))
    .where(
      and(
        eq(reservationRequests.tokenHash, hashToken(token)),
        eq(reservationRequests.status, 'pending'),
        sql`${reservationRequests.expiresAt} > ${now.toISOString()}`,
        eq(requestProposals.status, 'offered'),
        sql`${requestProposals.startsAt} > ${now.toISOString()}`,
      ),
    )
    .orderBy(asc(requestProposals.startsAt));
}

export interface AcceptedTime {
  requestId: string;
  reservationId: string;
  startsAt: Date;
  endsAt: Date;
}

/**
 * The patient takes one offered time: compare-and-set pending → approved at that time (before the
 * deadline), its slots reserved, every other hold released, in one transaction.
 */
export async function acceptProposal(token: string, input: { proposalId?: unknown }, opts?: CallOptions): Promise<AcceptedTime> {
  if (!requestTokenSchema.safeParse(token).success) throw new DomainError('not_found', errorText('proposals.noRequest'));
  const { proposalId } = parseInput(acceptSchema, input);
  const now = opts?.now ?? new Date();
  const result = await transaction(opts, async (tx) => {
    const request = await lockByToken(tx, token);
    const [proposal] = await tx
      .select()
      .from(requestProposals)
      .where(and(eq(requestProposals.id, proposalId), eq(requestProposals.requestId, request.id)))
      .limit(1);
    if (!proposal) throw new DomainError('not_found', errorText('proposals.notOffered'));
    if (request.status !== 'pending' || request.expiresAt <= now) return { kind: 'refused' as const, request };
    if (proposal.status !== 'offered' || proposal.startsAt <= now) throw new DomainError('conflict', errorText('proposals.gone'));

    // Everything held except the accepted time goes back.
    await tx.execute(sql`
      UPDATE time_slots
      SET status = (CASE WHEN starts_at > ${now.toISOString()} THEN 'available' ELSE 'expired' END)::slot_status, request_id = NULL, updated_at = now()
      WHERE request_id = ${request.id} AND status = 'pending_approval'
        AND NOT (starts_at >= ${proposal.startsAt.toISOString()} AND starts_at < ${proposal.endsAt.toISOString()})`);
    const reservationId = await approveHeld(
      tx,
      null,
      { ...request, startsAt: proposal.startsAt, endsAt: proposal.endsAt },
      now,
      { undoSeconds: 0, action: 'request.proposal_accepted', actorKind: 'patient', details: { proposalId, startsAt: proposal.startsAt.toISOString() } },
    );
    if (!reservationId) return { kind: 'refused' as const, request };
    await tx
      .update(requestProposals)
      .set({ status: sql`(CASE WHEN ${requestProposals.id} = ${proposalId} THEN 'accepted' ELSE 'released' END)::proposal_status`, decidedAt: now })
      .where(and(eq(requestProposals.requestId, request.id), eq(requestProposals.status, 'offered')));
    return { kind: 'accepted' as const, accepted: { requestId: request.id, reservationId, startsAt: proposal.startsAt, endsAt: proposal.endsAt } };
  });
  if (result.kind === 'refused') throw await patientRefusal(result.request, now, opts);
  if (!opts?.tx) dispatchOutboxAfterCommit();
  return result.accepted;
}

async function lockByToken(tx: Tx, token: string) {
  const [request] = await tx
    .select({
      id: reservationRequests.id,
      profileId: reservationRequests.profileId,
      serviceId: reservationRequests.serviceId,
      patientId: reservationRequests.patientId,
      status: reservationRequests.status,
      expiresAt: reservationRequests.expiresAt,
      timeZone: profiles.timeZone,
    })
    .from(reservationRequests)
    .innerJoin(profiles, eq(profiles.id, reservationRequests.profileId))
    .where(eq(reservationRequests.tokenHash, hashToken(token)))
    .for('update', { of: reservationRequests })
    .limit(1);
  if (!request) throw new DomainError('not_found', errorText('proposals.noRequest'));
  return request;
}

async function patientRefusal(request: { id: string; status: RequestStatus; expiresAt: Date; timeZone: string }, now: Date, opts?: CallOptions): Promise<DomainError> {
  const err = await refusal(request, now, opts);
  if (err.code === 'request_expired') return new DomainError('request_expired', errorText('proposals.ranOut'));
  return err;
}

// ---------------------------------------------------------------------------
// What the dashboard shows
// ---------------------------------------------------------------------------

const choicesSchema = z.object({ requestId: z.string({ error: 'Which request?' }), date: z.iso.date({ message: 'Use a date as YYYY-MM-DD.' }).optional() });

/** Days shown at once on the proposal page. */
export const PROPOSAL_DAYS = 3;

export interface ProposalChoices {
  request: { id: string; patientName: string; serviceName: string; startsAt: Date; endsAt: Date; expiresAt: Date; status: RequestStatus; proposedAt: Date | null };
  from: string;
  days: { date: string; starts: Date[] }[];
}

/** A pending request and the free starts of its service on PROPOSAL_DAYS days from `date` (the requested day by default). */
export async function proposalChoices(actor: Actor | null, profileId: string, input: z.input<typeof choicesSchema>, opts?: CallOptions): Promise<ProposalChoices> {
  authorize(actor, profileId, 'requests.propose');
  const { requestId, date } = parseInput(choicesSchema, input);
  const db = await executor(opts);
  await authorizeDecision(actor, profileId, 'requests.propose', db);
  const request = await transaction(opts, (tx) => loadForDecision(tx, profileId, requestId));
  const from = date ?? localDateOf(request.startsAt, request.timeZone);
  const to = addDaysIso(from, PROPOSAL_DAYS - 1);
  const found = await findBookableStarts({ profileId }, { serviceId: request.serviceId, from, to }, opts);
  const days = Array.from({ length: PROPOSAL_DAYS }, (_, i) => addDaysIso(from, i)).map((d) => ({
    date: d,
    starts: found.starts.map((s) => s.startsAt).filter((s) => localDateOf(s, request.timeZone) === d),
  }));
  return {
    request: {
      id: request.id,
      patientName: request.patientName,
      serviceName: request.serviceName,
      startsAt: request.startsAt,
      endsAt: request.endsAt,
      expiresAt: request.expiresAt,
      status: request.status,
      proposedAt: request.proposedAt,
    },
    from,
    days,
  };
}

function addDaysIso(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** The offered times of pending requests, by request (for the requests list). */
export async function offersByRequest(db: Awaited<ReturnType<typeof executor>>, profileId: string, requestIds: string[]): Promise<Map<string, OfferedTime[]>> {
  const out = new Map<string, OfferedTime[]>();
  if (!requestIds.length) return out;
  const rows = await db
    .select({ id: requestProposals.id, requestId: requestProposals.requestId, startsAt: requestProposals.startsAt, endsAt: requestProposals.endsAt })
    .from(requestProposals)
    .where(and(eq(requestProposals.profileId, profileId), inArray(requestProposals.requestId, requestIds), eq(requestProposals.status, 'offered')))
    .orderBy(asc(requestProposals.startsAt));
  for (const r of rows) {
    const list = out.get(r.requestId) ?? [];
    list.push({ id: r.id, startsAt: r.startsAt, endsAt: r.endsAt });
    out.set(r.requestId, list);
  }
  return out;
}
