import { and, desc, eq, isNotNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { medicalServices, notifications, patientLinks, patients, profiles, reservationRequests, reservations, type RequestStatus } from '@/db/schema';
import { audit } from '@/lib/audit';
import { currentStatus } from '@/lib/booking/create';
import type { RequestView } from '@/lib/booking/status';
import { hashToken, newToken } from '@/lib/booking/tokens';
import { mask } from '@/lib/booking/verification';
import { executor, transaction, type CallOptions, type Executor } from '@/lib/db';
import { DomainError } from '@/lib/errors';
import { logError } from '@/lib/log';
import { notificationConfig, sendNotificationByKey, type Channel } from '@/lib/notifications';
import { dedupeKey, STATUS_LINK_PLACEHOLDER, type NotificationPayload } from '@/lib/notifications/kinds';
import { sealLink } from '@/lib/notifications/link';
import { localeOr } from '@/lib/notifications/compose';
import { whatsappLanguage } from '@/lib/notifications/queue';
import type { Locale } from '@/lib/i18n/locales';
import { translator } from '@/lib/i18n/translator';
import { parsePhone } from '@/lib/phone';
import { hitRateLimits } from '@/lib/rate-limit';
import { SLUG_PATTERN } from '@/lib/validation/api';
import { isUuid, parseInput } from '@/lib/validation/fields';
import { requestTokenSchema } from '@/lib/validation/requests';

/**
 * "Lost your link?" (issue 15): a patient who proved an e-mail or a phone at a practice gets a
 * single-use link there that opens a short patient session listing that contact's requests at
 * that practice, and nobody else's. The answer to the ask is the same whether or not the contact
 * is known (no enumeration); asks are limited per contact and per client address. Links and
 * sessions are stored hashed (patient_links).
 */

/** A link works once, within this many minutes. */
export const LINK_TTL_MINUTES = 30;
/** The session a link opens lasts this long. */
export const SESSION_MINUTES = 60;
/** The HttpOnly cookie that carries the session token (its SHA-256 is patient_links.session_hash). */
export const PATIENT_SESSION_COOKIE = 'consulta_patient';
export const LINK_LIMITS = {
  perContact: { limit: 3, windowSeconds: 60 * 60 },
  perAddress: { limit: 10, windowSeconds: 60 * 60 },
} as const;

export interface LinkCaller {
  clientAddress: string;
  /** Origin for the link, e.g. https://example.com */
  baseUrl: string;
  /** The language of the page that asked: the link's message is written in it (else the practice's). */
  locale?: Locale;
}

const askSchema = z.object({
  contact: z.string({ error: 'Enter the e-mail address or phone number you gave.' }).trim().min(1, 'Enter the e-mail address or phone number you gave.').max(254, 'That is too long for an e-mail address or a phone number.'),
});

export type AskLinkInput = z.input<typeof askSchema>;

/** The same answer for every contact, known or not. */
export interface LinkAsked {
  ok: true;
}

/**
 * Sends a single-use link to the contact if it was proved at this practice: by e-mail, or by
 * WhatsApp where the practice has it on (a phone without WhatsApp gets it at an e-mail proved
 * with it). Answers the same either way; the message leaves after the answer.
 */
export async function requestPatientLink(caller: LinkCaller, slug: string, input: AskLinkInput, opts?: CallOptions): Promise<LinkAsked> {
  const practice = await practiceOf(slug, opts);
  const { contact: typed } = parseInput(askSchema, input);
  const contact = normalizeContact(typed, practice.country);
  const now = opts?.now ?? new Date();
  const db = await executor(opts);
  const [perContact, perAddress] = await hitRateLimits(
    db,
    [
      { key: `patient-link:contact:${practice.id}:${contact.value}`, ...LINK_LIMITS.perContact },
      { key: `patient-link:address:${caller.clientAddress}`, ...LINK_LIMITS.perAddress },
    ],
    now,
  );
  const hit = !perContact.allowed ? perContact : !perAddress.allowed ? perAddress : null;
  if (hit) throw new DomainError('rate_limited', 'Too many links asked for; try again later.', undefined, hit.retryAfterSeconds);

  const recipient = await recipientOf(db, practice, contact);
  if (!recipient) return { ok: true };
  const token = newToken();
  const locale = caller.locale ?? localeOr(practice.defaultLocale);
  const key = await transaction(opts, async (tx) => {
    const [link] = await tx
      .insert(patientLinks)
      .values({ profileId: practice.id, channel: recipient.channel, contact: contact.value, tokenHash: hashToken(token), expiresAt: new Date(now.getTime() + LINK_TTL_MINUTES * 60_000), locale, createdAt: now })
      .returning({ id: patientLinks.id });
    const key = dedupeKey.patientLink(link.id, recipient.channel);
    await tx.insert(notifications).values(linkMessage(practice, recipient, link.id, key, `${caller.baseUrl.replace(/\/$/, '')}/my/open/${token}`, now, locale));
    await audit(tx, { profileId: practice.id, actorUserId: null, actorKind: 'patient', action: 'patient_link.sent', entityType: 'patient_link', entityId: link.id, details: { channel: recipient.channel, contactKind: contact.kind } });
    return key;
  });
  // Not awaited: a known contact must not answer slower than an unknown one.
  if (!opts?.tx) void sendNotificationByKey(key).catch((err) => logError('patient_link.send_failed', err, { route: 'patient-links' }));
  return { ok: true };
}

/** What the link's landing page says before it is used: the practice, or null when the link cannot be used. */
export async function peekPatientLink(token: string, opts?: CallOptions): Promise<{ practiceName: string } | null> {
  if (!requestTokenSchema.safeParse(token).success) return null;
  const now = opts?.now ?? new Date();
  const [row] = await (await executor(opts))
    .select({ practiceName: profiles.displayName })
    .from(patientLinks)
    .innerJoin(profiles, eq(profiles.id, patientLinks.profileId))
    .where(and(eq(patientLinks.tokenHash, hashToken(token)), sql`${patientLinks.usedAt} IS NULL`, sql`${patientLinks.expiresAt} > ${now.toISOString()}`))
    .limit(1);
  return row ?? null;
}

export interface OpenedSession {
  /** The session token for the cookie; only its hash is stored. */
  sessionToken: string;
  expiresAt: Date;
}

/** Spends the link (compare-and-set: once, before it expires) and starts the patient session. */
export async function openPatientLink(token: string, input: Record<string, unknown> = {}, opts?: CallOptions): Promise<OpenedSession> {
  parseInput(z.object({}), input);
  if (!requestTokenSchema.safeParse(token).success) throw usedOrExpired();
  const now = opts?.now ?? new Date();
  const sessionToken = newToken();
  const expiresAt = new Date(now.getTime() + SESSION_MINUTES * 60_000);
  const [opened] = await (await executor(opts))
    .update(patientLinks)
    .set({ usedAt: now, sessionHash: hashToken(sessionToken), sessionExpiresAt: expiresAt })
    .where(and(eq(patientLinks.tokenHash, hashToken(token)), sql`${patientLinks.usedAt} IS NULL`, sql`${patientLinks.expiresAt} > ${now.toISOString()}`))
    .returning({ id: patientLinks.id, profileId: patientLinks.profileId });
  if (!opened) throw usedOrExpired();
  await audit(await executor(opts), { profileId: opened.profileId, actorUserId: null, actorKind: 'patient', action: 'patient_link.opened', entityType: 'patient_link', entityId: opened.id });
  return { sessionToken, expiresAt };
}

/** Ends the patient session at once ("Sign out"). */
export async function endPatientSession(sessionToken: string | undefined, opts?: CallOptions): Promise<void> {
  if (!sessionToken || !requestTokenSchema.safeParse(sessionToken).success) return;
  const now = opts?.now ?? new Date();
  await (await executor(opts)).update(patientLinks).set({ sessionExpiresAt: now }).where(eq(patientLinks.sessionHash, hashToken(sessionToken)));
}

export interface PatientSession {
  profileId: string;
  slug: string;
  practiceName: string;
  timeZone: string;
  contactKind: 'email' | 'phone';
  /** Masked, to say whose list this is: l•••@example.com, +34•••••1222 */
  contact: string;
  expiresAt: Date;
}

/** The session behind a cookie, or null when there is none or it has ended. */
export async function patientSession(sessionToken: string | undefined, opts?: CallOptions): Promise<PatientSession | null> {
  const session = await loadSession(sessionToken, opts);
  if (!session) return null;
  const { value, ...rest } = session;
  return { ...rest, contact: mask(session.contactKind === 'email' ? 'email' : 'whatsapp', value) };
}

export interface MyRequest {
  id: string;
  status: RequestStatus;
  startsAt: Date;
  endsAt: Date;
  serviceName: string;
  createdAt: Date;
}

/** The session's contact's requests at its practice (patients who proved that contact there), latest time first. */
export async function listMyRequests(sessionToken: string | undefined, input: Record<string, unknown> = {}, opts?: CallOptions): Promise<MyRequest[]> {
  parseInput(z.object({}), input);
  const session = await requireSession(sessionToken, opts);
  const now = opts?.now ?? new Date();
  const rows = await (await executor(opts))
    .select({
      id: reservationRequests.id,
      status: reservationRequests.status,
      expiresAt: reservationRequests.expiresAt,
      startsAt: reservationRequests.startsAt,
      endsAt: reservationRequests.endsAt,
      createdAt: reservationRequests.createdAt,
      serviceName: medicalServices.name,
      reservationStatus: reservations.status,
    })
    .from(reservationRequests)
    .innerJoin(patients, and(eq(patients.id, reservationRequests.patientId), eq(patients.profileId, session.profileId), ownedBy(session)))
    .innerJoin(medicalServices, eq(medicalServices.id, reservationRequests.serviceId))
    .leftJoin(reservations, eq(reservations.requestId, reservationRequests.id))
    .where(eq(reservationRequests.profileId, session.profileId))
    .orderBy(desc(reservationRequests.startsAt))
    .limit(200);
  return rows.map((r) => ({ id: r.id, status: currentStatus(r, now), startsAt: r.startsAt, endsAt: r.endsAt, serviceName: r.serviceName, createdAt: r.createdAt }));
}

/** One of the session's requests, as its status page shows it; another contact's or practice's is "not found". */
export async function getMyRequest(sessionToken: string | undefined, input: { requestId?: unknown }, opts?: CallOptions): Promise<RequestView> {
  const { requestId } = parseInput(z.object({ requestId: z.string() }), input);
  const session = await requireSession(sessionToken, opts);
  if (!isUuid(requestId)) throw new DomainError('not_found', 'No such request.');
  const now = opts?.now ?? new Date();
  const [row] = await (await executor(opts))
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
      reservationStatus: reservations.status,
      cancelReason: reservations.cancelReason,
    })
    .from(reservationRequests)
    .innerJoin(patients, and(eq(patients.id, reservationRequests.patientId), eq(patients.profileId, session.profileId), ownedBy(session)))
    .innerJoin(medicalServices, eq(medicalServices.id, reservationRequests.serviceId))
    .leftJoin(reservations, eq(reservations.requestId, reservationRequests.id))
    .where(and(eq(reservationRequests.id, requestId), eq(reservationRequests.profileId, session.profileId)))
    .limit(1);
  if (!row) throw new DomainError('not_found', 'No such request.');
  return {
    id: row.id,
    status: currentStatus(row, now),
    startsAt: row.startsAt,
    endsAt: row.endsAt,
    expiresAt: row.expiresAt,
    service: { id: row.serviceId, name: row.serviceName },
    profile: { slug: session.slug, name: session.practiceName, timeZone: session.timeZone },
    reason: row.status === 'rejected' ? row.decisionReason : row.reservationStatus === 'cancelled' ? row.cancelReason : null,
    createdAt: row.createdAt,
  };
}

// ---------------------------------------------------------------------------

interface Contact {
  kind: 'email' | 'phone';
  value: string;
}

interface LinkPractice {
  id: string;
  slug: string;
  displayName: string;
  country: string;
  whatsappEnabled: boolean;
  contactEmail: string | null;
  defaultLocale: string;
}

async function practiceOf(slug: string, opts?: CallOptions): Promise<LinkPractice> {
  if (typeof slug !== 'string' || !SLUG_PATTERN.test(slug)) throw new DomainError('not_found', 'No such practice.');
  const [practice] = await (await executor(opts))
    .select({ id: profiles.id, slug: profiles.slug, displayName: profiles.displayName, country: profiles.country, whatsappEnabled: profiles.whatsappEnabled, contactEmail: profiles.contactEmail, defaultLocale: profiles.defaultLocale })
    .from(profiles)
    .where(and(eq(profiles.slug, slug), eq(profiles.isActive, true)))
    .limit(1);
  if (!practice) throw new DomainError('not_found', 'No such practice.');
  return practice;
}

/** An e-mail (lower-cased) or a phone as people type it (E.164, the practice's country by default). */
function normalizeContact(typed: string, country: string): Contact {
  if (typed.includes('@')) {
    if (!z.email().safeParse(typed).success) throw invalidContact();
    return { kind: 'email', value: typed.toLowerCase() };
  }
  const phone = parsePhone(typed, country);
  if (!phone) throw invalidContact();
  return { kind: 'phone', value: phone };
}

function invalidContact(): DomainError {
  const message = 'Enter an e-mail address (name@example.com) or a phone number.';
  return new DomainError('invalid_request', message, { contact: message });
}

/** Patients of the practice who proved this contact. */
function provedContact(contact: Contact) {
  return contact.kind === 'email'
    ? and(sql`lower(${patients.email}) = ${contact.value}`, isNotNull(patients.emailVerifiedAt))
    : and(eq(patients.phone, contact.value), isNotNull(patients.phoneVerifiedAt));
}

function ownedBy(session: { contactKind: 'email' | 'phone'; value: string }) {
  return provedContact({ kind: session.contactKind, value: session.value });
}

/** Where the link goes, if anywhere: the proved e-mail; a proved phone by WhatsApp where on, else an e-mail proved with it. */
async function recipientOf(db: Executor, practice: LinkPractice, contact: Contact): Promise<{ channel: Channel; address: string } | null> {
  const [patient] = await db
    .select({ email: patients.email, emailVerifiedAt: patients.emailVerifiedAt })
    .from(patients)
    .where(and(eq(patients.profileId, practice.id), provedContact(contact)))
    .orderBy(sql`${patients.emailVerifiedAt} DESC NULLS LAST`)
    .limit(1);
  if (!patient) return null;
  if (contact.kind === 'email') return { channel: 'email', address: contact.value };
  if (practice.whatsappEnabled && notificationConfig().whatsapp) return { channel: 'whatsapp', address: contact.value };
  return patient.email && patient.emailVerifiedAt ? { channel: 'email', address: patient.email } : null;
}

function linkMessage(
  practice: LinkPractice,
  recipient: { channel: Channel; address: string },
  linkId: string,
  key: string,
  url: string,
  now: Date,
  locale: Locale,
): typeof notifications.$inferInsert {
  const cfg = notificationConfig();
  const t = translator(locale, 'notifications.patientLink');
  const v = { practice: practice.displayName, minutes: LINK_TTL_MINUTES, link: STATUS_LINK_PLACEHOLDER };
  const text = [t('hello'), t('open', v), STATUS_LINK_PLACEHOLDER, t('once', v), practice.displayName].join('\n\n');
  const payload: NotificationPayload =
    recipient.channel === 'email'
      ? { fromName: practice.displayName, sealedStatusLink: sealLink(url), ...(practice.contactEmail ? { replyTo: practice.contactEmail } : {}) }
      : {
          sealedStatusLink: sealLink(url),
          whatsapp: { name: cfg.whatsapp?.templates.patient_link ?? 'appointments_link', language: cfg.whatsapp ? whatsappLanguage(cfg, locale) : locale, parameters: [STATUS_LINK_PLACEHOLDER] },
        };
  return {
    profileId: practice.id,
    dedupeKey: key,
    kind: 'patient_link',
    channel: recipient.channel,
    recipient: recipient.address,
    subject: recipient.channel === 'email' ? t('subject', v) : null,
    body: recipient.channel === 'email' ? text : t('short', v),
    payload,
    dueAt: now,
    nextAttemptAt: now,
  };
}

async function loadSession(sessionToken: string | undefined, opts?: CallOptions) {
  if (!sessionToken || !requestTokenSchema.safeParse(sessionToken).success) return null;
  const now = opts?.now ?? new Date();
  const [row] = await (await executor(opts))
    .select({
      profileId: patientLinks.profileId,
      contactKind: sql<'email' | 'phone'>`CASE WHEN ${patientLinks.contact} LIKE '%@%' THEN 'email' ELSE 'phone' END`,
      value: patientLinks.contact,
      expiresAt: patientLinks.sessionExpiresAt,
      slug: profiles.slug,
      practiceName: profiles.displayName,
      timeZone: profiles.timeZone,
    })
    .from(patientLinks)
    .innerJoin(profiles, and(eq(profiles.id, patientLinks.profileId), eq(profiles.isActive, true)))
    .where(and(eq(patientLinks.sessionHash, hashToken(sessionToken)), sql`${patientLinks.sessionExpiresAt} > ${now.toISOString()}`))
    .limit(1);
  if (!row?.expiresAt) return null;
  return { ...row, expiresAt: row.expiresAt };
}

async function requireSession(sessionToken: string | undefined, opts?: CallOptions) {
  const session = await loadSession(sessionToken, opts);
  if (!session) throw new DomainError('unauthorized', 'Your link has expired. Ask for a new one on the practice’s booking page.');
  return session;
}

function usedOrExpired(): DomainError {
  return new DomainError('not_found', 'This link has already been used or has expired. Ask for a new one on the practice’s booking page.');
}
