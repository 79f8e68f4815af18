import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Db } from '@/db/client';
import { eventOutbox, notifications } from '@/db/schema';
import { inngest } from '@/inngest/client';
import { approveRequest } from '@/lib/approval';
import { listNotificationsForReservation, mailDeliveryStatus, setNotificationConfig } from '@/lib/notifications';
import { runSweeps } from '@/lib/sweeps';
import { actorByEmail } from '../helpers/actors';
import { demoPractice, freeStarts, createTestRequest } from '../helpers/booking';
import { setupTestDb } from '../helpers/db';

/**
 * Issue 7, must-show 3: the local demo, with no workflow engine and no SMTP. The sweeps the local
 * timer runs (lib/sweeps) send what is due: in development each message stays in the outbox, marked
 * sent to the log (provider id `log`), and is printed to the server log. In production nothing is
 * printed: the messages wait in the outbox and the dashboard says so.
 */

let db: Db;
const printed: string[] = [];

beforeAll(async () => {
  db = (await setupTestDb()).db;
  // This file is about one practice notice per request: no digest window.
  await db.execute(sql`UPDATE profiles SET request_digest_minutes = 0`);
  // Development: what is not configured is printed (production keeps it in the outbox, below).
  setNotificationConfig({ smtpUrl: null, whatsapp: null, printUnsent: true });
  // No engine: inngest.send must never be called (the outbox marks events local instead).
  vi.spyOn(inngest, 'send').mockRejectedValue(new Error('no engine in the local demo'));
  vi.spyOn(console, 'info').mockImplementation((...args: unknown[]) => {
    printed.push(args.map(String).join(' '));
  });
});

afterAll(() => setNotificationConfig(undefined));

const logged = (needle: string) => printed.filter((p) => p.includes(needle));

describe('local demo: no engine, no SMTP', () => {
  it('after approval the confirmation, then each reminder once due, are in the outbox and the server log', async () => {
    const { profile, byMinutes } = await demoPractice(db);
    const [start] = await freeStarts(db, profile.id, 30, 1, 30);
    const request = await createTestRequest({ clientAddress: '127.0.0.1', baseUrl: 'http://localhost:3000' }, 'demo', {
      serviceId: byMinutes(30).id,
      startsAt: start.toISOString(),
      patient: { name: 'Demo Patient', phone: '+34600999888', email: 'demo.patient@example.com' },
      consent: true,
    });
    const { reservationId } = await approveRequest(await actorByEmail(db, 'doctor@demo.test'), profile.id, { requestId: request.id });

    // The local timer's run, now.
    const first = await runSweeps({ now: new Date() });
    // The receipt and the confirmation; the practice's notice and warning about the request are
    // skipped, since the doctor answered before they went out.
    expect(first['send-notifications']).toMatchObject({ sent: 2, logged: 2, failed: 0 });
    // The engine's events stayed in the database, marked for local handling.
    const events = await db.select({ status: eventOutbox.status }).from(eventOutbox);
    expect(events.every((e) => e.status === 'local')).toBe(true);

    const approved = await rowByKey(`request-${request.id}-approved-email`);
    expect(approved).toMatchObject({ status: 'sent', providerId: 'log', attempts: 1 });
    expect(approved.sentAt).not.toBeNull();
    const approvedLog = logged('Subject: Appointment confirmed: General consultation');
    expect(approvedLog).toHaveLength(1);
    expect(approvedLog[0]).toContain('SMTP_URL is not set: email to demo.patient@example.com printed here instead of sent');
    expect(approvedLog[0]).toContain('(Europe/Madrid)');
    expect(approvedLog[0]).toContain('[attachment appointment.ics, text/calendar');
    // The receipt's status link is printed (the only copy of it outside the patient's hands).
    expect(logged('Subject: Request received')[0]).toContain(request.statusUrl);
    expect(logged('Subject: New request')).toHaveLength(0);
    expect(await rowByKey(`request-${request.id}-new-request-email`)).toMatchObject({ status: 'skipped', skipReason: 'request_answered' });

    // The reminders wait in the outbox until they are due.
    const reminders = () => db.select().from(notifications).where(and(eq(notifications.reservationId, reservationId), eq(notifications.kind, 'reminder')));
    expect((await reminders()).map((r) => r.status)).toEqual(['pending', 'pending']);
    expect(logged('Subject: Reminder')).toHaveLength(0);

    const at = (minutesBefore: number) => new Date(start.getTime() - minutesBefore * 60_000 + 30_000);
    await runSweeps({ now: at(1440) });
    expect(logged('Subject: Reminder')).toHaveLength(1);
    await runSweeps({ now: at(1430) });
    expect(logged('Subject: Reminder')).toHaveLength(1);
    await runSweeps({ now: at(120) });
    await runSweeps({ now: at(60) });
    expect(logged('Subject: Reminder')).toHaveLength(2);
    expect((await reminders()).map((r) => [r.status, r.providerId])).toEqual([
      ['sent', 'log'],
      ['sent', 'log'],
    ]);

    // The doctor sees them on the appointment page as sent to the log.
    const view = await listNotificationsForReservation(await actorByEmail(db, 'doctor@demo.test'), profile.id, { reservationId });
    expect(view.filter((v) => v.kind === 'reminder' || v.kind === 'approved').every((v) => v.status === 'sent' && v.loggedOnly)).toBe(true);
  });
});

describe('production: no SMTP', () => {
  it('messages wait in the outbox, nothing is printed, and the dashboard is told how many wait', async () => {
    setNotificationConfig({ smtpUrl: null, whatsapp: null, printUnsent: false });
    const printedBefore = printed.length;
    const { profile, byMinutes } = await demoPractice(db);
    const [start] = await freeStarts(db, profile.id, 30, 1, 40);
    const request = await createTestRequest({ clientAddress: '127.0.0.2', baseUrl: 'http://localhost:3000' }, 'demo', {
      serviceId: byMinutes(30).id,
      startsAt: start.toISOString(),
      patient: { name: 'Quiet Patient', phone: '+34600999777', email: 'quiet.patient@example.com' },
      consent: true,
    });
    const doctor = await actorByEmail(db, 'doctor@demo.test');
    const before = await mailDeliveryStatus(doctor, profile.id);
    expect(before.configured).toBe(false);
    expect(before.printedToLog).toBe(false);

    const run = await runSweeps({ now: new Date() });
    expect(run['send-notifications']).toMatchObject({ sent: 0, logged: 0, failed: 0, retryLater: 0 });
    // The receipt and the practice's notice wait, untried; nothing reached the log.
    expect(await rowByKey(`request-${request.id}-received-email`)).toMatchObject({ status: 'pending', attempts: 0, providerId: null });
    expect(await rowByKey(`request-${request.id}-new-request-email`)).toMatchObject({ status: 'pending', attempts: 0 });
    expect(printed.slice(printedBefore).join('\n')).not.toContain('quiet.patient@example.com');
    expect(printed.slice(printedBefore).join('\n')).not.toContain(request.statusUrl);
    const status = await mailDeliveryStatus(doctor, profile.id);
    expect(status.waiting).toBeGreaterThanOrEqual(2);

    // Another practice's doctor is not told about this practice's queue.
    await expect(mailDeliveryStatus(await actorByEmail(db, 'doctor2@demo.test'), profile.id)).rejects.toMatchObject({ code: 'not_found' });

    // Once mail is configured (here: printing again), the waiting messages go out.
    setNotificationConfig({ smtpUrl: null, whatsapp: null, printUnsent: true });
    await runSweeps({ now: new Date() });
    expect(await rowByKey(`request-${request.id}-received-email`)).toMatchObject({ status: 'sent', providerId: 'log' });
  });
});

async function rowByKey(key: string) {
  const [row] = await db.select().from(notifications).where(eq(notifications.dedupeKey, key));
  return row;
}
