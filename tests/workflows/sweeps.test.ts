import { InngestTestEngine } from '@inngest/test';
import { and, eq, gte, lt, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '@/db/client';
import { eventOutbox, timeSlots } from '@/db/schema';
import { sweepsCron } from '@/inngest/functions/sweeps';
import type { CreatedRequest } from '@/lib/booking/create';
import { expireOverdueRequests } from '@/lib/booking/expire';
import { cancelRequestByToken } from '@/lib/booking/status';
import { runSweeps, sweeps } from '@/lib/sweeps';
import { approveForTest } from '../helpers/approve';
import { demoRequest, passDeadline as passDeadlineOf, storedStatus, workflowDemo } from './fixtures';

let handle: DbHandle;
let demoId: string;
/** Quick consultation: 15 minutes, one slot. */
let quickId: string;
/** General consultation: 30 minutes, two slots. */
let generalId: string;
/** Free starts on the hour, at least 3 hours ahead: each request takes the next one. */
let starts: Date[];
let made = 0;

beforeAll(async () => {
  let serviceId: (name: string) => string;
  ({ handle, demoId, serviceId } = await workflowDemo());
  const { db } = handle;
  quickId = serviceId('Quick consultation');
  generalId = serviceId('General consultation');
  const free = await db.execute<{ starts_at: string | Date }>(sql`
    SELECT starts_at FROM time_slots
    WHERE profile_id = ${demoId} AND status = 'available' AND service_ids IS NULL
      AND starts_at >= now() + interval '3 hours' AND extract(minute FROM starts_at) = 0
    ORDER BY starts_at LIMIT 20`);
  starts = free.rows.map((r) => new Date(r.starts_at));
  expect(starts.length).toBe(20);
});

function makeRequest(serviceId: string): Promise<CreatedRequest> {
  const n = made++;
  return demoRequest(n, serviceId, starts[n], { name: 'Sweep Patient', phone: '+3462', address: '203.0.113' });
}

const passDeadline = (requestId: string) => passDeadlineOf(handle.db, requestId);
const requestStatus = (requestId: string) => storedStatus(handle.db, requestId);

async function slotsOf(request: CreatedRequest) {
  const rows = await handle.db
    .select({ status: timeSlots.status, requestId: timeSlots.requestId })
    .from(timeSlots)
    .where(and(eq(timeSlots.profileId, demoId), gte(timeSlots.startsAt, new Date(request.startsAt)), lt(timeSlots.startsAt, new Date(request.endsAt))));
  expect(rows.length).toBeGreaterThan(0);
  return rows;
}

/** runSweeps catches a failing sweep and reports `{ error }` in its place. */
function failedSweeps(results: Record<string, unknown>): string[] {
  return Object.entries(results)
    .filter(([, r]) => typeof r === 'object' && r !== null && 'error' in r)
    .map(([name, r]) => `${name}: ${(r as { error: unknown }).error}`);
}

const free = { status: 'available', requestId: null };
const heldBy = (request: CreatedRequest, status: 'pending_approval' | 'reserved') => ({ status, requestId: request.id });

describe('expireOverdueRequests', () => {
  it('expires only pending requests past their deadline and frees their slots', async () => {
    const overdue = await makeRequest(generalId);
    const overdueShort = await makeRequest(quickId);
    const onTime = await makeRequest(generalId);
    const approved = await makeRequest(generalId);
    const cancelled = await makeRequest(quickId);

    expect(await approveForTest(handle.db, approved.id)).not.toBeNull();
    await cancelRequestByToken(cancelled.token);
    // Past the deadline, but answered: not the sweep's business.
    for (const r of [overdue, overdueShort, approved, cancelled]) await passDeadline(r.id);

    expect(await expireOverdueRequests()).toBe(2);

    expect(await requestStatus(overdue.id)).toBe('expired');
    expect(await slotsOf(overdue)).toEqual([free, free]);
    expect(await requestStatus(overdueShort.id)).toBe('expired');
    expect(await slotsOf(overdueShort)).toEqual([free]);

    expect(await requestStatus(onTime.id)).toBe('pending');
    expect(await slotsOf(onTime)).toEqual([heldBy(onTime, 'pending_approval'), heldBy(onTime, 'pending_approval')]);
    expect(await requestStatus(approved.id)).toBe('approved');
    expect(await slotsOf(approved)).toEqual([heldBy(approved, 'reserved'), heldBy(approved, 'reserved')]);
    expect(await requestStatus(cancelled.id)).toBe('cancelled');
    expect(await slotsOf(cancelled)).toEqual([free]);

    // A second pass finds nothing: the sweep is idempotent.
    expect(await expireOverdueRequests()).toBe(0);
    expect(await requestStatus(onTime.id)).toBe('pending');
  });

  it('works through more overdue requests than one batch', async () => {
    const requests = [];
    for (let i = 0; i < 5; i++) requests.push(await makeRequest(quickId));
    for (const r of requests) await passDeadline(r.id);
    expect(await expireOverdueRequests({ now: new Date(), batch: 2 })).toBe(5);
    for (const r of requests) {
      expect(await requestStatus(r.id)).toBe('expired');
      expect(await slotsOf(r)).toEqual([free]);
    }
  });
});

describe('runSweeps', () => {
  it('runs every sweep on the seeded database without an error, expiring what is overdue', async () => {
    const overdue = await makeRequest(generalId);
    await passDeadline(overdue.id);

    const results = await runSweeps({ now: new Date(), force: true });
    expect(Object.keys(results).sort()).toEqual(sweeps.map((s) => s.name).sort());
    expect(failedSweeps(results)).toEqual([]);
    expect(results['expire-overdue-requests']).toBe(1);
    expect(await requestStatus(overdue.id)).toBe('expired');
    expect(await slotsOf(overdue)).toEqual([free, free]);
    // The outbox was flushed: sent to the (mocked) engine, or handed to the local timer.
    const pending = await handle.db.select({ id: eventOutbox.id }).from(eventOutbox).where(eq(eventOutbox.status, 'pending'));
    expect(pending).toEqual([]);
  });

  it('is what the Inngest cron function runs', async () => {
    const t = new InngestTestEngine({ function: sweepsCron });
    const { result, error } = await t.execute();
    expect(error).toBeUndefined();
    const results = result as Record<string, unknown>;
    expect(Object.keys(results)).toContain('expire-overdue-requests');
    expect(failedSweeps(results)).toEqual([]);
  });
});
