import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { medicalServices, notifications, patients, profileMembers, profiles, reservationRequests, reservations, users } from '@/db/schema';
import type { Executor } from '@/lib/db';
import {
  renderApproved,
  renderCancelled,
  renderCancelledByPatient,
  renderExpired,
  renderExpiryWarning,
  renderNewRequest,
  renderReceived,
  renderRejected,
  renderReminder,
  whatsappParameter,
  type MessageContext,
  type Rendered,
} from './compose';
import { notificationConfig, type NotificationConfig } from './config';
import { appointmentIcs } from './ics';
import { CODE_PLACEHOLDER, dedupeKey, templateKindOf, type Channel, type EmailAttachment, type NotificationPayload, type PatientKind, type PracticeKind, type SkipReason } from './kinds';
import { sealLink } from './link';

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
  const { ctx } = loaded;
  const cfg = notificationConfig();
  const dashboardUrl = `${input.baseUrl.replace(/\/$/, '')}/dashboard`;
  const rows = patientRows(loaded, cfg, 'received', renderReceived(ctx), {
    dueAt: input.now,
    key: (channel) => dedupeKey.patient(ctx.requestId, 'received', channel),
    extra: { sealedStatusLink: sealLink(input.statusUrl) },
  });
  const practiceEmail = await practiceRecipient(tx, loaded);
  if (practiceEmail) {
    if (loaded.digestMinutes > 0) await queueNewRequestDigest(tx, loaded, practiceEmail, renderNewRequest(ctx, dashboardUrl), dashboardUrl, input.now);
    else rows.push(practiceRow(loaded, practiceEmail, 'new_request', renderNewRequest(ctx, dashboardUrl), input.now));
    const window = ctx.expiresAt.getTime() - input.now.getTime();
    if (window > 0) {
      const lead = Math.min(EXPIRY_WARNING_LEAD_MINUTES * 60_000, window / 2);
      rows.push(practiceRow(loaded, practiceEmail, 'expiry_warning', renderExpiryWarning(ctx, dashboardUrl), new Date(ctx.expiresAt.getTime() - lead)));
    }
  }
  await insertRows(tx, rows);
}

/**
 * The doctor answered. Approved: the patient's confirmation with the calendar file, and one
 * reminder per offset of the practice and channel, due at start − offset (none already due).
 * Rejected: the patient is told why.
 */
export async function queueDecision(tx: Executor, input: { requestId: string; decision: 'approved' | 'rejected'; now: Date }): Promise<void> {
  const loaded = await load(tx, input.requestId);
  if (!loaded) return;
  const { ctx } = loaded;
  const cfg = notificationConfig();
  await skipPracticeNotices(tx, ctx.requestId, 'request_answered');
  if (input.decision === 'rejected') {
    const rendered = renderRejected(ctx, loaded.decisionReason ?? 'No reason given.', cfg.appUrl);
    await insertRows(tx, patientRows(loaded, cfg, 'rejected', rendered, { dueAt: input.now, key: (c) => dedupeKey.patient(ctx.requestId, 'rejected', c) }));
    return;
  }
  const reservationId = ctx.reservationId;
  if (!reservationId) throw new Error(`request ${ctx.requestId} is approved but has no reservation`);
  const approved = renderApproved(ctx);
  const ics: EmailAttachment = {
    filename: 'appointment.ics',
    contentType: 'text/calendar; charset=utf-8; method=PUBLISH',
    content: appointmentIcs({
      reservationId,
      startsAt: ctx.startsAt,
      endsAt: ctx.endsAt,
      title: `${ctx.serviceName}: ${ctx.practice.name}`,
      description: `${ctx.serviceName} with ${ctx.practice.name}, ${approved.parameters[2]}.${ctx.practice.phone ? ` Phone ${ctx.practice.phone}.` : ''}`,
      location: ctx.practice.address,
    }),
  };
  const rows = patientRows(loaded, cfg, 'approved', approved, {
    dueAt: input.now,
    key: (c) => dedupeKey.patient(ctx.requestId, 'approved', c),
    attachments: [ics],
  });
  const reminder = renderReminder(ctx);
  for (const offset of [...new Set(loaded.reminderOffsets)].sort((a, b) => b - a)) {
    const dueAt = new Date(ctx.startsAt.getTime() - offset * 60_000);
    // A reminder already due at approval would only repeat the confirmation.
    if (dueAt <= input.now) continue;
    rows.push(...patientRows(loaded, cfg, 'reminder', reminder, { dueAt, key: (c) => dedupeKey.reminder(reservationId, offset, c), extra: { offsetMinutes: offset } }));
  }
  await insertRows(tx, rows);
}

/** The request lapsed without an answer. */
export async function queueExpired(tx: Executor, input: { requestId: string; now: Date }): Promise<void> {
  const loaded = await load(tx, input.requestId);
  if (!loaded) return;
  const { ctx } = loaded;
  await skipPracticeNotices(tx, ctx.requestId, 'request_expired');
  const rendered = renderExpired(ctx, notificationConfig().appUrl);
  await insertRows(tx, patientRows(loaded, notificationConfig(), 'expired', rendered, { dueAt: input.now, key: (c) => dedupeKey.patient(ctx.requestId, 'expired', c) }));
}

/**
 * A pending request or a confirmed appointment was cancelled. The patient is told (with the
 * practice's reason when it cancelled); the practice is told when the patient cancelled; the
 * appointment's reminders that were not sent are skipped, so none can arrive.
 */
export async function queueCancelled(tx: Executor, input: { requestId: string; by: 'patient' | 'practice'; now: Date }): Promise<void> {
  const loaded = await load(tx, input.requestId);
  if (!loaded) return;
  const { ctx } = loaded;
  const cfg = notificationConfig();
  const appointment = Boolean(ctx.reservationId);
  await skipPracticeNotices(tx, ctx.requestId, 'request_cancelled');
  if (ctx.reservationId) {
    await skipPending(tx, and(eq(notifications.reservationId, ctx.reservationId), eq(notifications.kind, 'reminder')), 'appointment_cancelled');
  }
  const rendered = renderCancelled(ctx, { by: input.by, appointment, reason: loaded.cancelReason }, cfg.appUrl);
  const rows = patientRows(loaded, cfg, 'cancelled', rendered, { dueAt: input.now, key: (c) => dedupeKey.patient(ctx.requestId, 'cancelled', c) });
  if (input.by === 'patient') {
    const practiceEmail = await practiceRecipient(tx, loaded);
    if (practiceEmail) rows.push(practiceRow(loaded, practiceEmail, 'cancelled_by_patient', renderCancelledByPatient(ctx, appointment), input.now));
  }
  await insertRows(tx, rows);
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

export async function load(tx: Executor, requestId: string): Promise<Loaded | null> {
  const [row] = await tx
    .select({
      requestId: reservationRequests.id,
      profileId: reservationRequests.profileId,
      startsAt: reservationRequests.startsAt,
      endsAt: reservationRequests.endsAt,
      expiresAt: reservationRequests.expiresAt,
      decisionReason: reservationRequests.decisionReason,
      serviceName: medicalServices.name,
      patientName: patients.name,
      patientPhone: patients.phone,
      patientEmail: patients.email,
      whatsappOptOut: patients.whatsappOptOut,
      practiceName: profiles.displayName,
      slug: profiles.slug,
      timeZone: profiles.timeZone,
      address: profiles.address,
      contactPhone: profiles.contactPhone,
      contactEmail: profiles.contactEmail,
      whatsappEnabled: profiles.whatsappEnabled,
      reminderOffsets: profiles.reminderOffsetsMinutes,
      digestMinutes: profiles.requestDigestMinutes,
      reservationId: reservations.id,
      cancelReason: reservations.cancelReason,
    })
    .from(reservationRequests)
    .innerJoin(medicalServices, eq(medicalServices.id, reservationRequests.serviceId))
    .innerJoin(patients, eq(patients.id, reservationRequests.patientId))
    .innerJoin(profiles, eq(profiles.id, reservationRequests.profileId))
    .leftJoin(reservations, eq(reservations.requestId, reservationRequests.id))
    .where(eq(reservationRequests.id, requestId))
    .limit(1);
  if (!row) return null;
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
      startsAt: row.startsAt,
      endsAt: row.endsAt,
      expiresAt: row.expiresAt,
    },
    profileId: row.profileId,
    whatsappEnabled: row.whatsappEnabled,
    whatsappOptOut: row.whatsappOptOut,
    reminderOffsets: row.reminderOffsets ?? [],
    digestMinutes: row.digestMinutes,
    decisionReason: row.decisionReason,
    cancelReason: row.cancelReason,
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
        : { ...opts.extra, whatsapp: { name: whatsappTemplate(cfg, kind), language: cfg.whatsapp!.language, parameters: rendered.parameters.map(whatsappParameter) } };
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
export async function practiceRecipient(tx: Executor, loaded: Loaded): Promise<string | null> {
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
 * as one e-mail at the window's end, each added to the same row as it arrives (one upsert).
 */
async function queueNewRequestDigest(
  tx: Executor,
  loaded: Loaded,
  recipient: string,
  rendered: { subject: string; text: string },
  dashboardUrl: string,
  now: Date,
): Promise<void> {
  const windowMs = loaded.digestMinutes * 60_000;
  const windowStart = Math.floor(now.getTime() / windowMs) * windowMs;
  const dueAt = new Date(windowStart + windowMs);
  const key = dedupeKey.digest(loaded.profileId, new Date(windowStart));
  const item = `• ${rendered.subject.replace(/^New request: /, '')}\n  ${rendered.text.split('\n\n')[1] ?? ''}`;
  const intro = `New appointment requests for ${loaded.ctx.practice.name}. Read them and approve or reject each one: ${dashboardUrl}`;
  await tx.execute(sql`
    INSERT INTO notifications (profile_id, dedupe_key, kind, channel, recipient, subject, body, payload, due_at, next_attempt_at)
    VALUES (${loaded.profileId}, ${key}, 'new_request', 'email', ${recipient}, 'New appointment request (1)', ${`${intro}\n\n${item}`},
      ${JSON.stringify({ requests: 1 })}::jsonb, ${dueAt.toISOString()}, ${dueAt.toISOString()})
    ON CONFLICT (dedupe_key) DO UPDATE SET
      body = notifications.body || ${`\n\n${item}`},
      payload = jsonb_set(notifications.payload, '{requests}', to_jsonb((notifications.payload->>'requests')::int + 1)),
      subject = 'New appointment requests (' || ((notifications.payload->>'requests')::int + 1) || ')'
    WHERE notifications.status = 'pending'`);
}

/**
 * A one-time code to prove a contact, due now. The code itself is sealed in the payload (the body
 * holds a placeholder) and dropped once sent: it is never stored in plain text.
 */
export async function queueVerificationCode(
  tx: Executor,
  input: { profileId: string; practiceName: string; verificationId: string; sendNumber: number; channel: Channel; recipient: string; code: string; now: Date },
): Promise<string> {
  const cfg = notificationConfig();
  const key = dedupeKey.code(input.verificationId, input.sendNumber, input.channel);
  const text = `Your code for ${input.practiceName}: ${CODE_PLACEHOLDER}\n\nEnter it on the booking page within 10 minutes to send your appointment request. Nothing is booked until you do.\nIf you did not ask for this code, ignore this message.`;
  const payload: NotificationPayload =
    input.channel === 'email'
      ? { fromName: input.practiceName, sealedCode: sealLink(input.code) }
      : { sealedCode: sealLink(input.code), whatsapp: { name: cfg.whatsapp!.templates.code, language: cfg.whatsapp!.language, parameters: [CODE_PLACEHOLDER] } };
  await insertRows(tx, [
    {
      profileId: input.profileId,
      dedupeKey: key,
      kind: 'code',
      channel: input.channel,
      recipient: input.recipient,
      subject: input.channel === 'email' ? `Your code for ${input.practiceName}` : null,
      body: input.channel === 'email' ? text : `${input.practiceName}: your code is ${CODE_PLACEHOLDER}`,
      payload,
      dueAt: input.now,
      nextAttemptAt: input.now,
    },
  ]);
  return key;
}

export async function insertRows(tx: Executor, rows: NewRow[]): Promise<void> {
  if (!rows.length) return;
  await tx.insert(notifications).values(rows).onConflictDoNothing({ target: notifications.dedupeKey });
}

/** The practice's notice and warning about a request that is no longer waiting for an answer. */
async function skipPracticeNotices(tx: Executor, requestId: string, reason: SkipReason): Promise<void> {
  await skipPending(tx, and(eq(notifications.requestId, requestId), inArray(notifications.kind, ['new_request', 'expiry_warning'])), reason);
}

/**
 * Marks messages that no longer apply as `skipped` with the reason's code. One being sent is
 * included: if its provider accepts it after all, recording the send turns it to `sent`.
 */
export async function skipPending(tx: Executor, where: SQL | undefined, reason: SkipReason): Promise<void> {
  await tx
    .update(notifications)
    .set({ status: 'skipped', skipReason: reason, leaseUntil: null })
    .where(and(where, inArray(notifications.status, ['pending', 'sending'])));
}
