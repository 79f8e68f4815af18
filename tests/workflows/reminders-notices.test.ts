import { InngestTestEngine, mockCtx } from '@inngest/test';
import { sql } from 'drizzle-orm';
import type { Context } from 'inngest';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Db } from '@/db/client';
import { reservationCancelled, reservationDecided, reservationRequested } from '@/inngest/events';
import { cancellationNotice } from '@/inngest/functions/cancellation-notice';
import { decisionNotice } from '@/inngest/functions/decision-notice';
import { requestNotices } from '@/inngest/functions/request-notices';
import { approveRequest, rejectRequest } from '@/lib/approval';
import type { Actor } from '@/lib/auth/actor';
import type { CreatedRequest } from '@/lib/booking/create';
import { expireRequest } from '@/lib/booking/expire';
import { cancelRequestByToken } from '@/lib/booking/status';
import type { SendOutcome } from '@/lib/notifications';
import { icsLines, icsUtc, type TestSmtpServer } from '../helpers/smtp';
import { createTestRequest } from '../helpers/booking';
import type { TestWhatsAppApi } from '../helpers/whatsapp';
import { messagingDemo } from './fixtures';

/**
 * The other notification workflows (@inngest/test, real database, real SMTP and WhatsApp
 * stand-ins): the patient's decision notice, the request's notices (receipt, the practice's
 * warning, the expiry notice) and the cancellation notice. Each sends rows written by lib, once.
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
  // This file is about one practice notice per request: no digest window.
  await db.execute(sql`UPDATE profiles SET request_digest_minutes = 0`);
});

afterEach(() => {
  vi.useRealTimers();
});

async function book(): Promise<CreatedRequest & { email: string; phone: string }> {
  const n = made++;
  const email = `noticed${n}@example.com`;
  const phone = `+3468${String(process.pid % 1000).padStart(3, '0')}${String(n).padStart(4, '0')}`;
  const request = await createTestRequest({ clientAddress: `198.18.1.${n}`, baseUrl: 'http://localhost' }, 'demo', {
    serviceId,
    startsAt: starts[n].toISOString(),
    patient: { name: `Noticed ${n}`, phone, email },
    consent: true,
  });
  return { ...request, email, phone };
}

/** One engine per test; sleeps move the clock (Date only) to their target, memoized like real steps. */
function engine(fn: ConstructorParameters<typeof InngestTestEngine>[0]['function'], onSleep: (id: string) => Promise<void> = async () => undefined) {
  const done = new Map<string, Promise<void>>();
  const sleepUntil = vi.fn((id: string, until: Date | string) => {
    if (!done.has(id)) {
      done.set(
        id,
        (async () => {
          await onSleep(id);
          vi.useFakeTimers({ toFake: ['Date'] });
          vi.setSystemTime(new Date(new Date(until).getTime() + 1000));
        })(),
      );
    }
    return done.get(id)!;
  });
  const unexpected = (tool: string) => vi.fn(() => Promise.reject(new Error(`step.${tool} was not expected`)));
  return {
    sleepUntil,
    t: new InngestTestEngine({
      function: fn,
      transformCtx: (ctx) => {
        const mocked = mockCtx(ctx);
        return { ...mocked, step: { ...mocked.step, sleepUntil, sleep: unexpected('sleep'), waitForEvent: unexpected('waitForEvent'), sendEvent: unexpected('sendEvent') } } as unknown as Context.Any;
      },
    }),
  };
}

async function execute(t: InngestTestEngine, event: { name: string; data: Record<string, unknown> }): Promise<SendOutcome[]> {
  const out = await t.execute({ events: [{ ...event, id: `${event.name}-${String(event.data.requestId)}` }] });
  expect(out.error).toBeUndefined();
  return out.result as SendOutcome[];
}

describe('decision notice', () => {
  it('sends the approval (with the .ics) once, however often the event arrives', async () => {
    const r = await book();
    await approveRequest(doctor, demoId, { requestId: r.id });
    const event = { name: reservationDecided.name, data: { requestId: r.id, profileId: demoId, decision: 'approved' } };
    expect((await execute(engine(decisionNotice).t, event)).map((o) => o.outcome)).toEqual(['sent', 'sent']);
    expect((await execute(engine(decisionNotice).t, event)).map((o) => o.outcome)).toEqual(['already-sent', 'already-sent']);

    const mails = smtp.to(r.email);
    expect(mails.map((m) => m.subject.split(':')[0])).toEqual(['Appointment confirmed']);
    expect(icsLines(mails[0].attachments[0].content)).toContain(`DTSTART:${icsUtc(r.startsAt)}`);
    expect(whatsapp.callsTo(r.phone).map((c) => c.body.template.name)).toEqual(['tpl_approved']);
  });

  it('sends the rejection with its reason', async () => {
    const r = await book();
    await rejectRequest(doctor, demoId, { requestId: r.id, reason: 'Not a case for this practice.' });
    const out = await execute(engine(decisionNotice).t, { name: reservationDecided.name, data: { requestId: r.id, profileId: demoId, decision: 'rejected' } });
    expect(out.map((o) => o.outcome)).toEqual(['sent', 'sent']);
    expect(smtp.to(r.email)[0].text).toContain('Reason: Not a case for this practice.');
  });
});

describe('request notices', () => {
  it('is triggered by reservation/requested and ends on the request’s answer or cancel', () => {
    expect(requestNotices.opts.triggers).toEqual([reservationRequested]);
    expect(requestNotices.opts.cancelOn).toEqual([
      { event: reservationDecided, if: 'async.data.requestId == event.data.requestId' },
      { event: reservationCancelled, if: 'async.data.requestId == event.data.requestId' },
    ]);
  });

  it('receipt and notice at once; the warning before the deadline; the expiry notice after it', async () => {
    const r = await book();
    const { t, sleepUntil } = engine(requestNotices, async (id) => {
      // The lifecycle expires the request at its deadline, while this run sleeps past it.
      if (id === 'sleep-until-expired') {
        vi.useRealTimers();
        await db.execute(sql`UPDATE reservation_requests SET expires_at = now() - interval '1 minute' WHERE id = ${r.id}`);
        expect(await expireRequest(r.id)).toBe(true);
      }
    });
    const out = await execute(t, { name: reservationRequested.name, data: { requestId: r.id, profileId: demoId, expiresAt: r.expiresAt } });

    expect([...new Set(sleepUntil.mock.calls.map(([id]) => id))]).toEqual(['sleep-until-expiry-warning', 'sleep-until-expired']);
    expect(out.map((o) => `${o.key.replace(`request-${r.id}-`, '')}:${o.outcome}`)).toEqual([
      'new-request-email:sent',
      'received-email:sent',
      'received-whatsapp:sent',
      'expiry-warning-email:sent',
      'expired-email:sent',
      'expired-whatsapp:sent',
    ]);
    expect(smtp.to(r.email).map((m) => m.subject.split(':')[0])).toEqual(['Request received', 'Request expired']);
    const toPractice = smtp.to('consulta@demo.test').filter((m) => m.text.includes(`Noticed ${made - 1} `));
    expect(toPractice.map((m) => m.subject.replace(/:.*$/s, '').replace(/ expires .*$/, ''))).toEqual(['New request', 'Unanswered request']);
  });

  it('a request answered before its warning: the warning is skipped, nothing else is sent', async () => {
    const r = await book();
    const { t } = engine(requestNotices, async (id) => {
      if (id === 'sleep-until-expiry-warning') {
        vi.useRealTimers();
        await approveRequest(doctor, demoId, { requestId: r.id });
      }
    });
    const out = await execute(t, { name: reservationRequested.name, data: { requestId: r.id, profileId: demoId, expiresAt: r.expiresAt } });
    expect(out.map((o) => o.outcome)).toEqual(['sent', 'sent', 'sent', 'skipped']);
    expect(smtp.to('consulta@demo.test').filter((m) => m.text.includes(`Noticed ${made - 1} `)).map((m) => m.subject.split(':')[0])).toEqual(['New request']);
  });
});

describe('cancellation notice', () => {
  it('tells the patient and, when the patient cancelled, the practice; once', async () => {
    const r = await book();
    await cancelRequestByToken(r.token);
    const event = { name: reservationCancelled.name, data: { requestId: r.id, profileId: demoId, reservationId: null, by: 'patient' } };
    expect((await execute(engine(cancellationNotice).t, event)).map((o) => o.outcome)).toEqual(['sent', 'sent', 'sent']);
    expect((await execute(engine(cancellationNotice).t, event)).map((o) => o.outcome)).toEqual(['already-sent', 'already-sent', 'already-sent']);
    expect(smtp.to(r.email).map((m) => m.subject.split(':')[0])).toEqual(['Request cancelled']);
    expect(whatsapp.callsTo(r.phone).map((c) => c.body.template.name)).toEqual(['tpl_cancelled']);
    expect(smtp.to('consulta@demo.test').filter((m) => m.subject.startsWith('Cancelled by the patient: Noticed'))).toHaveLength(1);
  });
});
