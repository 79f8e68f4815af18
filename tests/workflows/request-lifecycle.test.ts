import { randomUUID } from 'node:crypto';
import { InngestTestEngine, mockCtx } from '@inngest/test';
import { and, eq, gte, lt, sql } from 'drizzle-orm';
import type { Context } from 'inngest';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { DbHandle } from '@/db/client';
import { auditLog, reservations, timeSlots } from '@/db/schema';
import { reservationCancelled, reservationDecided, reservationRequested } from '@/inngest/events';
import { requestLifecycle, type LifecycleResult } from '@/inngest/functions/request-lifecycle';
import type { CreatedRequest } from '@/lib/booking/create';
import { expireRequest } from '@/lib/booking/expire';
import { cancelRequestByToken } from '@/lib/booking/status';
import { approveForTest } from '../helpers/approve';
import { demoRequest, passDeadline as passDeadlineOf, storedStatus, workflowDemo } from './fixtures';

/**
 * The request-lifecycle workflow against the real database (must-show 2 of issue 5). Requests are
 * made through createRequest; the engine's wait and sleep are replaced (INNGEST.md: @inngest/test
 * 1.0.0 cannot mock waitForEvent through `steps`), and "time passing" is a database update that
 * puts the request's deadline in the past.
 */

let handle: DbHandle;
let demoId: string;
/** General consultation: 30 minutes, so every request holds two 15-minute slots. */
let serviceId: string;
/** Free starts on the hour, at least 3 hours ahead: each request takes the next one. */
let starts: Date[];
let made = 0;

beforeAll(async () => {
  let serviceOf: (name: string) => string;
  ({ handle, demoId, serviceId: serviceOf } = await workflowDemo());
  const { db } = handle;
  serviceId = serviceOf('General consultation');
  const free = await db.execute<{ starts_at: string | Date }>(sql`
    SELECT a.starts_at FROM time_slots a
    JOIN time_slots b ON b.profile_id = a.profile_id AND b.starts_at = a.ends_at
    WHERE a.profile_id = ${demoId} AND a.status = 'available' AND b.status = 'available'
      AND a.service_ids IS NULL AND b.service_ids IS NULL
      AND a.starts_at >= now() + interval '3 hours' AND extract(minute FROM a.starts_at) = 0
    ORDER BY a.starts_at LIMIT 80`);
  starts = free.rows.map((r) => new Date(r.starts_at));
  expect(starts.length).toBeGreaterThanOrEqual(40);
});

/** A real request through lib/booking, from its own phone and address (no rate limit trips). */
function makeRequest(): Promise<CreatedRequest> {
  const n = made++;
  return demoRequest(n, serviceId, starts[n], { name: 'Workflow Patient', phone: '+3461', address: '198.51.100' });
}

const passDeadline = (requestId: string) => passDeadlineOf(handle.db, requestId);
const requestStatus = (requestId: string) => storedStatus(handle.db, requestId);

/** The slots covering the request's time, whoever holds them now. */
async function slotsOf(request: CreatedRequest) {
  return handle.db
    .select({ status: timeSlots.status, requestId: timeSlots.requestId })
    .from(timeSlots)
    .where(and(eq(timeSlots.profileId, demoId), gte(timeSlots.startsAt, new Date(request.startsAt)), lt(timeSlots.startsAt, new Date(request.endsAt))))
    .orderBy(timeSlots.startsAt);
}

async function expectSlotsFree(request: CreatedRequest) {
  expect(await slotsOf(request)).toEqual([
    { status: 'available', requestId: null },
    { status: 'available', requestId: null },
  ]);
}

async function expectSlotsHeld(request: CreatedRequest, status: 'pending_approval' | 'reserved') {
  expect(await slotsOf(request)).toEqual([
    { status, requestId: request.id },
    { status, requestId: request.id },
  ]);
}

async function reservationCount(requestId: string) {
  const rows = await handle.db.select({ id: reservations.id }).from(reservations).where(eq(reservations.requestId, requestId));
  return rows.length;
}

/** The request's transitions as audited (expiry and cancel write one row each). */
async function auditedTransitions(requestId: string) {
  const rows = await handle.db
    .select({ action: auditLog.action })
    .from(auditLog)
    .where(and(eq(auditLog.entityId, requestId), sql`${auditLog.action} IN ('request.expired', 'request.cancelled')`));
  return rows.map((r) => r.action).sort();
}

/**
 * A mocked step must behave like a memoized one: the engine replays the function from the top for
 * every step, so the mock's side effects run once and every replay gets the same answer.
 */
function memoized<T>(fn: () => Promise<T>): () => Promise<T> {
  let result: Promise<T> | undefined;
  return () => (result ??= fn());
}

function unexpected(tool: string) {
  return () => Promise.reject(new Error(`step.${tool} was not expected in this run`));
}

type DecidedEvent = { name: 'reservation/decided'; data: { requestId: string; profileId: string; decision: 'approved' | 'rejected' }; id: string; ts: number };

/**
 * One engine per test (INNGEST.md: an engine reused across execute() calls returns stale step
 * results). `waitForEvent` and `sleepUntil` are replaced in transformCtx, keeping mockCtx's spies on
 * the other tools; `sleep` and `sendEvent` fail the run if the function ever calls them.
 */
function lifecycleEngine(mocks: { waitForEvent?: () => Promise<DecidedEvent | null>; sleepUntil?: () => Promise<void> } = {}) {
  const waitForEvent = vi.fn(memoized(mocks.waitForEvent ?? unexpected('waitForEvent')));
  const sleepUntil = vi.fn(memoized(mocks.sleepUntil ?? unexpected('sleepUntil')));
  const t = new InngestTestEngine({
    function: requestLifecycle,
    transformCtx: (ctx) => {
      const mocked = mockCtx(ctx);
      return {
        ...mocked,
        step: { ...mocked.step, waitForEvent, sleepUntil, sleep: vi.fn(unexpected('sleep')), sendEvent: vi.fn(unexpected('sendEvent')) },
      } as unknown as Context.Any;
    },
  });
  return { t, waitForEvent, sleepUntil };
}

/** Runs the function for a request's `reservation/requested` event, as the outbox sends it. */
async function runLifecycle(t: InngestTestEngine, request: Pick<CreatedRequest, 'id' | 'expiresAt'>) {
  const out = await t.execute({
    events: [
      {
        id: `request-${request.id}-requested`,
        name: reservationRequested.name,
        data: { requestId: request.id, profileId: demoId, expiresAt: request.expiresAt },
      },
    ],
  });
  expect(out.error).toBeUndefined();
  const stepRuns = (out.ctx.step.run as unknown as { mock: { calls: unknown[][] } }).mock.calls.map((call) => call[0]);
  return { result: out.result as LifecycleResult, stepRuns };
}

function decided(request: CreatedRequest, decision: 'approved' | 'rejected'): DecidedEvent {
  return { name: 'reservation/decided', id: `request-${request.id}-decided`, ts: Date.now(), data: { requestId: request.id, profileId: demoId, decision } };
}

describe('request lifecycle: configuration', () => {
  it('is triggered by reservation/requested, one run per request, and stops on the request’s cancel', () => {
    const { opts } = requestLifecycle;
    expect(opts.id).toBe('request-lifecycle');
    expect(opts.triggers).toEqual([reservationRequested]);
    expect(opts.idempotency).toBe('event.data.requestId');
    expect(opts.cancelOn).toEqual([{ event: reservationCancelled, if: 'async.data.requestId == event.data.requestId' }]);
  });
});

describe('request lifecycle: decision or timeout', () => {
  it('does not expire a request the doctor answers before the deadline', async () => {
    const request = await makeRequest();
    await expectSlotsHeld(request, 'pending_approval');
    const { t, waitForEvent } = lifecycleEngine({
      // The doctor approves while the run waits; the approval's event ends the wait.
      waitForEvent: async () => {
        expect(await approveForTest(handle.db, request.id, new Date())).not.toBeNull();
        return decided(request, 'approved');
      },
    });
    const { result, stepRuns } = await runLifecycle(t, request);

    expect(result).toEqual({ outcome: 'decided', decision: 'approved' });
    expect(waitForEvent).toHaveBeenCalledWith('wait-for-decision', {
      event: reservationDecided,
      timeout: new Date(request.expiresAt),
      if: 'async.data.requestId == event.data.requestId',
    });
    expect(stepRuns).toEqual(['load-request']);
    expect(await requestStatus(request.id)).toBe('approved');
    await expectSlotsHeld(request, 'reserved');
    expect(await reservationCount(request.id)).toBe(1);
    expect(await auditedTransitions(request.id)).toEqual([]);
    // Even once its deadline has passed, an answered request is never expired.
    expect(await expireRequest(request.id, { now: new Date(new Date(request.expiresAt).getTime() + 60_000) })).toBe(false);
    expect(await requestStatus(request.id)).toBe('approved');
  });

  it('waits for the request’s decision until its deadline, leaving it pending meanwhile', async () => {
    const request = await makeRequest();
    // The engine's own wait op (not replaced): executeStep stops at it without resolving it.
    const t = new InngestTestEngine({ function: requestLifecycle });
    const { step } = await t.executeStep('wait-for-decision', {
      events: [{ name: reservationRequested.name, data: { requestId: request.id, profileId: demoId, expiresAt: request.expiresAt } }],
    });
    expect(step).toMatchObject({
      op: 'WaitForEvent',
      name: 'reservation/decided',
      opts: { timeout: request.expiresAt, if: 'async.data.requestId == event.data.requestId' },
    });
    expect(await requestStatus(request.id)).toBe('pending');
    await expectSlotsHeld(request, 'pending_approval');
  });

  it('expires the request on timeout and gives its slots back', async () => {
    const request = await makeRequest();
    const { t, waitForEvent } = lifecycleEngine({
      waitForEvent: async () => {
        await passDeadline(request.id);
        return null;
      },
    });
    const { result, stepRuns } = await runLifecycle(t, request);

    expect(result).toEqual({ outcome: 'expired' });
    expect(waitForEvent).toHaveBeenCalled();
    expect(stepRuns).toEqual(['load-request', 'expire-request']);
    expect(await requestStatus(request.id)).toBe('expired');
    await expectSlotsFree(request);
    expect(await auditedTransitions(request.id)).toEqual(['request.expired']);
  });

  it('sleeps until the deadline when the wait ends a little early, then expires', async () => {
    const request = await makeRequest();
    const { t, sleepUntil } = lifecycleEngine({
      // Timed out while the deadline is still ahead (clock skew): nothing may expire yet.
      waitForEvent: async () => null,
      sleepUntil: async () => {
        expect(await requestStatus(request.id)).toBe('pending');
        await passDeadline(request.id);
      },
    });
    const { result, stepRuns } = await runLifecycle(t, request);

    expect(result).toEqual({ outcome: 'expired' });
    expect(sleepUntil).toHaveBeenCalledWith('sleep-until-deadline', new Date(request.expiresAt));
    expect(stepRuns).toEqual(['load-request', 'expire-request', 'expire-request-at-deadline']);
    expect(await requestStatus(request.id)).toBe('expired');
    await expectSlotsFree(request);
  });

  it('expires at once, without waiting, a request already overdue when the run starts', async () => {
    const request = await makeRequest();
    await passDeadline(request.id);
    const { t, waitForEvent } = lifecycleEngine();
    const { result, stepRuns } = await runLifecycle(t, request);

    expect(result).toEqual({ outcome: 'expired' });
    expect(waitForEvent).not.toHaveBeenCalled();
    expect(stepRuns).toEqual(['load-request', 'expire-request']);
    await expectSlotsFree(request);
  });

  it('stops before the wait when the request is already final', async () => {
    const request = await makeRequest();
    await cancelRequestByToken(request.token);
    const { t, waitForEvent } = lifecycleEngine();
    const { result, stepRuns } = await runLifecycle(t, request);

    expect(result).toEqual({ outcome: 'already-final', status: 'cancelled' });
    expect(waitForEvent).not.toHaveBeenCalled();
    expect(stepRuns).toEqual(['load-request']);
    await expectSlotsFree(request);
    expect(await auditedTransitions(request.id)).toEqual(['request.cancelled']);
  });

  it('stops when the request does not exist', async () => {
    const { t, waitForEvent } = lifecycleEngine();
    const { result } = await runLifecycle(t, { id: randomUUID(), expiresAt: new Date(Date.now() + 3_600_000).toISOString() });
    expect(result).toEqual({ outcome: 'not-found' });
    expect(waitForEvent).not.toHaveBeenCalled();
  });
});

/**
 * Runs the lifecycle with the deadline passing during the wait: `during` runs then, given the
 * instant a second before the deadline (a cancel or an approval racing the expiry), and the wait
 * times out.
 */
async function runPastDeadline(request: CreatedRequest, during: (justBefore: Date) => unknown = () => undefined) {
  let justBefore: Date | undefined;
  const { t } = lifecycleEngine({
    waitForEvent: async () => {
      const deadline = await passDeadline(request.id);
      justBefore = new Date(deadline.getTime() - 1000);
      await during(justBefore);
      return null;
    },
  });
  const run = await runLifecycle(t, request);
  return { ...run, justBefore: justBefore! };
}

describe('request lifecycle: expiry racing the patient’s cancel', () => {
  it('cancel first, then the timeout branch: the cancel wins, the expiry does nothing', async () => {
    const request = await makeRequest();
    // The patient cancels a second before the deadline; the wait then times out.
    const { result, stepRuns } = await runPastDeadline(request, async (justBefore) => {
      const view = await cancelRequestByToken(request.token, { now: justBefore });
      expect(view.status).toBe('cancelled');
    });

    expect(result).toEqual({ outcome: 'already-final', status: 'cancelled' });
    expect(stepRuns).toEqual(['load-request', 'expire-request']);
    expect(await requestStatus(request.id)).toBe('cancelled');
    await expectSlotsFree(request);
    expect(await auditedTransitions(request.id)).toEqual(['request.cancelled']);
  });

  it('the timeout’s expiry first, then the cancel: the expiry wins, the cancel gets request_not_pending', async () => {
    const request = await makeRequest();
    const { result, justBefore } = await runPastDeadline(request);
    expect(result).toEqual({ outcome: 'expired' });

    // The patient pressed cancel a second before the deadline, but the expiry committed first.
    await expect(cancelRequestByToken(request.token, { now: justBefore })).rejects.toMatchObject({
      code: 'request_not_pending',
    });
    expect(await requestStatus(request.id)).toBe('expired');
    await expectSlotsFree(request);
    expect(await auditedTransitions(request.id)).toEqual(['request.expired']);
  });

  it('at the same instant: exactly one wins and the slots end free', async () => {
    for (let round = 0; round < 6; round++) {
      const request = await makeRequest();
      let cancel: Promise<'cancelled' | 'refused'> | undefined;
      const { result } = await runPastDeadline(request, (justBefore) => {
        // The cancel is in flight while the run's timeout branch expires the request.
        cancel = cancelRequestByToken(request.token, { now: justBefore }).then(
          () => 'cancelled' as const,
          (err: { code?: string }) => {
            expect(err.code).toBe('request_not_pending');
            return 'refused' as const;
          },
        );
      });
      const cancelled = await cancel!;
      const status = await requestStatus(request.id);

      if (status === 'cancelled') {
        expect(cancelled).toBe('cancelled');
        expect(result).toEqual({ outcome: 'already-final', status: 'cancelled' });
        expect(await auditedTransitions(request.id)).toEqual(['request.cancelled']);
      } else {
        expect(status).toBe('expired');
        expect(cancelled).toBe('refused');
        expect(result).toEqual({ outcome: 'expired' });
        expect(await auditedTransitions(request.id)).toEqual(['request.expired']);
      }
      await expectSlotsFree(request);
    }
  });
});

describe('request lifecycle: expiry racing an approval (stand-in until lib/approval lands)', () => {
  it('approval first, then the timeout branch: the approval wins, the slots stay reserved', async () => {
    const request = await makeRequest();
    // Approved a second before the deadline; its event had not reached the wait (outbox).
    const { result, stepRuns } = await runPastDeadline(request, async (justBefore) => {
      expect(await approveForTest(handle.db, request.id, justBefore)).not.toBeNull();
    });

    expect(result).toEqual({ outcome: 'already-final', status: 'approved' });
    expect(stepRuns).toEqual(['load-request', 'expire-request']);
    expect(await requestStatus(request.id)).toBe('approved');
    await expectSlotsHeld(request, 'reserved');
    expect(await reservationCount(request.id)).toBe(1);
    expect(await auditedTransitions(request.id)).toEqual([]);
  });

  it('the timeout’s expiry first, then the approval: the expiry wins, nothing is reserved', async () => {
    const request = await makeRequest();
    const { result, justBefore } = await runPastDeadline(request);
    expect(result).toEqual({ outcome: 'expired' });

    expect(await approveForTest(handle.db, request.id, justBefore)).toBeNull();
    expect(await requestStatus(request.id)).toBe('expired');
    await expectSlotsFree(request);
    expect(await reservationCount(request.id)).toBe(0);
  });

  it('at the same instant: exactly one wins and the slots match the winner', async () => {
    for (let round = 0; round < 6; round++) {
      const request = await makeRequest();
      let approval: Promise<string | null> | undefined;
      const { result } = await runPastDeadline(request, (justBefore) => {
        approval = approveForTest(handle.db, request.id, justBefore);
      });
      const reservationId = await approval!;
      const status = await requestStatus(request.id);

      if (status === 'approved') {
        expect(reservationId).not.toBeNull();
        expect(result).toEqual({ outcome: 'already-final', status: 'approved' });
        await expectSlotsHeld(request, 'reserved');
        expect(await reservationCount(request.id)).toBe(1);
        expect(await auditedTransitions(request.id)).toEqual([]);
      } else {
        expect(status).toBe('expired');
        expect(reservationId).toBeNull();
        expect(result).toEqual({ outcome: 'expired' });
        await expectSlotsFree(request);
        expect(await reservationCount(request.id)).toBe(0);
        expect(await auditedTransitions(request.id)).toEqual(['request.expired']);
      }
    }
  });
});
