import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { SelectedFields } from 'drizzle-orm/pg-core';
import { medicalServices, notifications, patients, profileMembers, profiles, reservationRequests, reservations, users } from '@/db/schema';
import { insertRows, type Executor } from '@/lib/db';
import {
  renderApproved,
  renderCancelled,
  renderCancelledByPatient,
  renderExpired,
  icsTexts,
  practiceWhen,
  renderExpiryWarning,
  renderNewRequest,
  renderReceived,
  renderRejected,
  renderReminder,
  localeOr,
  whatsappParameter,
  type MessageContext,
  type Rendered,
} from './compose';
import { notificationConfig, type NotificationConfig } from './config';
import { appointmentIcs } from './ics';
import { CODE_PLACEHOLDER, dedupeKey, templateKindOf, type Channel, type DigestPart, type EmailAttachment, type NotificationPayload, type PatientKind, type PracticeKind, type SkipReason } from './kinds';
import { sealLink } from './link';
import type { Locale } from '@/lib/i18n/locales';
import { translator } from '@/lib/i18n/translator';

/*
 * Every function here runs inside the transaction that makes the change the messages are about,
 * so a message exists exactly when its change committed. Rows are rendered now (texts in the
 * practice's zone) and sent later by send.ts. Inserts are ON CONFLICT (dedupe_key) DO NOTHING.
 */

/** The practice's warning before a request expires unanswered: 2 h before, or half the window if shorter. */
export const EXPIRY_WARNING_LEAD_MINUTES = 120;

/** A request was made: the patient's receipt (with the status link), the practice's notice and its later warning. */
export async function queueRequestCreated(
  tx: Executor,
  input: { requestId: string; statusUrl: string; baseUrl: string; now: Date },
): Promise<void> {
  const loaded = await load(tx, input.requestId);
  if (!loaded) return;
  await insertMessages(tx, requestCreatedMessages(loaded, await practiceRecipient(tx, loaded), input));
}

/**
 * The messages of a new request, rendered from what the caller read (no query): the rows to
 * insert. Only inserts: a practice that gathers new requests into a digest gets one row per
 * request too (newRequestDigest), so concurrent bookings never wait on each other here.
 */
export function requestCreatedMessages(loaded: Loaded, practiceEmail: string | null, input: { statusUrl: string; baseUrl: string; now: Date }): NewRow[] {
  const { ctx } = loaded;
  const cfg = notificationConfig();
  const dashboardUrl = `${input.baseUrl.replace(/\/$/, '')}/dashboard`;
  const rows = patientRows(loaded, cfg, 'received', renderReceived(ctx), {
    dueAt: input.now,
    key: (channel) => dedupeKey.patient(ctx.requestId, 'received', channel),
    extra: { sealedStatusLink: sealLink(input.statusUrl) },
  });
  if (practiceEmail) {
    if (loaded.digestMinutes > 0) rows.push(newRequestDigest(loaded, practiceEmail, renderNewRequest(ctx, dashboardUrl), dashboardUrl, input.now));
    else rows.push(practiceRow(loaded, practiceEmail, 'new_request', renderNewRequest(ctx, dashboardUrl), input.now));
    const window = ctx.expiresAt.getTime() - input.now.getTime();
    if (window > 0) {
      const lead = Math.min(EXPIRY_WARNING_LEAD_MINUTES * 60_000, window / 2);
      rows.push(practiceRow(loaded, practiceEmail, 'expiry_warning', renderExpiryWarning(ctx, dashboardUrl), new Date(ctx.expiresAt.getTime() - lead)));
    }
  }
  return rows;
}

/**
 * The doctor answered. Approved: the patient's confirmation with the calendar file, and one
 * reminder per offset of the practice and channel, due at start − offset (none already due).
 * Rejected: the patient is told why.
 */
export async function queueDecision(tx: Executor, input: { requestId: string; decision: 'approved' | 'rejected'; now: Date }): Promise<void> {
  const loaded = await load(tx, input.requestId);
  if (!loaded) return;
  await skipPracticeNotices(tx, loaded.ctx.requestId, 'request_answered');
  await insertMessages(tx, decisionMessages(loaded, input.decision, input.now));
}

/**
 * A decision's messages, rendered from what the caller read (no query); the caller also skips the
 * practice's notices (practiceNotices, 'request_answered'). `loaded` is the request as decided:
 * an approval's reservation id, a rejection's reason.
 */
export function decisionMessages(loaded: Loaded, decision: 'approved' | 'rejected', now: Date): NewRow[] {
  const { ctx } = loaded;
  const cfg = notificationConfig();
  if (decision === 'rejected') {
    const rendered = renderRejected(ctx, loaded.decisionReason, cfg.appUrl);
    return patientRows(loaded, cfg, 'rejected', rendered, { dueAt: now, key: (c) => dedupeKey.patient(ctx.requestId, 'rejected', c) });
  }
  const reservationId = ctx.reservationId;
  if (!reservationId) throw new Error(`request ${ctx.requestId} is approved but has no reservation`);
  const approved = renderApproved(ctx);
  const { title, description } = icsTexts(ctx, approved.parameters[2]);
  const ics: EmailAttachment = {
    filename: 'appointment.ics',
    contentType: 'text/calendar; charset=utf-8; method=PUBLISH',
    content: appointmentIcs({
      reservationId,
      startsAt: ctx.startsAt,
      endsAt: ctx.endsAt,
      title,
      description,
      location: ctx.practice.address,
    }),
  };
  const rows = patientRows(loaded, cfg, 'approved', approved, {
    dueAt: now,
    key: (c) => dedupeKey.patient(ctx.requestId, 'approved', c),
    attachments: [ics],
  });
  const reminder = renderReminder(ctx);
  for (const offset of [...new Set(loaded.reminderOffsets)].sort((a, b) => b - a)) {
    const dueAt = new Date(ctx.startsAt.getTime() - offset * 60_000);
    // A reminder already due at approval would only repeat the confirmation.
    if (dueAt <= now) continue;
    rows.push(...patientRows(loaded, cfg, 'reminder', reminder, { dueAt, key: (c) => dedupeKey.reminder(reservationId, offset, c), extra: { offsetMinutes: offset } }));
  }
  return rows;
}

/** The request lapsed without an answer. */
export async function queueExpired(tx: Executor, input: { requestId: string; now: Date }): Promise<void> {
  const loaded = await load(tx, input.requestId);
  if (!loaded) return;
  const { ctx } = loaded;
  await skipPracticeNotices(tx, ctx.requestId, 'request_expired');
  const rendered = renderExpired(ctx, notificationConfig().appUrl);
  await insertMessages(tx, patientRows(loaded, notificationConfig(), 'expired', rendered, { dueAt: input.now, key: (c) => dedupeKey.patient(ctx.requestId, 'expired', c) }));
}

/**
 * A pending request or a confirmed appointment was cancelled. The patient is told (with the
 * practice's reason when it cancelled); the practice is told when the patient cancelled; the
 * appointment's reminders that were not sent are skipped, so none can arrive.
 */
export async function queueCancelled(tx: Executor, input: { requestId: string; by: 'patient' | 'practice'; now: Date }): Promise<void> {
  const loaded = await load(tx, input.requestId);
  if (!loaded) return;
  const practiceEmail = input.by === 'patient' ? await practiceRecipient(tx, loaded) : null;
  const { rows, skips } = cancelledMessages(loaded, practiceEmail, input);
  for (const skip of skips) await skipStatement(tx, skip.where, skip.reason);
  await insertMessages(tx, rows);
}

/**
 * A cancellation's messages, rendered from what the caller read (no query): the rows to insert,
 * and the messages it makes moot (the practice's notices; an appointment's unsent reminders) as
 * the WHERE of their skip (skipStatement) with its reason. `loaded` is read after the cancel (the
 * reservation's cancelReason set) or as it will be.
 */
export function cancelledMessages(
  loaded: Loaded,
  practiceEmail: string | null,
  input: { by: 'patient' | 'practice'; now: Date },
): { rows: NewRow[]; skips: { where: SQL; reason: SkipReason }[] } {
  const { ctx } = loaded;
  const cfg = notificationConfig();
  const appointment = Boolean(ctx.reservationId);
  const skips: { where: SQL; reason: SkipReason }[] = [{ where: practiceNotices(ctx.requestId), reason: 'request_cancelled' }];
  if (ctx.reservationId) skips.push({ where: and(eq(notifications.reservationId, ctx.reservationId), eq(notifications.kind, 'reminder'))!, reason: 'appointment_cancelled' });
  const rendered = renderCancelled(ctx, { by: input.by, appointment, reason: loaded.cancelReason }, cfg.appUrl);
  const rows = patientRows(loaded, cfg, 'cancelled', rendered, { dueAt: input.now, key: (c) => dedupeKey.patient(ctx.requestId, 'cancelled', c) });
  if (input.by === 'patient' && practiceEmail) rows.push(practiceRow(loaded, practiceEmail, 'cancelled_by_patient', renderCancelledByPatient(ctx, appointment), input.now));
  return { rows, skips };
}

// ---------------------------------------------------------------------------

export type NewRow = typeof notifications.$inferInsert;

export interface Loaded {
  ctx: MessageContext;
  profileId: string;
  whatsappEnabled: boolean;
  whatsappOptOut: boolean;
  reminderOffsets: number[];
  /** New-request notices gathered into one e-mail per this many minutes (0: one each). */
  digestMinutes: number;
  decisionReason: string | null;
  cancelReason: string | null;
}

/** What messages name of a practice: one select list for load() and for callers that read it in their own statement. */
export const practiceMessageColumns = {
  practiceName: profiles.displayName,
  slug: profiles.slug,
  timeZone: profiles.timeZone,
  address: profiles.address,
  contactPhone: profiles.contactPhone,
  contactEmail: profiles.contactEmail,
  whatsappEnabled: profiles.whatsappEnabled,
  reminderOffsets: profiles.reminderOffsetsMinutes,
  digestMinutes: profiles.requestDigestMinutes,
  /** Messages to the practice, and to a patient whose request has no language of its own. */
  practiceLocale: profiles.defaultLocale,
  /** The practice's own address, else the sign-in address of its first doctor (practiceRecipient). */
  recipient: sql<string | null>`coalesce(nullif(${profiles.contactEmail}, ''), (
    SELECT u.email FROM profile_members m JOIN users u ON u.id = m.user_id
    WHERE m.profile_id = ${profiles.id} AND 'doctor' = ANY(m.roles) ORDER BY m.created_at LIMIT 1))`,
};

/** Everything load() reads: a caller's own statement may select it too (joined the same way, see load) and map it with loadedOf. */
export const messageColumns = {
  requestId: reservationRequests.id,
  profileId: reservationRequests.profileId,
  startsAt: reservationRequests.startsAt,
  endsAt: reservationRequests.endsAt,
  expiresAt: reservationRequests.expiresAt,
  decisionReason: reservationRequests.decisionReason,
  /** The patient's language (the page they asked from); null: the practice's. */
  patientLocale: reservationRequests.locale,
  serviceName: medicalServices.name,
  patientName: patients.name,
  patientPhone: patients.phone,
  patientEmail: patients.email,
  whatsappOptOut: patients.whatsappOptOut,
  ...practiceMessageColumns,
  reservationId: reservations.id,
  cancelReason: reservations.cancelReason,
};

/** messageColumns of requests, on the joins they need: add a WHERE. */
export function messagesQuery(tx: Executor) {
  return messagesQueryWith(tx, {});
}

/** messagesQuery with more columns of the same tables beside messageColumns (one read for a change and its messages). */
export function messagesQueryWith<T extends SelectedFields>(tx: Executor, more: T) {
  return tx
    .select({ ...messageColumns, ...more })
    .from(reservationRequests)
    .innerJoin(medicalServices, eq(medicalServices.id, reservationRequests.serviceId))
    .innerJoin(patients, eq(patients.id, reservationRequests.patientId))
    .innerJoin(profiles, eq(profiles.id, reservationRequests.profileId))
    .leftJoin(reservations, eq(reservations.requestId, reservationRequests.id));
}

export type MessageRow = Awaited<ReturnType<typeof messagesQuery>>[number];

export async function load(tx: Executor, requestId: string): Promise<Loaded | null> {
  const [row] = await messagesQuery(tx).where(eq(reservationRequests.id, requestId)).limit(1);
  return row ? loadedOf(row) : null;
}

/** The messages' context from a row of messageColumns (read by load() or by the caller's own statement). */
export function loadedOf(row: MessageRow): Loaded & { recipient: string | null } {
  return {
    ctx: {
      requestId: row.requestId,
      reservationId: row.reservationId,
      practice: {
        name: row.practiceName,
        slug: row.slug,
        timeZone: row.timeZone,
        address: row.address,
        phone: row.contactPhone,
        email: row.contactEmail,
      },
      serviceName: row.serviceName,
      patient: { name: row.patientName, phone: row.patientPhone, email: row.patientEmail },
      startsAt: new Date(row.startsAt),
      endsAt: new Date(row.endsAt),
      expiresAt: new Date(row.expiresAt),
      locale: localeOr(row.patientLocale, localeOr(row.practiceLocale)),
      practiceLocale: localeOr(row.practiceLocale),
    },
    profileId: row.profileId,
    whatsappEnabled: row.whatsappEnabled,
    whatsappOptOut: row.whatsappOptOut,
    reminderOffsets: row.reminderOffsets ?? [],
    digestMinutes: row.digestMinutes,
    decisionReason: row.decisionReason,
    cancelReason: row.cancelReason,
    recipient: row.recipient,
  };
}

/**
 * The patient's channels: e-mail when they gave an address; WhatsApp when the practice has it
 * switched on, the WhatsApp API is configured, and the patient did not opt out.
 */
function patientChannels(loaded: Loaded, cfg: NotificationConfig): { channel: Channel; recipient: string }[] {
  const out: { channel: Channel; recipient: string }[] = [];
  if (loaded.ctx.patient.email) out.push({ channel: 'email', recipient: loaded.ctx.patient.email });
  if (loaded.whatsappEnabled && cfg.whatsapp && !loaded.whatsappOptOut) out.push({ channel: 'whatsapp', recipient: loaded.ctx.patient.phone });
  return out;
}

export function patientRows(
  loaded: Loaded,
  cfg: NotificationConfig,
  kind: PatientKind,
  rendered: Rendered,
  opts: { dueAt: Date; key: (channel: Channel) => string; attachments?: EmailAttachment[]; extra?: NotificationPayload },
): NewRow[] {
  const { ctx } = loaded;
  return patientChannels(loaded, cfg).map(({ channel, recipient }) => {
    const payload: NotificationPayload =
      channel === 'email'
        ? { ...opts.extra, fromName: ctx.practice.name, ...(ctx.practice.email ? { replyTo: ctx.practice.email } : {}), ...(opts.attachments ? { attachments: opts.attachments } : {}) }
        : { ...opts.extra, whatsapp: { name: whatsappTemplate(cfg, kind), language: whatsappLanguage(cfg, ctx.locale), parameters: rendered.parameters.map(whatsappParameter) } };
    return {
      profileId: loaded.profileId,
      requestId: ctx.requestId,
      reservationId: ctx.reservationId,
      dedupeKey: opts.key(channel),
      kind,
      channel,
      recipient,
      subject: channel === 'email' ? rendered.subject : null,
      body: channel === 'email' ? rendered.text : rendered.short,
      payload,
      dueAt: opts.dueAt,
      nextAttemptAt: opts.dueAt,
    };
  });
}

/**
 * The WhatsApp template's language for a message in `locale` (`language.code` of the Cloud API):
 * the configured code (WHATSAPP_TEMPLATE_LANGUAGE, e.g. en_US) when it is that language, else the locale itself.
 */
export function whatsappLanguage(cfg: NotificationConfig, locale: Locale): string {
  const configured = cfg.whatsapp?.language ?? 'en';
  return configured.split(/[-_]/)[0].toLowerCase() === locale ? configured : locale;
}

function whatsappTemplate(cfg: NotificationConfig, kind: PatientKind): string {
  const templated = templateKindOf(kind);
  return (templated === 'patient_link' ? cfg.whatsapp!.templates.patient_link : cfg.whatsapp!.templates[templated]) ?? 'appointments_link';
}

export function practiceRow(loaded: Loaded, recipient: string, kind: PracticeKind, rendered: { subject: string; text: string }, dueAt: Date): NewRow {
  return {
    profileId: loaded.profileId,
    requestId: loaded.ctx.requestId,
    reservationId: loaded.ctx.reservationId,
    dedupeKey: dedupeKey.practice(loaded.ctx.requestId, kind),
    kind,
    channel: 'email',
    recipient,
    subject: rendered.subject,
    body: rendered.text,
    payload: {} satisfies NotificationPayload,
    dueAt,
    nextAttemptAt: dueAt,
  };
}

/** The practice's own address, else the sign-in address of its first doctor. */
export async function practiceRecipient(tx: Executor, loaded: Loaded & { recipient?: string | null }): Promise<string | null> {
  if (loaded.recipient !== undefined) return loaded.recipient;
  if (loaded.ctx.practice.email) return loaded.ctx.practice.email;
  const [doctor] = await tx
    .select({ email: users.email })
    .from(profileMembers)
    .innerJoin(users, eq(users.id, profileMembers.userId))
    .where(and(eq(profileMembers.profileId, loaded.profileId), sql`'doctor' = ANY(${profileMembers.roles})`))
    .orderBy(asc(profileMembers.createdAt))
    .limit(1);
  return doctor?.email ?? null;
}

/**
 * The practice is not flooded: new requests of one digest window (the practice's setting) go out
 * as one e-mail at the window's end. Each request writes its own row, due then, carrying its line
 * of the e-mail; the sender gathers the window's rows still pending into one message (send.ts).
 * A request answered or cancelled before then drops out (its row is skipped like any practice
 * notice of it). One row per request, not one row updated by each: a busy practice's bookings
 * would all queue on that row's lock, and its body would be copied whole at every request.
 */
function newRequestDigest(loaded: Loaded, recipient: string, rendered: { subject: string; text: string }, dashboardUrl: string, now: Date): NewRow {
  const windowMs = loaded.digestMinutes * 60_000;
  const windowStart = new Date(Math.floor(now.getTime() / windowMs) * windowMs);
  const dueAt = new Date(windowStart.getTime() + windowMs);
  const { ctx } = loaded;
  const t = translator(ctx.practiceLocale, 'notifications.practice');
  const item = `• ${t('digestItem', { patient: ctx.patient.name, service: ctx.serviceName, start: practiceWhen(ctx, ctx.startsAt) })}\n  ${rendered.text.split('\n\n')[1] ?? ''}`;
  const intro = t('digestIntro', { practice: ctx.practice.name, url: dashboardUrl });
  // The subject's words around the count, in the practice's language, for the sender to fill in.
  const [before, after] = t('digestSubject', { count: 2 }).split('2');
  const digest: DigestPart = { key: dedupeKey.digest(loaded.profileId, windowStart), intro, item, subject: [before, after] };
  return {
    profileId: loaded.profileId,
    requestId: ctx.requestId,
    reservationId: ctx.reservationId,
    dedupeKey: dedupeKey.digestItem(loaded.profileId, windowStart, ctx.requestId),
    kind: 'new_request',
    channel: 'email',
    recipient,
    subject: t('digestSubject', { count: 1 }),
    body: `${intro}\n\n${item}`,
    payload: { digest } satisfies NotificationPayload,
    dueAt,
    nextAttemptAt: dueAt,
  };
}

/**
 * A one-time code to prove a contact, due now. The code itself is sealed in the payload (the body
 * holds a placeholder) and dropped once sent: it is never stored in plain text.
 */
export async function queueVerificationCode(
  tx: Executor,
  input: { profileId: string; practiceName: string; verificationId: string; sendNumber: number; channel: Channel; recipient: string; code: string; now: Date; locale: Locale },
): Promise<string> {
  const cfg = notificationConfig();
  const key = dedupeKey.code(input.verificationId, input.sendNumber, input.channel);
  // In the language of the page that asked for the code.
  const t = translator(input.locale, 'notifications.code');
  const v = { practice: input.practiceName, code: CODE_PLACEHOLDER };
  const text = t('text', v);
  const payload: NotificationPayload =
    input.channel === 'email'
      ? { fromName: input.practiceName, sealedCode: sealLink(input.code) }
      : { sealedCode: sealLink(input.code), whatsapp: { name: cfg.whatsapp!.templates.code, language: whatsappLanguage(cfg, input.locale), parameters: [CODE_PLACEHOLDER] } };
  await insertMessages(tx, [
    {
      profileId: input.profileId,
      dedupeKey: key,
      kind: 'code',
      channel: input.channel,
      recipient: input.recipient,
      subject: input.channel === 'email' ? t('subject', v) : null,
      body: input.channel === 'email' ? text : t('short', v),
      payload,
      dueAt: input.now,
      nextAttemptAt: input.now,
    },
  ]);
  return key;
}

export async function insertMessages(tx: Executor, rows: NewRow[]): Promise<void> {
  if (!rows.length) return;
  await tx.execute(insertRowsStatement(rows));
}

/** The INSERT of message rows, not yet run: a caller puts it in its own statement (a CTE). Needs rows. */
export function insertRowsStatement(rows: NewRow[]) {
  return insertRows(notifications, rows, sql`ON CONFLICT (dedupe_key) DO NOTHING`);
}

/** The practice's notice and warning about a request that is no longer waiting for an answer. */
async function skipPracticeNotices(tx: Executor, requestId: string, reason: SkipReason): Promise<void> {
  await skipPending(tx, practiceNotices(requestId), reason);
}

/** The practice's notice and warning about a request (the WHERE of their skip). */
export function practiceNotices(requestId: string): SQL {
  return and(eq(notifications.requestId, requestId), inArray(notifications.kind, ['new_request', 'expiry_warning']))!;
}

/**
 * Marks messages that no longer apply as `skipped` with the reason's code. One being sent is
 * included: if its provider accepts it after all, recording the send turns it to `sent`.
 */
export async function skipPending(tx: Executor, where: SQL | undefined, reason: SkipReason): Promise<void> {
  await skipStatement(tx, where, reason);
}

/** skipPending's UPDATE, not yet run: a caller may put it in its own statement (add its condition to `where`). */
export function skipStatement(tx: Executor, where: SQL | undefined, reason: SkipReason) {
  return tx
    .update(notifications)
    .set({ status: 'skipped', skipReason: reason, leaseUntil: null })
    .where(and(where, inArray(notifications.status, ['pending', 'sending'])));
}
