import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { installDatabaseHandle, type Db, type DbHandle } from '@/db/client';
import { notifications, profiles, reservations } from '@/db/schema';
import { inngest } from '@/inngest/client';
import { cancelAppointment } from '@/lib/appointments/transitions';
import { approveRequest, rejectRequest } from '@/lib/approval';
import type { Actor } from '@/lib/auth/actor';
import type { CreatedRequest } from '@/lib/booking/create';
import { expireOverdueRequests } from '@/lib/booking/expire';
import { cancelRequestByToken } from '@/lib/booking/status';
import {
  dedupeKey,
  listNotificationsForReservation,
  MAX_ATTEMPTS,
  notificationConfig,
  sendDueNotifications,
  sendNotificationByKey,
  sendRequestNotifications,
} from '@/lib/notifications';
import { actorByEmail } from '../helpers/actors';
import { demoPractice, freeStarts, createTestRequest } from '../helpers/booking';
import { setupTestDb } from '../helpers/db';
import { icsLines, icsUtc, type TestSmtpServer } from '../helpers/smtp';
import { startMessageStandIns, templateParameters, type MessageStandIns, type TestWhatsAppApi } from '../helpers/whatsapp';

/**
 * Issue 7, must-show 1: messages caused by the real lib functions, sent to a real SMTP server
 * (smtp-server on 127.0.0.1) and to a local stand-in for the WhatsApp Cloud API.
 */

const TZ = 'Europe/Madrid';
const APP = 'http://localhost:3000';
let handle: DbHandle;
let db: Db;
let smtp: TestSmtpServer;
let whatsapp: TestWhatsAppApi;
let standIns: MessageStandIns;
let doctor: Actor;
let otherDoctor: Actor;
let demoId: string;
let otherPracticeId: string;
let serviceId: string;
let starts: Date[];
let made = 0;

beforeAll(async () => {
  handle = await setupTestDb();
  db = handle.db;
  // This file is about one practice notice per request: no digest window.
  await db.execute(sql`UPDATE profiles SET request_digest_minutes = 0`);
  // Events go to the outbox and, after commit, to the engine: nothing may leave the process.
  vi.spyOn(inngest, 'send').mockResolvedValue({ ids: [] } as never);
  vi.spyOn(console, 'info').mockImplementation(() => undefined);
  standIns = await startMessageStandIns({ phoneNumberId: '1098765', appUrl: APP });
  ({ smtp, whatsapp } = standIns);
  await db.update(profiles).set({ whatsappEnabled: true }).where(eq(profiles.slug, 'demo'));
  doctor = await actorByEmail(db, 'doctor@demo.test');
  otherDoctor = await actorByEmail(db, 'doctor2@demo.test');
  const { profile, byMinutes } = await demoPractice(db);
  demoId = profile.id;
  otherPracticeId = (await demoPractice(db, 'demo-2')).profile.id;
  serviceId = byMinutes(30).id;
  // More than a day ahead, so both reminders (24 h and 2 h before) are still to come at approval.
  starts = await freeStarts(db, profile.id, 30, 36, 30);
});

afterAll(async () => {
  await standIns?.close();
});

interface Booked extends CreatedRequest {
  email: string;
  phone: string;
}

async function book(opts: { email?: boolean; whatsappOptOut?: boolean } = {}): Promise<Booked> {
  const n = made++;
  const email = `patient${n}@example.com`;
  const phone = `+3466${String(process.pid % 1000).padStart(3, '0')}${String(n).padStart(4, '0')}`;
  const created = await createTestRequest({ clientAddress: `192.0.2.${n}`, baseUrl: APP }, 'demo', {
    serviceId,
    startsAt: starts[n].toISOString(),
    patient: { name: `Lucía Patient ${n}`, phone, ...(opts.email === false ? {} : { email }) },
    reason: 'Persistent cough',
    consent: true,
    ...(opts.whatsappOptOut ? { whatsappOptOut: true } : {}),
  });
  return { ...created, email, phone };
}

/** The practice's local time of an instant, as messages show it: "09:30 (Europe/Madrid)". */
function local(instant: string | Date): string {
  const hm = new Intl.DateTimeFormat('en-GB', { timeZone: TZ, hour: '2-digit', minute: '2-digit' }).format(new Date(instant));
  return `${hm} (${TZ})`;
}

async function rowsOf(requestId: string) {
  return db.select().from(notifications).where(eq(notifications.requestId, requestId));
}

async function row(key: string) {
  const [r] = await db.select().from(notifications).where(eq(notifications.dedupeKey, key));
  return r;
}

const approve = (requestId: string) => approveRequest(doctor, demoId, { requestId });
const messagesOf = (actor: Actor, reservationId: string, profileId = demoId) => listNotificationsForReservation(actor, profileId, { reservationId });

const minutesBefore = (instant: string, minutes: number, plus = 60_000) => new Date(new Date(instant).getTime() - minutes * 60_000 + plus);

describe('every message arrives once, with the right content, in the practice’s time zone', () => {
  it('request made: the patient’s receipt by e-mail and WhatsApp (deadline, status link), the practice’s notice', async () => {
    const r = await book();
    const rows = await rowsOf(r.id);
    expect(rows.map((x) => x.dedupeKey).sort()).toEqual(
      [`request-${r.id}-expiry-warning-email`, `request-${r.id}-new-request-email`, `request-${r.id}-received-email`, `request-${r.id}-received-whatsapp`].sort(),
    );
    // The stored copy never holds the token in plain text.
    expect(JSON.stringify(rows)).not.toContain(r.token);

    await sendDueNotifications();
    const [mail] = smtp.to(r.email);
    expect(smtp.to(r.email)).toHaveLength(1);
    expect(mail.subject.startsWith('Request received: General consultation, ')).toBe(true);
    expect(mail.subject).toContain(local(r.startsAt));
    expect(mail.text).toContain(`will answer by`);
    expect(mail.text).toContain(local(r.expiresAt));
    expect(mail.text).toContain(r.statusUrl);
    expect(mail.headers['from']).toContain('citas@demo.test');
    expect(mail.headers['reply-to']).toContain('consulta@demo.test');
    expect(mail.messageId).toBe(`<request-${r.id}-received-email@demo.test>`);

    const [wa] = whatsapp.acceptedTo(r.phone);
    expect(whatsapp.callsTo(r.phone)).toHaveLength(1);
    expect(wa.path).toBe('/v23.0/1098765/messages');
    expect(wa.authorization).toBe('Bearer test-token');
    // The template's language is the message's (this request has none; the practice's default is English), not WHATSAPP_TEMPLATE_LANGUAGE.
    expect(wa.body).toMatchObject({ messaging_product: 'whatsapp', to: r.phone.slice(1), type: 'template', template: { name: 'tpl_received', language: { code: 'en' } } });
    const params = templateParameters(wa);
    expect(params[0]).toBe('Dr. Ana García');
    expect(params[1]).toBe('General consultation');
    expect(params[2]).toContain(local(r.startsAt));
    expect(params[3]).toContain(local(r.expiresAt));
    expect(params[4]).toBe(r.statusUrl);

    const notice = smtp.to('consulta@demo.test').filter((m) => m.subject.startsWith('New request: Lucía Patient'));
    expect(notice.filter((m) => m.text.includes(r.phone))).toHaveLength(1);
    expect(notice.find((m) => m.text.includes(r.phone))!.text).toContain(`${APP}/dashboard`);

    // Sent: the status link is gone from the row too (it was only kept encrypted until the send).
    const sent = await row(dedupeKey.patient(r.id, 'received', 'email'));
    expect(sent).toMatchObject({ status: 'sent', attempts: 1, lastError: null });
    expect(sent.providerId).toContain('request-');
    expect(sent.payload).not.toHaveProperty('sealedStatusLink');
    expect((await row(dedupeKey.patient(r.id, 'received', 'whatsapp'))).providerId).toBe(wa.id);
  });

  it('approved: time, place and a valid .ics by e-mail; the WhatsApp template; then each reminder once', async () => {
    const r = await book();
    const { reservationId } = await approve(r.id);
    await sendDueNotifications();

    const approved = smtp.to(r.email).filter((m) => m.subject.startsWith('Appointment confirmed'));
    expect(approved).toHaveLength(1);
    const mail = approved[0];
    expect(mail.subject).toContain(local(r.startsAt));
    expect(mail.text).toContain('Calle Mayor 1, 28013 Madrid');
    expect(mail.text).toContain(`to ${local(r.endsAt)}`);
    expect(mail.attachments).toHaveLength(1);
    const [ics] = mail.attachments;
    expect(ics.filename).toBe('appointment.ics');
    expect(ics.contentType).toContain('text/calendar');
    const lines = icsLines(ics.content);
    expect(lines[0]).toBe('BEGIN:VCALENDAR');
    expect(lines.at(-1)).toBe('END:VCALENDAR');
    expect(lines).toContain('VERSION:2.0');
    expect(lines).toContain('BEGIN:VEVENT');
    expect(lines).toContain(`DTSTART:${icsUtc(r.startsAt)}`);
    expect(lines).toContain(`DTEND:${icsUtc(r.endsAt)}`);
    expect(lines).toContain(`UID:reservation-${reservationId}@doctor-appointments`);
    expect(lines.find((l) => l.startsWith('LOCATION:'))).toContain('Calle Mayor 1');
    expect(lines.find((l) => l.startsWith('DESCRIPTION:'))).toContain(local(r.startsAt));

    const wa = whatsapp.acceptedTo(r.phone).filter((c) => c.body.template.name === 'tpl_approved');
    expect(wa).toHaveLength(1);
    expect(templateParameters(wa[0])).toEqual(['Dr. Ana García', 'General consultation', expect.stringContaining(local(r.startsAt)), 'Calle Mayor 1, 28013 Madrid']);

    // Nothing else is due yet: the reminders wait for their time.
    await sendDueNotifications();
    expect(smtp.to(r.email).filter((m) => m.subject.startsWith('Reminder'))).toHaveLength(0);

    for (const offset of [1440, 120]) {
      await sendDueNotifications({ now: minutesBefore(r.startsAt, offset) });
      await sendDueNotifications({ now: minutesBefore(r.startsAt, offset, 120_000) });
    }
    const reminders = smtp.to(r.email).filter((m) => m.subject.startsWith('Reminder'));
    expect(reminders).toHaveLength(2);
    expect(reminders.map((m) => m.messageId)).toEqual([
      `<reservation-${reservationId}-reminder-1440-email@demo.test>`,
      `<reservation-${reservationId}-reminder-120-email@demo.test>`,
    ]);
    for (const m of reminders) {
      expect(m.subject.startsWith('Reminder: General consultation, ')).toBe(true);
      expect(m.subject).toContain(local(r.startsAt));
      expect(m.text).toContain('call +34910000000');
    }
    expect(whatsapp.acceptedTo(r.phone).filter((c) => c.body.template.name === 'tpl_reminder')).toHaveLength(2);

    // Every later run finds nothing to send for this request.
    await sendDueNotifications({ now: new Date(new Date(r.startsAt).getTime() - 60_000) });
    expect(smtp.to(r.email)).toHaveLength(4);
    expect(whatsapp.callsTo(r.phone)).toHaveLength(4);
  });

  it('rejected: the reason; expired: the time is free again', async () => {
    const rejected = await book();
    await rejectRequest(doctor, demoId, { requestId: rejected.id, reason: 'Please book a full check-up instead.' });
    const expired = await book();
    await db.execute(sql`UPDATE reservation_requests SET expires_at = now() - interval '1 minute' WHERE id = ${expired.id}`);
    expect(await expireOverdueRequests()).toBeGreaterThanOrEqual(1);
    await sendDueNotifications();

    const no = smtp.to(rejected.email).filter((m) => m.subject.startsWith('Request not accepted'));
    expect(no).toHaveLength(1);
    expect(no[0].subject).toContain(local(rejected.startsAt));
    expect(no[0].text).toContain('Reason: Please book a full check-up instead.');
    expect(no[0].text).toContain(`${APP}/book/demo`);
    const noWa = whatsapp.acceptedTo(rejected.phone).filter((c) => c.body.template.name === 'tpl_rejected');
    expect(noWa).toHaveLength(1);
    expect(templateParameters(noWa[0])[3]).toBe('Please book a full check-up instead.');

    const late = smtp.to(expired.email).filter((m) => m.subject.startsWith('Request expired'));
    expect(late).toHaveLength(1);
    expect(late[0].text).toContain('expired and the time is free again');
    expect(whatsapp.acceptedTo(expired.phone).filter((c) => c.body.template.name === 'tpl_expired')).toHaveLength(1);
    // The practice's warning about a request no longer waiting is skipped, not sent.
    expect(await row(dedupeKey.practice(expired.id, 'expiry_warning'))).toMatchObject({ status: 'skipped', skipReason: 'request_expired' });
  });

  it('cancelled by the patient (request, then appointment) and by the practice: the patient, and the practice when the patient cancelled', async () => {
    const pending = await book();
    await cancelRequestByToken(pending.token);
    const confirmed = await book();
    await approve(confirmed.id);
    await cancelRequestByToken(confirmed.token);
    const byPractice = await book();
    const { reservationId } = await approve(byPractice.id);
    await cancelAppointment(doctor, demoId, { reservationId, reason: 'The doctor is ill that day.' });
    await sendDueNotifications();

    const p1 = smtp.to(pending.email).filter((m) => m.subject.startsWith('Request cancelled'));
    expect(p1).toHaveLength(1);
    expect(p1[0].text).toContain('is cancelled, as you asked');
    const p2 = smtp.to(confirmed.email).filter((m) => m.subject.startsWith('Appointment cancelled'));
    expect(p2).toHaveLength(1);
    expect(p2[0].subject).toContain(local(confirmed.startsAt));
    const p3 = smtp.to(byPractice.email).filter((m) => m.subject.startsWith('Appointment cancelled by the practice'));
    expect(p3).toHaveLength(1);
    expect(p3[0].text).toContain('Reason: The doctor is ill that day.');
    for (const r of [pending, confirmed, byPractice]) {
      expect(whatsapp.acceptedTo(r.phone).filter((c) => c.body.template.name === 'tpl_cancelled')).toHaveLength(1);
    }
    const toPractice = smtp.to('consulta@demo.test').filter((m) => m.subject.startsWith('Cancelled by the patient'));
    expect(toPractice.filter((m) => m.text.includes(pending.phone))).toHaveLength(1);
    expect(toPractice.filter((m) => m.text.includes(confirmed.phone))).toHaveLength(1);
    expect(toPractice.filter((m) => m.text.includes(byPractice.phone))).toHaveLength(0);
  });

  it('the practice is warned once before an unanswered request expires; not for one answered', async () => {
    const waiting = await book();
    const answered = await book();
    await approve(answered.id);
    // Due 2 h before the deadline (the window is 24 h).
    const warning = await row(dedupeKey.practice(waiting.id, 'expiry_warning'));
    expect(warning.dueAt.getTime()).toBe(new Date(waiting.expiresAt).getTime() - 120 * 60_000);
    const at = new Date(warning.dueAt.getTime() + 60_000);
    await sendDueNotifications({ now: at });
    await sendDueNotifications({ now: new Date(at.getTime() + 60_000) });

    const warned = smtp.to('consulta@demo.test').filter((m) => m.subject.startsWith('Unanswered request'));
    expect(warned.filter((m) => m.text.includes(`Lucía Patient ${made - 2} for`))).toHaveLength(1);
    expect(warned.filter((m) => m.text.includes(`Lucía Patient ${made - 1} for`))).toHaveLength(0);
    expect(warned.find((m) => m.text.includes(`Lucía Patient ${made - 2} for`))!.subject).toContain(local(waiting.expiresAt));
  });

  it('a patient who opted out of WhatsApp, or gave no e-mail, gets only the other channel', async () => {
    const optOut = await book({ whatsappOptOut: true });
    const noEmail = await book({ email: false });
    expect((await rowsOf(optOut.id)).filter((x) => x.channel === 'whatsapp')).toHaveLength(0);
    expect((await rowsOf(noEmail.id)).filter((x) => x.recipient !== 'consulta@demo.test').map((x) => x.channel)).toEqual(['whatsapp']);
    await sendDueNotifications();
    expect(whatsapp.callsTo(optOut.phone)).toHaveLength(0);
    expect(smtp.to(optOut.email)).toHaveLength(1);
    expect(whatsapp.acceptedTo(noEmail.phone)).toHaveLength(1);
  });
});

describe('a cancelled appointment’s reminders never arrive', () => {
  it('cancelled after approval: its reminders are skipped at once and never sent, whoever tries', async () => {
    const r = await book();
    const { reservationId } = await approve(r.id);
    await sendDueNotifications();
    await cancelAppointment(doctor, demoId, { reservationId, reason: 'Closed for a holiday.' });

    const reminderRows = (await rowsOf(r.id)).filter((x) => x.kind === 'reminder');
    expect(reminderRows).toHaveLength(4);
    for (const x of reminderRows) expect(x).toMatchObject({ status: 'skipped', skipReason: 'appointment_cancelled', attempts: 0 });

    for (const offset of [1440, 120]) {
      await sendDueNotifications({ now: minutesBefore(r.startsAt, offset) });
      for (const channel of ['email', 'whatsapp'] as const) {
        expect(await sendNotificationByKey(dedupeKey.reminder(reservationId, offset, channel), { now: minutesBefore(r.startsAt, offset) })).toMatchObject({
          outcome: 'skipped',
        });
      }
    }
    expect(smtp.to(r.email).filter((m) => m.subject.startsWith('Reminder'))).toHaveLength(0);
    expect(whatsapp.callsTo(r.phone).filter((c) => c.body.template.name === 'tpl_reminder')).toHaveLength(0);

    const view = await messagesOf(doctor, reservationId);
    expect(view.filter((v) => v.kind === 'reminder').map((v) => v.status)).toEqual(['skipped', 'skipped', 'skipped', 'skipped']);
  });

  it('even a reminder row still pending when its appointment is no longer confirmed is skipped at send time', async () => {
    const r = await book();
    const { reservationId } = await approve(r.id);
    // As if the cancel had bypassed lib (or raced the claim): the send re-reads the appointment.
    await db.update(reservations).set({ status: 'cancelled', cancelledAt: new Date() }).where(eq(reservations.id, reservationId));
    const outcome = await sendNotificationByKey(dedupeKey.reminder(reservationId, 1440, 'email'), { now: minutesBefore(r.startsAt, 1440) });
    expect(outcome).toEqual({ outcome: 'skipped', key: dedupeKey.reminder(reservationId, 1440, 'email'), reason: 'appointment_cancelled' });
    expect(smtp.to(r.email).filter((m) => m.subject.startsWith('Reminder'))).toHaveLength(0);
  });
});

describe('no message is sent twice', () => {
  it('a step run again after its message was sent does not send it again', async () => {
    const r = await book();
    const first = await sendRequestNotifications(r.id, ['received']);
    const again = await sendRequestNotifications(r.id, ['received']);
    expect(first.map((o) => o.outcome)).toEqual(['sent', 'sent']);
    expect(again.map((o) => o.outcome)).toEqual(['already-sent', 'already-sent']);
    await sendDueNotifications();
    expect(smtp.to(r.email)).toHaveLength(1);
    expect(whatsapp.callsTo(r.phone)).toHaveLength(1);
  });

  it('a step that died after the provider accepted, before recording it: the retry and the sweep leave it alone', async () => {
    const r = await book();
    const key = dedupeKey.patient(r.id, 'received', 'email');
    // The database is lost right after the SMTP server accepted the message.
    const dying = new Proxy(db, {
      get(target, prop) {
        if (prop === 'update') {
          return () => {
            throw new Error('connection to the database lost');
          };
        }
        const value = Reflect.get(target, prop) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    installDatabaseHandle({ ...handle, db: dying });
    try {
      await expect(sendNotificationByKey(key)).rejects.toThrow('connection to the database lost');
    } finally {
      installDatabaseHandle(handle);
    }
    expect(smtp.to(r.email)).toHaveLength(1);
    expect(await row(key)).toMatchObject({ status: 'sending', attempts: 1 });

    // The engine retries the step at once: the attempt is still in flight (leased), so no send.
    expect(await sendNotificationByKey(key)).toEqual({ outcome: 'in-flight', key });
    await sendDueNotifications();
    // After the lease nobody knows whether it arrived: it is marked failed, never sent again.
    const later = new Date(Date.now() + 6 * 60_000);
    await sendDueNotifications({ now: later });
    expect(await sendNotificationByKey(key, { now: later })).toMatchObject({ outcome: 'failed', error: expect.stringContaining('outcome unknown') });
    expect(smtp.to(r.email)).toHaveLength(1);
    expect(await row(key)).toMatchObject({ status: 'failed', attempts: 1 });
  });

  it('two senders at once (a step and the sweep) send a message once', async () => {
    const r = await book();
    const key = dedupeKey.patient(r.id, 'received', 'whatsapp');
    const [a, b] = await Promise.all([sendNotificationByKey(key), sendNotificationByKey(key), sendDueNotifications()]);
    expect([a, b].filter((o) => o.outcome === 'sent').length).toBeLessThanOrEqual(1);
    await sendDueNotifications();
    expect(whatsapp.callsTo(r.phone)).toHaveLength(1);
    expect(smtp.to(r.email)).toHaveLength(1);
  });

  it('approving twice, or re-running the queue, makes no second copy of any message', async () => {
    const r = await book();
    await approve(r.id);
    const before = (await rowsOf(r.id)).length;
    expect((await approve(r.id)).changed).toBe(false);
    expect((await rowsOf(r.id)).length).toBe(before);
  });
});

describe('provider failures', () => {
  it('WhatsApp answering 500 is retried with backoff, then the message is failed with the error, shown on the appointment page', async () => {
    const r = await book();
    whatsapp.failFor(r.phone, 500);
    const { reservationId } = await approve(r.id);
    const key = dedupeKey.patient(r.id, 'approved', 'whatsapp');

    let now = new Date();
    const seen: string[] = [];
    for (let i = 0; i < MAX_ATTEMPTS + 2; i++) {
      const outcome = await sendNotificationByKey(key, { now });
      seen.push(outcome.outcome);
      if (outcome.outcome === 'retry-later') {
        // Too early for the next try: nothing is sent.
        expect(await sendNotificationByKey(key, { now: new Date(new Date(outcome.nextAttemptAt).getTime() - 1000) })).toMatchObject({ outcome: 'not-due' });
        now = new Date(outcome.nextAttemptAt);
      }
    }
    expect(seen).toEqual(['retry-later', 'retry-later', 'retry-later', 'retry-later', 'failed', 'failed', 'failed']);
    const calls = whatsapp.callsTo(r.phone).filter((c) => c.body.template.name === 'tpl_approved');
    expect(calls.map((c) => c.status)).toEqual([500, 500, 500, 500, 500]);
    const failed = await row(key);
    expect(failed).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS, providerId: null });
    expect(failed.lastError).toBe('WhatsApp API 500: An unknown error has occurred. (code 1) (gave up after 5 tries)');
    // The backoff between tries grew: 1, 4, 16, 64 minutes.

    const view = await messagesOf(doctor, reservationId);
    const shown = view.find((v) => v.kind === 'approved' && v.channel === 'whatsapp')!;
    expect(shown).toMatchObject({ status: 'failed', attempts: 5, error: failed.lastError, audience: 'patient' });
    expect(view.find((v) => v.kind === 'approved' && v.channel === 'email')).toMatchObject({ status: 'pending' });
    expect(view.find((v) => v.kind === 'received' && v.channel === 'email')).toBeDefined();
    whatsapp.accept(r.phone);
  });

  it('an SMTP server refusing for a while (451) is retried until it takes the message, once', async () => {
    const r = await book();
    smtp.refuse(r.email, 2, 451, 'Try again later');
    const key = dedupeKey.patient(r.id, 'received', 'email');
    const first = await sendNotificationByKey(key);
    expect(first).toMatchObject({ outcome: 'retry-later', error: expect.stringContaining('451') });
    const second = await sendNotificationByKey(key, { now: new Date((first as { nextAttemptAt: string }).nextAttemptAt) });
    expect(second.outcome).toBe('retry-later');
    const third = await sendNotificationByKey(key, { now: new Date((second as { nextAttemptAt: string }).nextAttemptAt) });
    expect(third.outcome).toBe('sent');
    expect(smtp.to(r.email)).toHaveLength(1);
    expect(await row(key)).toMatchObject({ status: 'sent', attempts: 3, lastError: null });
  });

  it('an SMTP server that is down costs the sweep one try, not one per message; WhatsApp goes on', async () => {
    const a = await book();
    const b = await book();
    const result = await sendDueNotifications({ config: { ...notificationConfig(), smtpUrl: 'smtp://127.0.0.1:9' } });
    expect(result.retryLater).toBe(1);
    expect(whatsapp.acceptedTo(a.phone)).toHaveLength(1);
    expect(whatsapp.acceptedTo(b.phone)).toHaveLength(1);
    // The server is back: the rest go now, the one that failed after its backoff.
    await sendDueNotifications();
    await sendDueNotifications({ now: new Date(Date.now() + 61_000) });
    expect(smtp.to(a.email)).toHaveLength(1);
    expect(smtp.to(b.email)).toHaveLength(1);
  });

  it('a permanent refusal (550) fails at once', async () => {
    const r = await book();
    smtp.refuse(r.email, 1, 550, 'No such user');
    const key = dedupeKey.patient(r.id, 'received', 'email');
    expect(await sendNotificationByKey(key)).toMatchObject({ outcome: 'failed', error: expect.stringContaining('550') });
    expect(await row(key)).toMatchObject({ status: 'failed', attempts: 1 });
  });
});

describe('the appointment page’s list', () => {
  it('is scoped to the practice: another practice’s doctor gets not found', async () => {
    const r = await book();
    const { reservationId } = await approve(r.id);
    const view = await messagesOf(doctor, reservationId);
    expect(view.map((v) => `${v.kind}/${v.channel}`).sort()).toEqual(
      [
        'approved/email',
        'approved/whatsapp',
        'new_request/email',
        'expiry_warning/email',
        'received/email',
        'received/whatsapp',
        'reminder/email',
        'reminder/email',
        'reminder/whatsapp',
        'reminder/whatsapp',
      ].sort(),
    );
    expect(view.find((v) => v.kind === 'expiry_warning')).toMatchObject({ status: 'skipped', error: 'the request was answered', audience: 'practice' });
    await expect(messagesOf(otherDoctor, reservationId, otherPracticeId)).rejects.toMatchObject({ code: 'not_found' });
    await expect(messagesOf(otherDoctor, reservationId)).rejects.toMatchObject({ code: 'not_found' });
    const rows = await db.select({ n: sql<number>`count(*)::int` }).from(notifications).where(and(eq(notifications.reservationId, reservationId)));
    expect(rows[0].n).toBe(6);
  });
});
