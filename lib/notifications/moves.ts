import { and, eq, inArray, sql } from 'drizzle-orm';
import { notifications } from '@/db/schema';
import type { Executor } from '@/lib/db';
import { contact, icsTexts, letter, place, practiceWhen, renderExpiryWarning, renderReminder, start, when, type MessageContext, type Rendered } from './compose';
import { notificationConfig } from './config';
import { appointmentIcs } from './ics';
import { translator } from '@/lib/i18n/translator';
import { dedupeKey, STATUS_LINK_PLACEHOLDER, type EmailAttachment } from './kinds';
import { sealLink } from './link';
import { EXPIRY_WARNING_LEAD_MINUTES, insertMessages, load, patientRows, practiceRecipient, practiceRow, skipPending, type Loaded, type NewRow } from './queue';

/*
 * The messages of a patient's move (lib/booking/move.ts), written in the move's transaction like
 * every other message (queue.ts). Each is keyed by the move (dedupeKey.move), since a request may
 * move several times. The patient hears the outcome on their channels; the practice is written to
 * as for a new request.
 */

export interface MoveFacts {
  moveId: string;
  from: { startsAt: Date; endsAt: Date };
  to: { startsAt: Date; endsAt: Date };
  /** When the practice must answer a move of an appointment (a pending request's own deadline otherwise). */
  deadline: Date;
}

/**
 * A pending request was moved at once: the patient's receipt (the status link again, sealed until
 * sent), the practice's notice ("was …, asks …") and its deadline warning again for the new time
 * (the old one is skipped).
 */
export async function queueMoveApplied(tx: Executor, input: { requestId: string; move: MoveFacts; statusUrl: string; baseUrl: string; now: Date }): Promise<void> {
  const loaded = await load(tx, input.requestId);
  if (!loaded) return;
  const { ctx } = loaded;
  const cfg = notificationConfig();
  const rows = patientRows(loaded, cfg, 'moved', renderMoved(ctx, input.move), {
    dueAt: input.now,
    key: (c) => dedupeKey.move(input.move.moveId, 'moved', c),
    extra: { sealedStatusLink: sealLink(input.statusUrl) },
  });
  await skipPending(tx, and(eq(notifications.requestId, ctx.requestId), inArray(notifications.kind, ['new_request', 'expiry_warning'])), 'request_moved');
  const practice = await practiceRows(tx, loaded, input.move, input.baseUrl, input.now);
  await insertMessages(tx, [...rows, ...practice]);
}

/** An appointment's move waits for the practice: the practice is told (the patient saw it on the page). */
export async function queueMoveAsked(tx: Executor, input: { requestId: string; move: MoveFacts; baseUrl: string; now: Date }): Promise<void> {
  const loaded = await load(tx, input.requestId);
  if (!loaded) return;
  await insertMessages(tx, await practiceRows(tx, loaded, input.move, input.baseUrl, input.now));
}

/**
 * The practice answered an appointment's move, or did not in time. Approved: the patient's
 * confirmation of the new time with a calendar file that replaces the old one, and the reminders
 * again for the new time (the old ones skipped and their keys freed). Declined or unanswered: the
 * patient is told the appointment stays where it was.
 */
export async function queueMoveDecided(
  tx: Executor,
  input: { requestId: string; move: MoveFacts; outcome: 'approved' | 'declined' | 'unanswered'; sequence: number; now: Date },
): Promise<void> {
  const loaded = await load(tx, input.requestId);
  if (!loaded) return;
  const { ctx } = loaded;
  const cfg = notificationConfig();
  await skipPending(tx, and(eq(notifications.requestId, ctx.requestId), eq(notifications.kind, 'move_requested')), 'request_answered');
  if (input.outcome !== 'approved') {
    const rendered = renderMoveDeclined(ctx, input.move, input.outcome);
    await insertMessages(tx, patientRows(loaded, cfg, 'move_declined', rendered, { dueAt: input.now, key: (c) => dedupeKey.move(input.move.moveId, 'move_declined', c) }));
    return;
  }
  const reservationId = ctx.reservationId;
  if (!reservationId) throw new Error(`request ${ctx.requestId} has a move approved but no reservation`);
  // The old time's reminders never leave; their keys are freed for the new time's own.
  await tx.execute(sqlFreeReminderKeys(reservationId));
  const rendered = renderMoveApproved(ctx, input.move);
  const ics: EmailAttachment = {
    filename: 'appointment.ics',
    contentType: 'text/calendar; charset=utf-8; method=PUBLISH',
    content: appointmentIcs({
      reservationId,
      startsAt: ctx.startsAt,
      endsAt: ctx.endsAt,
      ...icsTexts(ctx, start(ctx)),
      location: ctx.practice.address,
      sequence: input.sequence,
    }),
  };
  const rows = patientRows(loaded, cfg, 'move_approved', rendered, { dueAt: input.now, key: (c) => dedupeKey.move(input.move.moveId, 'move_approved', c), attachments: [ics] });
  rows.push(...reminderRows(loaded, reservationId, input.now));
  await insertMessages(tx, rows);
}

// ---------------------------------------------------------------------------

function sqlFreeReminderKeys(reservationId: string) {
  return sql`
    UPDATE notifications
    SET status = CASE WHEN status IN ('pending', 'sending') THEN 'skipped'::notification_status ELSE status END,
        skip_reason = CASE WHEN status IN ('pending', 'sending') THEN 'appointment_moved' ELSE skip_reason END,
        lease_until = NULL, dedupe_key = dedupe_key || ':moved:' || id::text
    WHERE reservation_id = ${reservationId} AND kind = 'reminder' AND dedupe_key NOT LIKE '%:moved:%'`;
}

function reminderRows(loaded: Loaded, reservationId: string, now: Date): NewRow[] {
  const { ctx } = loaded;
  const cfg = notificationConfig();
  const reminder = renderReminder(ctx);
  const rows: NewRow[] = [];
  for (const offset of [...new Set(loaded.reminderOffsets)].sort((a, b) => b - a)) {
    const dueAt = new Date(ctx.startsAt.getTime() - offset * 60_000);
    if (dueAt <= now) continue;
    rows.push(...patientRows(loaded, cfg, 'reminder', reminder, { dueAt, key: (c) => dedupeKey.reminder(reservationId, offset, c), extra: { offsetMinutes: offset } }));
  }
  return rows;
}

/** The practice's notice of a move (and, for a pending request, its deadline warning for the new time). */
async function practiceRows(tx: Executor, loaded: Loaded, move: MoveFacts, baseUrl: string, now: Date): Promise<NewRow[]> {
  const recipient = await practiceRecipient(tx, loaded);
  if (!recipient) return [];
  const dashboardUrl = `${baseUrl.replace(/\/$/, '')}/dashboard/requests`;
  const rows: NewRow[] = [
    { ...practiceRow(loaded, recipient, 'move_requested', renderMoveRequested(loaded.ctx, move, dashboardUrl), now), dedupeKey: dedupeKey.move(move.moveId, 'move_requested', 'email') },
  ];
  if (!loaded.ctx.reservationId) {
    const window = loaded.ctx.expiresAt.getTime() - now.getTime();
    if (window > 0) {
      const lead = Math.min(EXPIRY_WARNING_LEAD_MINUTES * 60_000, window / 2);
      rows.push({
        ...practiceRow(loaded, recipient, 'expiry_warning', renderExpiryWarning(loaded.ctx, dashboardUrl), new Date(loaded.ctx.expiresAt.getTime() - lead)),
        dedupeKey: dedupeKey.move(move.moveId, 'expiry_warning', 'email'),
      });
    }
  }
  return rows;
}

// ---------------------------------------------------------------------------
// Texts (the practice's zone, named; the reason for the visit left out, as in compose.ts)
// ---------------------------------------------------------------------------

function was(ctx: MessageContext, move: MoveFacts): string {
  return when(move.from.startsAt, ctx.practice.timeZone, ctx.locale);
}

function asks(ctx: MessageContext, move: MoveFacts): string {
  return when(move.to.startsAt, ctx.practice.timeZone, ctx.locale);
}

/** A pending request now asks for another time (WhatsApp: the `received` template's parameters). */
export function renderMoved(ctx: MessageContext, move: MoveFacts): Rendered {
  const t = translator(ctx.locale, 'notifications.moved');
  const deadline = when(ctx.expiresAt, ctx.practice.timeZone, ctx.locale);
  const v = { practice: ctx.practice.name, service: ctx.serviceName, asks: asks(ctx, move), was: was(ctx, move), deadline, link: STATUS_LINK_PLACEHOLDER };
  return {
    subject: t('subject', v),
    text: letter(ctx, t('intro', v), t('stillRequest', v), t('follow', v)),
    short: t('short', v),
    parameters: [ctx.practice.name, ctx.serviceName, asks(ctx, move), deadline, STATUS_LINK_PLACEHOLDER],
  };
}

/** The practice accepted an appointment's new time (WhatsApp: the `approved` template's parameters). */
export function renderMoveApproved(ctx: MessageContext, move: MoveFacts): Rendered {
  const t = translator(ctx.locale, 'notifications.moveApproved');
  const v = { practice: ctx.practice.name, service: ctx.serviceName, asks: asks(ctx, move), was: was(ctx, move), place: place(ctx) };
  return {
    subject: t('subject', v),
    text: letter(ctx, t('intro', v), [ctx.serviceName, t('instead', v), place(ctx)].join('\n'), t('calendarReplaces'), contact(ctx)),
    short: t('short', v),
    parameters: [ctx.practice.name, ctx.serviceName, asks(ctx, move), place(ctx)],
  };
}

/** The appointment stays at its time (WhatsApp: the `reminder` template's parameters). */
export function renderMoveDeclined(ctx: MessageContext, move: MoveFacts, outcome: 'declined' | 'unanswered'): Rendered {
  const t = translator(ctx.locale, 'notifications.moveDeclined');
  const v = { practice: ctx.practice.name, service: ctx.serviceName, asks: asks(ctx, move), start: start(ctx) };
  return {
    subject: t('subject', v),
    text: letter(ctx, outcome === 'declined' ? t('declined', v) : t('unanswered', v), t('stays', { details: [ctx.serviceName, start(ctx), place(ctx)].join('\n') }), contact(ctx)),
    short: t('short', v),
    parameters: [ctx.practice.name, ctx.serviceName, start(ctx), place(ctx)],
  };
}

/** To the practice (its language): a patient moved their request, or asks to move their appointment. */
export function renderMoveRequested(ctx: MessageContext, move: MoveFacts, dashboardUrl: string): Omit<Rendered, 'parameters'> {
  const t = translator(ctx.practiceLocale, 'notifications.practice');
  const appointment = Boolean(ctx.reservationId);
  const v = {
    patient: ctx.patient.name,
    phone: ctx.patient.phone,
    service: ctx.serviceName,
    was: practiceWhen(ctx, move.from.startsAt),
    asks: practiceWhen(ctx, move.to.startsAt),
    deadline: practiceWhen(ctx, move.deadline),
    url: dashboardUrl,
    what: appointment ? 'appointment' : 'request',
  };
  return {
    subject: t('moveSubject', v),
    text: [appointment ? t('moveAppointment', v) : t('moveRequest', v), appointment ? t('moveHeld', v) : t('moveAnswerBy', v), t('moveOpen', v)].join('\n\n'),
    short: t('moveShort', v),
  };
}
