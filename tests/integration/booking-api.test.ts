import { beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import type { DbHandle } from '@/db/client';
import { eventOutbox, patients, reservationRequests, timeSlots } from '@/db/schema';
import { CODE_LIMITS } from '@/lib/booking/verification';
import { setupTestDb } from '../helpers/db';
import { demoPractice, freeStarts, requestBody, testPhone } from '../helpers/booking';
import { cancelRequest, getRequest, postRequest } from '../helpers/routes';

let handle: DbHandle;
let demo: Awaited<ReturnType<typeof demoPractice>>;

beforeAll(async () => {
  handle = await setupTestDb();
  demo = await demoPractice(handle.db);
});

async function slotsOf(requestId: string) {
  return handle.db.select({ status: timeSlots.status, startsAt: timeSlots.startsAt }).from(timeSlots).where(eq(timeSlots.requestId, requestId));
}

describe('POST /api/v1/profiles/{slug}/requests', () => {
  it('creates a pending request holding every slot the service needs, with a one-time token', async () => {
    const service = demo.byMinutes(60);
    const [start] = await freeStarts(handle.db, demo.profile.id, 60, 1);
    const res = await postRequest('demo', requestBody(service.id, start));
    expect(res.status).toBe(201);
    expect(Object.keys(res.json).sort()).toEqual(['endsAt', 'expiresAt', 'id', 'startsAt', 'status', 'statusUrl', 'token']);
    expect(res.json.status).toBe('pending');
    expect(res.json.startsAt).toBe(start.toISOString());
    expect(new Date(res.json.endsAt).getTime() - start.getTime()).toBe(60 * 60_000);
    expect(res.json.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(res.json.statusUrl).toBe(`http://localhost:3000/requests/${res.json.token}`);
    // expires_at: the earlier of created + 24 h and start − 2 h.
    const expected = Math.min(Date.now() + 24 * 3_600_000, start.getTime() - 2 * 3_600_000);
    expect(Math.abs(new Date(res.json.expiresAt).getTime() - expected)).toBeLessThan(10_000);

    const held = await slotsOf(res.json.id);
    expect(held).toHaveLength(4);
    expect(held.every((s) => s.status === 'pending_approval')).toBe(true);
    const [row] = await handle.db.select().from(reservationRequests).where(eq(reservationRequests.id, res.json.id));
    expect(row.tokenHash).not.toContain(res.json.token);
    expect(JSON.stringify(row)).not.toContain(res.json.token);
    const events = await handle.db.select().from(eventOutbox).where(eq(eventOutbox.eventId, `request-${res.json.id}-requested`));
    expect(events).toHaveLength(1);

    const read = await getRequest(res.json.token);
    expect(read.status).toBe(200);
    expect(read.json).toEqual({
      id: res.json.id,
      status: 'pending',
      startsAt: res.json.startsAt,
      endsAt: res.json.endsAt,
      expiresAt: res.json.expiresAt,
      service: { id: service.id, name: service.name },
      profile: { slug: 'demo', name: 'Dr. Ana García' },
    });
  });

  it('cancels with the token: the time is free at once, and a second cancel is 409', async () => {
    const service = demo.byMinutes(30);
    const [start] = await freeStarts(handle.db, demo.profile.id, 30, 1);
    const created = await postRequest('demo', requestBody(service.id, start));
    const cancelled = await cancelRequest(created.json.token);
    expect(cancelled.status).toBe(200);
    expect(cancelled.json.status).toBe('cancelled');
    const freed = await handle.db.select({ status: timeSlots.status, requestId: timeSlots.requestId }).from(timeSlots)
      .where(sql`${timeSlots.profileId} = ${demo.profile.id} AND ${timeSlots.startsAt} >= ${start.toISOString()} AND ${timeSlots.startsAt} < ${new Date(start.getTime() + 30 * 60_000).toISOString()}`);
    expect(freed).toEqual([{ status: 'available', requestId: null }, { status: 'available', requestId: null }]);
    const again = await cancelRequest(created.json.token);
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe('request_not_pending');
    // The same time can be requested again.
    expect((await postRequest('demo', requestBody(service.id, start))).status).toBe(201);
  });

  it('matches a returning patient by phone and name, never by phone alone', async () => {
    const service = demo.byMinutes(15);
    const starts = await freeStarts(handle.db, demo.profile.id, 15, 3);
    const phone = testPhone();
    const a = await postRequest('demo', requestBody(service.id, starts[0], { patient: { name: 'Pablo Ruiz', phone } }));
    const b = await postRequest('demo', requestBody(service.id, starts[1], { patient: { name: 'pablo ruiz', phone } }));
    // One verified phone holds at most two pending requests (the practice's cap): free one first.
    await cancelRequest(a.json.token);
    const c = await postRequest('demo', requestBody(service.id, starts[2], { patient: { name: 'Carmen Ruiz', phone } }));
    expect([a.status, b.status, c.status]).toEqual([201, 201, 201]);
    const rows = await handle.db.select({ id: patients.id, name: patients.name }).from(patients).where(eq(patients.phone, phone));
    expect(rows.map((r) => r.name).sort()).toEqual(['Carmen Ruiz', 'Pablo Ruiz']);
  });
});

describe('Idempotency-Key', () => {
  it('returns the first answer for the same key and body, and 422 for another body', async () => {
    const service = demo.byMinutes(15);
    const [start, other] = await freeStarts(handle.db, demo.profile.id, 15, 2);
    const body = requestBody(service.id, start);
    const key = `key-${Date.now()}`;
    const first = await postRequest('demo', body, { 'idempotency-key': key });
    const second = await postRequest('demo', body, { 'idempotency-key': key });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.json).toEqual(first.json);
    const count = await handle.db.select({ id: reservationRequests.id }).from(reservationRequests).where(eq(reservationRequests.idempotencyKey, key));
    expect(count).toHaveLength(1);
    const different = await postRequest('demo', { ...body, startsAt: other.toISOString() }, { 'idempotency-key': key });
    expect(different.status).toBe(422);
    expect(different.json.error.code).toBe('invalid_request');
    expect(different.json.error.fields).toHaveProperty('Idempotency-Key');
  });

  it('gives one request for the same key sent concurrently', async () => {
    const service = demo.byMinutes(15);
    const [start] = await freeStarts(handle.db, demo.profile.id, 15, 1);
    const body = requestBody(service.id, start);
    const key = `concurrent-${Date.now()}`;
    const answers = await Promise.all(Array.from({ length: 5 }, () => postRequest('demo', body, { 'idempotency-key': key })));
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(answers.map((a) => a.json.id)).size).toBe(1);
    expect(new Set(answers.map((a) => a.json.token)).size).toBe(1);
  });
});

describe('error codes of API.md', () => {
  it('400 invalid_json', async () => {
    const res = await postRequest('demo', '{"serviceId": ');
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ error: { code: 'invalid_json', message: expect.any(String) } });
  });

  it('422 invalid_request with fields by dot path', async () => {
    const service = demo.byMinutes(15);
    const res = await postRequest('demo', {
      serviceId: service.id,
      startsAt: 'tomorrow',
      patient: { name: '', phone: '600 111', email: 'nope' },
      reason: 'x'.repeat(2001),
      consent: false,
    });
    expect(res.status).toBe(422);
    expect(res.json.error.code).toBe('invalid_request');
    expect(Object.keys(res.json.error.fields).sort()).toEqual(['consent', 'patient.email', 'patient.name', 'patient.phone', 'reason', 'startsAt']);
  });

  it('404 not_found for an unknown practice, a service of another practice, an unknown token', async () => {
    const [start] = await freeStarts(handle.db, demo.profile.id, 15, 1);
    expect((await postRequest('nope', requestBody(demo.byMinutes(15).id, start))).json.error.code).toBe('not_found');
    const other = await demoPractice(handle.db, 'demo-2');
    const res = await postRequest('demo', requestBody(other.services[0].id, start));
    expect(res.status).toBe(404);
    expect(res.json.error.code).toBe('not_found');
    expect((await getRequest('A'.repeat(43))).status).toBe(404);
    expect((await getRequest('not-a-token')).status).toBe(404);
    expect((await cancelRequest('A'.repeat(43))).status).toBe(404);
  });

  it('409 slot_unavailable: taken, past, inside the notice, beyond the horizon, not a start', async () => {
    const service = demo.byMinutes(30);
    const [start] = await freeStarts(handle.db, demo.profile.id, 30, 1);
    expect((await postRequest('demo', requestBody(service.id, start))).status).toBe(201);
    const cases = [
      start, // taken
      new Date(Date.now() - 86_400_000), // past
      new Date(Date.now() + 30 * 60_000), // inside the 2-hour notice
      new Date(Date.now() + 400 * 86_400_000), // beyond the horizon
      new Date(start.getTime() + 7 * 60_000), // not a slot boundary
    ];
    for (const when of cases) {
      const res = await postRequest('demo', requestBody(service.id, when));
      expect(res.status, when.toISOString()).toBe(409);
      expect(res.json.error.code).toBe('slot_unavailable');
    }
  });

  it('413 payload_too_large', async () => {
    const service = demo.byMinutes(15);
    const [start] = await freeStarts(handle.db, demo.profile.id, 15, 1);
    const res = await postRequest('demo', requestBody(service.id, start, { reason: 'x'.repeat(17 * 1024) }));
    expect(res.status).toBe(413);
    expect(res.json.error.code).toBe('payload_too_large');
  });

  it('429 rate_limited for codes sent to one contact, with Retry-After', async () => {
    const service = demo.byMinutes(15);
    const [start] = await freeStarts(handle.db, demo.profile.id, 15, 1);
    const email = `same.${Date.now()}@example.com`;
    const statuses: number[] = [];
    let last;
    for (let i = 0; i <= CODE_LIMITS.perContact.limit; i++) {
      last = await postRequest('demo', requestBody(service.id, start, { patient: { name: 'Same Contact', phone: testPhone(), email } }), {}, { anonymous: true });
      statuses.push(last.status);
    }
    expect(statuses.slice(0, CODE_LIMITS.perContact.limit).every((s) => s === 202)).toBe(true);
    expect(last!.status).toBe(429);
    expect(last!.json.error.code).toBe('rate_limited');
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('429 rate_limited per client address, and a spoofed leftmost X-Forwarded-For does not change the address counted', async () => {
    const service = demo.byMinutes(15);
    const [start] = await freeStarts(handle.db, demo.profile.id, 15, 1);
    const address = '203.0.113.77';
    const statuses: number[] = [];
    for (let i = 0; i <= CODE_LIMITS.perAddress.limit; i++) {
      const body = requestBody(service.id, start, { patient: { name: 'Spoofer', phone: testPhone(), email: `spoof.${i}.${Date.now()}@example.com` } });
      const res = await postRequest('demo', body, { 'x-forwarded-for': `198.51.100.${i}, ${address}` }, { anonymous: true });
      statuses.push(res.status);
      if (res.status === 429) expect(res.json.error.code).toBe('rate_limited');
    }
    // Every call named another leftmost address; all were counted against the one the proxy saw.
    expect(statuses.slice(0, CODE_LIMITS.perAddress.limit).every((s) => s === 202)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
  });
});
