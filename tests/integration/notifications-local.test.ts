import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Db } from '@/db/client';
import { eventOutbox, notifications } from '@/db/schema';
import { seedDemo } from '@/db/seed-data';
import { inngest } from '@/inngest/client';
import { approveRequest } from '@/lib/approval';
import { createRequest } from '@/lib/booking/create';
import { listNotificationsForReservation, setNotificationConfig } from '@/lib/notifications';
import { runSweeps } from '@/lib/sweeps';
import { actorByEmail } from '../helpers/actors';
import { demoPractice, freeStarts } from '../helpers/booking';
import { setupTestDb } from '../helpers/db';

/**
 * Issue 7, must-show 3: the local demo, with no workflow engine and no SMTP. The sweeps the local
 * timer runs (lib/sweeps) send what is due: each message stays in the outbox, marked sent to the
 * log (provider id `log`), and is printed to the server log.
 */

let db: Db;
const printed: string[] = [];

beforeAll(async () => {
  db = (await setupTestDb()).db;
  expect(await seedDemo(db)).toBe(true);
  setNotificationConfig({ smtpUrl: null, whatsapp: null });
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
    const request = await createRequest(db, {
      slug: 'demo',
      body: { serviceId: byMinutes(30).id, startsAt: start.toISOString(), patient: { name: 'Demo Patient', phone: '+34600999888', email: 'demo.patient@example.com' }, consent: true },
      clientAddress: '127.0.0.1',
      baseUrl: 'http://localhost:3000',
    });
    const { reservationId } = await approveRequest(db, await actorByEmail(db, 'doctor@demo.test'), request.id);

    // The local timer's run, now.
    const first = await runSweeps(db, new Date());
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
    expect(await rowByKey(`request-${request.id}-new-request-email`)).toMatchObject({ status: 'failed', lastError: 'skipped: the request was answered' });

    // The reminders wait in the outbox until they are due.
    const reminders = () => db.select().from(notifications).where(and(eq(notifications.reservationId, reservationId), eq(notifications.kind, 'reminder')));
    expect((await reminders()).map((r) => r.status)).toEqual(['pending', 'pending']);
    expect(logged('Subject: Reminder')).toHaveLength(0);

    const at = (minutesBefore: number) => new Date(start.getTime() - minutesBefore * 60_000 + 30_000);
    await runSweeps(db, at(1440));
    expect(logged('Subject: Reminder')).toHaveLength(1);
    await runSweeps(db, at(1430));
    expect(logged('Subject: Reminder')).toHaveLength(1);
    await runSweeps(db, at(120));
    await runSweeps(db, at(60));
    expect(logged('Subject: Reminder')).toHaveLength(2);
    expect((await reminders()).map((r) => [r.status, r.providerId])).toEqual([
      ['sent', 'log'],
      ['sent', 'log'],
    ]);

    // The doctor sees them on the appointment page as sent to the log.
    const view = await listNotificationsForReservation(db, await actorByEmail(db, 'doctor@demo.test'), reservationId);
    expect(view.filter((v) => v.kind === 'reminder' || v.kind === 'approved').every((v) => v.status === 'sent' && v.loggedOnly)).toBe(true);
  });
});

async function rowByKey(key: string) {
  const [row] = await db.select().from(notifications).where(eq(notifications.dedupeKey, key));
  return row;
}
