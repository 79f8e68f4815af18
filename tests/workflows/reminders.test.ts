import { InngestTestEngine, mockCtx } from '@inngest/test';
import { eq } from 'drizzle-orm';
import type { Context } from 'inngest';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Db } from '@/db/client';
import { notifications } from '@/db/schema';
import { reservationCancelled, reservationConfirmed } from '@/inngest/events';
import { reminders, type ReminderRun } from '@/inngest/functions/reminders';
import { cancelAppointment } from '@/lib/appointments/transitions';
import { approveRequest } from '@/lib/approval';
import type { Actor } from '@/lib/auth/actor';
import { dedupeKey, sendDueNotifications, sendReminder } from '@/lib/notifications';
import type { TestSmtpServer } from '../helpers/smtp';
import { createTestRequest } from '../helpers/booking';
import type { TestWhatsAppApi } from '../helpers/whatsapp';
import { messagingDemo } from './fixtures';

/**
 * Issue 7, must-show 2: the reminders workflow across its sleeps, with @inngest/test on the real
 * database and real SMTP / WhatsApp stand-ins. The engine's sleep is replaced (INNGEST.md): the
 * mock moves the clock (Date only) to the time the run sleeps until, as the engine would wake it.
 */

let db: Db;
let smtp: TestSmtpServer;
let whatsapp: TestWhatsAppApi;
let doctor: Actor;
let demoId: string;
let serviceId: string;
let starts: Date[];
let made = 0;

beforeAll(async () => {
  ({ db, smtp, whatsapp, doctor, demoId, serviceId, starts } = await messagingDemo(8));
});

afterEach(() => {
  vi.useRealTimers();
});

/** A request made and approved through lib: its reminders (24 h and 2 h before) are written. */
async function confirmedAppointment() {
  const n = made++;
  const email = `reminded${n}@example.com`;
  const phone = `+3467${String(process.pid % 1000).padStart(3, '0')}${String(n).padStart(4, '0')}`;
  const request = await createTestRequest({ clientAddress: `198.18.0.${n}`, baseUrl: 'http://localhost' }, 'demo', {
    serviceId,
    startsAt: starts[n].toISOString(),
    patient: { name: `Reminded ${n}`, phone, email },
    consent: true,
  });
  const { reservationId } = await approveRequest(doctor, demoId, { requestId: request.id });
  // The receipt and the confirmation go out first, as they would.
  await sendDueNotifications();
  return { request, reservationId, email, phone };
}

/** One engine per test; the sleep moves the clock to its target (and can do more, e.g. a cancel). */
function remindersEngine(onSleep: (id: string, until: Date) => Promise<void> = async () => undefined) {
  const done = new Map<string, Promise<void>>();
  // Memoized like a real step: the engine replays the function from the top for each step.
  const sleepUntil = vi.fn((id: string, until: Date | string) => {
    if (!done.has(id)) {
      done.set(
        id,
        (async () => {
          await onSleep(id, new Date(until));
          vi.useFakeTimers({ toFake: ['Date'] });
          vi.setSystemTime(new Date(new Date(until).getTime() + 1000));
        })(),
      );
    }
    return done.get(id)!;
  });
  const unexpected = (tool: string) => vi.fn(() => Promise.reject(new Error(`step.${tool} was not expected`)));
  const t = new InngestTestEngine({
    function: reminders,
    transformCtx: (ctx) => {
      const mocked = mockCtx(ctx);
      return {
        ...mocked,
        step: { ...mocked.step, sleepUntil, sleep: unexpected('sleep'), waitForEvent: unexpected('waitForEvent'), sendEvent: unexpected('sendEvent') },
      } as unknown as Context.Any;
    },
  });
  return { t, sleepUntil };
}

async function run(t: InngestTestEngine, a: { request: { id: string }; reservationId: string }) {
  const out = await t.execute({
    events: [
      {
        id: `reservation-${a.reservationId}-confirmed`,
        name: reservationConfirmed.name,
        data: { reservationId: a.reservationId, requestId: a.request.id, profileId: demoId },
      },
    ],
  });
  expect(out.error).toBeUndefined();
  return out.result as ReminderRun[];
}

const reminderMails = (email: string) => smtp.to(email).filter((m) => m.subject.startsWith('Reminder'));
const reminderTexts = (phone: string) => whatsapp.callsTo(phone).filter((c) => c.body.template.name === 'tpl_reminder');

describe('reminders workflow', () => {
  it('is triggered by reservation/confirmed, one run per appointment, and stops on its cancel', () => {
    expect(reminders.opts.id).toBe('reminders');
    expect(reminders.opts.triggers).toEqual([reservationConfirmed]);
    expect(reminders.opts.idempotency).toBe('event.data.reservationId');
    expect(reminders.opts.cancelOn).toEqual([{ event: reservationCancelled, if: 'async.data.reservationId == event.data.reservationId' }]);
  });

  it('sleeps until each offset before the start and sends that reminder once, on every channel', async () => {
    const a = await confirmedAppointment();
    const start = new Date(a.request.startsAt).getTime();
    const { t, sleepUntil } = remindersEngine(async (id) => {
      // Nothing is sent before its time.
      if (id === 'sleep-until-reminder-1440') expect(reminderMails(a.email)).toHaveLength(0);
      if (id === 'sleep-until-reminder-120') expect(reminderMails(a.email)).toHaveLength(1);
    });
    const result = await run(t, a);

    // Each replay of the run calls the (memoized) sleep again: the distinct sleeps, in order.
    const sleeps = new Map(sleepUntil.mock.calls.map(([id, until]) => [id, new Date(until).getTime()]));
    expect([...sleeps]).toEqual([
      ['sleep-until-reminder-1440', start - 1440 * 60_000],
      ['sleep-until-reminder-120', start - 120 * 60_000],
    ]);
    expect(result.map((r) => [r.offsetMinutes, r.outcomes.map((o) => o.outcome)])).toEqual([
      [1440, ['sent', 'sent']],
      [120, ['sent', 'sent']],
    ]);
    expect(reminderMails(a.email).map((m) => m.messageId)).toEqual([
      `<${dedupeKey.reminder(a.reservationId, 1440, 'email')}@demo.test>`,
      `<${dedupeKey.reminder(a.reservationId, 120, 'email')}@demo.test>`,
    ]);
    expect(reminderTexts(a.phone)).toHaveLength(2);

    // The event sent again (a new run), and the sweep after it: nothing arrives twice.
    vi.useRealTimers();
    const again = await run(remindersEngine().t, a);
    expect(again).toEqual([]);
    await sendDueNotifications({ now: new Date(start - 60_000) });
    expect(reminderMails(a.email)).toHaveLength(2);
    expect(reminderTexts(a.phone)).toHaveLength(2);
  });

  it('a step retried after its reminder was sent does not send it again', async () => {
    const a = await confirmedAppointment();
    const { t } = remindersEngine();
    const result = await run(t, a);
    expect(result).toHaveLength(2);
    // The same step's body run again (the engine retrying it), still after the due time.
    const retried = await sendReminder(a.reservationId, 120);
    expect(retried.map((o) => o.outcome)).toEqual(['already-sent', 'already-sent']);
    expect(reminderMails(a.email)).toHaveLength(2);
    expect(reminderTexts(a.phone)).toHaveLength(2);
  });

  it('cancelled before the first reminder: none is sent, even by a run the cancel did not stop', async () => {
    const a = await confirmedAppointment();
    const { t } = remindersEngine(async (id) => {
      if (id === 'sleep-until-reminder-1440') await cancelAppointment(doctor, demoId, { reservationId: a.reservationId, reason: 'The patient phoned to cancel.' });
    });
    const result = await run(t, a);

    expect(result.flatMap((r) => r.outcomes.map((o) => o.outcome))).toEqual(['skipped', 'skipped', 'skipped', 'skipped']);
    expect(reminderMails(a.email)).toHaveLength(0);
    expect(reminderTexts(a.phone)).toHaveLength(0);
    const rows = await db.select({ status: notifications.status, skipReason: notifications.skipReason }).from(notifications).where(eq(notifications.reservationId, a.reservationId));
    expect(rows.filter((r) => r.status === 'skipped' && r.skipReason?.includes('cancelled')).length).toBe(4);
    // The patient was told of the cancel instead.
    await sendDueNotifications({ now: new Date() });
    expect(smtp.to(a.email).filter((m) => m.subject.startsWith('Appointment cancelled by the practice'))).toHaveLength(1);
  });

  it('cancelled between the two: the first is sent, the second is not', async () => {
    const a = await confirmedAppointment();
    const { t } = remindersEngine(async (id) => {
      if (id === 'sleep-until-reminder-120') {
        vi.useRealTimers();
        await cancelAppointment(doctor, demoId, { reservationId: a.reservationId, reason: 'Clinic closed.' });
      }
    });
    const result = await run(t, a);
    expect(result.map((r) => [r.offsetMinutes, r.outcomes.map((o) => o.outcome)])).toEqual([
      [1440, ['sent', 'sent']],
      [120, ['skipped', 'skipped']],
    ]);
    expect(reminderMails(a.email)).toHaveLength(1);
    expect(reminderTexts(a.phone)).toHaveLength(1);
  });
});
