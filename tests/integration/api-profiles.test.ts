import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { and, eq, gte, inArray, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { GET as getProfileRoute } from '@/app/api/v1/profiles/[slug]/route';
import { GET as getSlotsRoute } from '@/app/api/v1/profiles/[slug]/slots/route';
import type { DbHandle } from '@/db/client';
import { availabilityRules, medicalServices, patients, profiles, reservationRequests, timeSlots } from '@/db/schema';
import { materializeSlots } from '@/lib/availability/materialize';
import { findBookableStarts } from '@/lib/availability/query';
import { addDays, isoWeekday, localDateOf, startOfLocalDay, todayIn, utcToZonedParts, zonedLocalToUtc } from '@/lib/availability/time';
import { publicProfileResponseSchema, slotsResponseSchema } from '@/lib/validation/api';
import { setupTestDb } from '../helpers/db';

const MADRID = 'Europe/Madrid';
const HOUR_MS = 3_600_000;

let handle: DbHandle;
let demoId: string;
let demo2Id: string;
/** demo's services by name, and demo-2's only service. */
let quick: string;
let general: string;
let checkup: string;
let paediatric: string;
let inactiveService: string;
/** Weekdays (Mon–Fri) from two days ahead: each test that changes slots takes its own. */
let days: string[];

type Json = Record<string, unknown>;

beforeAll(async () => {
  handle = await setupTestDb();
  const { db } = handle;
  const rows = await db.select({ id: profiles.id, slug: profiles.slug }).from(profiles);
  demoId = rows.find((r) => r.slug === 'demo')!.id;
  demo2Id = rows.find((r) => r.slug === 'demo-2')!.id;
  const services = await db.select({ id: medicalServices.id, name: medicalServices.name }).from(medicalServices);
  const byName = (name: string) => services.find((s) => s.name === name)!.id;
  quick = byName('Quick consultation');
  general = byName('General consultation');
  checkup = byName('Full check-up');
  paediatric = byName('Paediatric visit');
  [{ id: inactiveService }] = await db
    .insert(medicalServices)
    .values({ profileId: demoId, name: 'Retired service', durationMinutes: 30, priceAmount: 1000, isActive: false })
    .returning({ id: medicalServices.id });
  // An inactive practice with an active service and slots: still not found.
  const [closed] = await db
    .insert(profiles)
    .values({ slug: 'closed-practice', displayName: 'Closed', isActive: false })
    .returning({ id: profiles.id });
  await db.insert(medicalServices).values({ profileId: closed.id, name: 'Visit', durationMinutes: 15, priceAmount: 0 });
  await db.insert(availabilityRules).values({ profileId: closed.id, weekday: 1, startTime: '09:00', endTime: '10:00' });
  await materializeSlots(db, closed.id);

  const today = todayIn(MADRID);
  days = [];
  for (let d = addDays(today, 2); days.length < 8; d = addDays(d, 1)) if (isoWeekday(d) <= 5) days.push(d);
});

async function getProfile(slug: string) {
  // The path is only decoration: the handler reads the slug from params, as Next passes it.
  const res = await getProfileRoute(new Request('http://localhost/api/v1/profiles/demo'), {
    params: Promise.resolve({ slug }),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Json };
}

async function getSlots(slug: string, query: Record<string, string>) {
  const qs = new URLSearchParams(query).toString();
  const res = await getSlotsRoute(new Request(`http://localhost/api/v1/profiles/demo/slots?${qs}`), {
    params: Promise.resolve({ slug }),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Json };
}

/** The slots body's starts as local 'HH:MM' of one date. */
async function localStarts(serviceId: string, date: string): Promise<string[]> {
  const res = await getSlots('demo', { serviceId, from: date, to: date });
  expect(res.status).toBe(200);
  return (res.body.slots as { startsAt: string }[]).map((s) => utcToZonedParts(new Date(s.startsAt), MADRID).time);
}

/** Local 'HH:MM' from start to end (exclusive) every 15 minutes. */
function quarterHours(start: string, end: string): string[] {
  const out: string[] = [];
  const toMin = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3));
  for (let m = toMin(start); m < toMin(end); m += 15) {
    out.push(`${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`);
  }
  return out;
}

const at = (date: string, time: string) => zonedLocalToUtc(date, time, MADRID)!;

async function setSlots(date: string, times: string[], values: Partial<typeof timeSlots.$inferInsert>) {
  const updated = await handle.db
    .update(timeSlots)
    .set(values)
    .where(and(eq(timeSlots.profileId, demoId), inArray(timeSlots.startsAt, times.map((t) => at(date, t)))))
    .returning({ id: timeSlots.id });
  expect(updated.length).toBe(times.length);
}

/** A pending request of demo holding the slots at these local times. */
async function holdWithPendingRequest(date: string, times: string[], expiresAt: Date) {
  const { db } = handle;
  const [patient] = await db
    .insert(patients)
    .values({ profileId: demoId, name: 'Test Patient', phone: '+34600111222' })
    .returning({ id: patients.id });
  const [request] = await db
    .insert(reservationRequests)
    .values({
      profileId: demoId,
      serviceId: general,
      patientId: patient.id,
      startsAt: at(date, times[0]),
      endsAt: new Date(at(date, times[times.length - 1]).getTime() + 15 * 60_000),
      consentAt: new Date(),
      status: 'pending',
      expiresAt,
      tokenHash: randomBytes(32).toString('hex'),
    })
    .returning({ id: reservationRequests.id });
  await setSlots(date, times, { status: 'pending_approval', requestId: request.id });
}

describe('GET /api/v1/profiles/{slug}', () => {
  it('answers exactly the practice and its active services', async () => {
    const res = await getProfile('demo');
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['name', 'services', 'slug', 'specialty', 'timeZone']);
    expect(res.body).toMatchObject({ slug: 'demo', name: 'Dr. Ana García', specialty: 'General practice', timeZone: MADRID });
    const services = res.body.services as Json[];
    for (const s of services) {
      expect(Object.keys(s).sort()).toEqual(['description', 'durationMinutes', 'id', 'name', 'price']);
      expect(Object.keys(s.price as Json).sort()).toEqual(['amount', 'currency']);
    }
    // The inactive service is not listed; shortest first.
    expect(services.map((s) => s.id)).toEqual([quick, general, checkup]);
    expect(services[1]).toEqual({
      id: general,
      name: 'General consultation',
      description: 'A standard visit with examination.',
      durationMinutes: 30,
      price: { amount: 5000, currency: 'EUR' },
    });
    expect(() => publicProfileResponseSchema.parse(res.body)).not.toThrow();
  });

  it('answers 404 for an unknown, inactive or malformed practice', async () => {
    const slugs = ['nobody', 'closed-practice', 'Demo', 'démo', '../demo', 'demo/slots', '', ' demo', 'a\u0000b', 'x'.repeat(100_000), '🩺'];
    for (const slug of slugs) {
      const res = await getProfile(slug);
      expect(res.status, slug.slice(0, 20)).toBe(404);
      expect(res.body).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
    }
  });
});

describe('GET /api/v1/profiles/{slug}/slots', () => {
  it('answers exactly the time zone, the service and sorted UTC starts and ends, not cached', async () => {
    const from = days[0];
    const to = addDays(from, 6);
    const res = await getSlots('demo', { serviceId: general, from, to });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(Object.keys(res.body).sort()).toEqual(['serviceId', 'slots', 'timeZone']);
    expect(res.body.timeZone).toBe(MADRID);
    expect(res.body.serviceId).toBe(general);
    const slots = res.body.slots as { startsAt: string; endsAt: string }[];
    expect(slots.length).toBeGreaterThan(0);
    for (const [i, s] of slots.entries()) {
      expect(Object.keys(s).sort()).toEqual(['endsAt', 'startsAt']);
      expect(s.startsAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/);
      expect(Date.parse(s.endsAt) - Date.parse(s.startsAt)).toBe(30 * 60_000);
      const local = localDateOf(new Date(s.startsAt), MADRID);
      expect(local >= from && local <= to).toBe(true);
      if (i > 0) expect(Date.parse(s.startsAt)).toBeGreaterThan(Date.parse(slots[i - 1].startsAt));
    }
    expect(() => slotsResponseSchema.parse(res.body)).not.toThrow();
    // A 30-minute service on a plain weekday: every quarter hour where half an hour fits.
    expect(await localStarts(general, from)).toEqual([...quarterHours('09:00', '12:45'), ...quarterHours('15:00', '17:45')]);
  });

  it('accepts 31 days and an upper-case service id', async () => {
    const res = await getSlots('demo', { serviceId: general.toUpperCase(), from: days[0], to: addDays(days[0], 30) });
    expect(res.status).toBe(200);
    expect(res.body.serviceId).toBe(general);
  });

  it('answers 404 for an unknown or inactive practice and a service that is not an active one of that practice', async () => {
    const from = days[0];
    const cases: [string, string][] = [
      ['nobody', general],
      ['closed-practice', general],
      ['Demo', general],
      ['x'.repeat(5000), general],
      ['demo', paediatric], // a real, active service of demo-2
      ['demo-2', general],
      ['demo', inactiveService],
      ['demo', '00000000-0000-0000-0000-000000000000'],
      ['demo', '11111111-1111-1111-1111-111111111111'],
    ];
    for (const [slug, serviceId] of cases) {
      const res = await getSlots(slug, { serviceId, from, to: from });
      expect(res.status, `${slug.slice(0, 20)} ${serviceId}`).toBe(404);
      expect(res.body).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
    }
    const ok = await getSlots('demo-2', { serviceId: paediatric, from, to: from });
    expect(ok.status).toBe(200);
  });

  it('answers 422 with fields keyed by the query names', async () => {
    const from = days[0];
    const cases: [Record<string, string>, string[]][] = [
      [{ from, to: from }, ['serviceId']],
      [{ serviceId: 'not-a-uuid', from, to: from }, ['serviceId']],
      [{ serviceId: `${general}x`, from, to: from }, ['serviceId']],
      [{ serviceId: general }, ['from', 'to']],
      [{ serviceId: general, from: '2026-02-30', to: '2026-03-01' }, ['from']],
      [{ serviceId: general, from: '2026-13-01', to: '2026-13-02' }, ['from', 'to']],
      [{ serviceId: general, from: '20260301', to: '2026-03-01' }, ['from']],
      [{ serviceId: general, from: '2026-3-1', to: '2026-03-01' }, ['from']],
      [{ serviceId: general, from: '2026-03-01T00:00:00Z', to: '2026-03-01' }, ['from']],
      [{ serviceId: general, from, to: addDays(from, -1) }, ['to']],
      [{ serviceId: general, from, to: addDays(from, 31) }, ['to']],
      [{ serviceId: general, from: '2027-02-29', to: '2027-03-01' }, ['from']],
    ];
    for (const [query, fields] of cases) {
      const res = await getSlots('demo', query);
      expect(res.status, JSON.stringify(query)).toBe(422);
      const error = (res.body as { error: { code: string; message: string; fields: Record<string, string> } }).error;
      expect(error.code).toBe('invalid_request');
      expect(Object.keys(error.fields).sort()).toEqual(fields);
    }
    // A real leap day is a date.
    expect((await getSlots('demo', { serviceId: general, from: '2028-02-29', to: '2028-03-01' })).status).toBe(200);
  });

  it('answers an empty list for dates far in the past or the future', async () => {
    for (const [from, to] of [
      ['0001-01-01', '0001-01-31'],
      ['1970-01-01', '1970-01-01'],
      ['9999-12-01', '9999-12-31'],
    ]) {
      const res = await getSlots('demo', { serviceId: general, from, to });
      expect(res.status).toBe(200);
      expect(res.body.slots).toEqual([]);
    }
  });

  it('never answers 5xx, whatever the slug and query', async () => {
    const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 80 }), fc.constantFrom(general, days[0], 'demo', '2026-02-29'));
    await fc.assert(
      fc.asyncProperty(text, text, text, text, async (slug, serviceId, from, to) => {
        const res = await getSlots(slug, { serviceId, from, to });
        expect([200, 404, 422]).toContain(res.status);
        const profile = await getProfile(slug);
        expect([200, 404]).toContain(profile.status);
      }),
      { numRuns: 150 },
    );
  });

  it('offers no start before now + the minimum notice (2 h)', async () => {
    const before = Date.now();
    const today = todayIn(MADRID);
    const res = await getSlots('demo', { serviceId: quick, from: addDays(today, -1), to: addDays(today, 3) });
    expect(res.status).toBe(200);
    for (const s of res.body.slots as { startsAt: string }[]) {
      expect(Date.parse(s.startsAt)).toBeGreaterThanOrEqual(before + 2 * HOUR_MS);
    }

    // At 10:07 local on a weekday, the first start is the first quarter hour from 12:07.
    const day = days[1];
    const result = await findBookableStarts({ profileId: demoId }, { serviceId: quick, from: day, to: day }, { now: at(day, '10:07') });
    const times = result.starts.map((s) => utcToZonedParts(s.startsAt, MADRID).time);
    expect(times).toEqual([...quarterHours('12:15', '13:00'), ...quarterHours('15:00', '18:00')]);
  });

  it('offers no start beyond the horizon (today + horizonDays, that whole local date)', async () => {
    const { db } = handle;
    const today = todayIn(MADRID);
    const horizonDays = 10;
    const lastDay = addDays(today, horizonDays);
    await db.update(profiles).set({ horizonDays }).where(eq(profiles.id, demoId));
    try {
      // Slots exist past the horizon (made when it was 60 days): only the setting keeps them out.
      const beyond = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(timeSlots)
        .where(and(eq(timeSlots.profileId, demoId), gte(timeSlots.startsAt, at(addDays(lastDay, 1), '00:00'))));
      expect(Number(beyond[0].n)).toBeGreaterThan(0);

      const res = await getSlots('demo', { serviceId: quick, from: addDays(today, 3), to: addDays(today, 25) });
      expect(res.status).toBe(200);
      const dates = (res.body.slots as { startsAt: string }[]).map((s) => localDateOf(new Date(s.startsAt), MADRID));
      expect(dates.length).toBeGreaterThan(0);
      expect(dates.every((d) => d <= lastDay)).toBe(true);
      let lastWeekday = lastDay;
      while (isoWeekday(lastWeekday) > 5) lastWeekday = addDays(lastWeekday, -1);
      expect(dates[dates.length - 1]).toBe(lastWeekday);

      const past = await getSlots('demo', { serviceId: quick, from: addDays(lastDay, 1), to: addDays(lastDay, 20) });
      expect(past.body.slots).toEqual([]);
    } finally {
      await db.update(profiles).set({ horizonDays: 60 }).where(eq(profiles.id, demoId));
    }
  });

  it('offers a 60-minute service only where four consecutive free slots are', async () => {
    const day = days[2];
    expect(await localStarts(checkup, day)).toEqual([...quarterHours('09:00', '12:15'), ...quarterHours('15:00', '17:15')]);
    await setSlots(day, ['10:00'], { status: 'blocked', blockReason: 'test' });
    expect(await localStarts(checkup, day)).toEqual([
      '09:00',
      ...quarterHours('10:15', '12:15'),
      ...quarterHours('15:00', '17:15'),
    ]);
    // The 15-minute service loses only the blocked quarter hour.
    expect(await localStarts(quick, day)).toEqual([
      ...quarterHours('09:00', '10:00'),
      ...quarterHours('10:15', '13:00'),
      ...quarterHours('15:00', '18:00'),
    ]);
  });

  it('treats a slot held by a pending request past its expires_at as free, before any sweep', async () => {
    const day = days[3];
    await holdWithPendingRequest(day, ['11:00', '11:15'], new Date(Date.now() - 60_000));
    expect(await localStarts(general, day)).toEqual([...quarterHours('09:00', '12:45'), ...quarterHours('15:00', '17:45')]);
  });

  it('keeps a slot held by a pending request not yet expired out of every start', async () => {
    const day = days[4];
    await holdWithPendingRequest(day, ['16:00', '16:15'], new Date(Date.now() + HOUR_MS));
    expect(await localStarts(general, day)).toEqual([
      ...quarterHours('09:00', '12:45'),
      '15:00',
      '15:15',
      '15:30',
      ...quarterHours('16:30', '17:45'),
    ]);
  });

  it('honours rules restricted to some services, on every slot a start holds', async () => {
    const { db } = handle;
    // Saturdays: 10:00–11:00 only for the full check-up, 11:00–12:00 for every service.
    await db.insert(availabilityRules).values([
      { profileId: demoId, weekday: 6, startTime: '10:00', endTime: '11:00', serviceIds: [checkup] },
      { profileId: demoId, weekday: 6, startTime: '11:00', endTime: '12:00' },
    ]);
    await materializeSlots(db, demoId);
    let saturday = days[0];
    while (isoWeekday(saturday) !== 6) saturday = addDays(saturday, 1);

    expect(await localStarts(quick, saturday)).toEqual(quarterHours('11:00', '12:00'));
    // 10:45 would hold the 10:45 slot, which is not open to a general consultation.
    expect(await localStarts(general, saturday)).toEqual(quarterHours('11:00', '11:45'));
    expect(await localStarts(checkup, saturday)).toEqual(quarterHours('10:00', '11:15'));
    // demo-2's rules are untouched.
    const other = await getSlots('demo-2', { serviceId: paediatric, from: saturday, to: saturday });
    expect(other.body.slots).toEqual([]);
  });

  it('covers whole local days at the extremes of UTC offsets, and starts that run into the next day', async () => {
    const { db } = handle;
    for (const [slug, timeZone] of [
      ['far-east', 'Pacific/Kiritimati'], // UTC+14
      ['far-west', 'Etc/GMT+12'], // UTC−12
    ]) {
      const [p] = await db.insert(profiles).values({ slug, displayName: slug, timeZone }).returning({ id: profiles.id });
      const [svc] = await db
        .insert(medicalServices)
        .values({ profileId: p.id, name: 'Long visit', durationMinutes: 60, priceAmount: 0 })
        .returning({ id: medicalServices.id });
      await db
        .insert(availabilityRules)
        .values([1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ profileId: p.id, weekday, startTime: '00:00', endTime: '24:00' })));
      await materializeSlots(db, p.id);
      const day = addDays(todayIn(timeZone), 5);
      const res = await getSlots(slug, { serviceId: svc.id, from: day, to: day });
      expect(res.status).toBe(200);
      const starts = (res.body.slots as { startsAt: string }[]).map((s) => new Date(s.startsAt));
      // Every quarter hour of the day, the last ones ending on the next day.
      expect(starts.length, timeZone).toBe(96);
      expect(utcToZonedParts(starts[0], timeZone)).toMatchObject({ date: day, time: '00:00' });
      expect(utcToZonedParts(starts[95], timeZone)).toMatchObject({ date: day, time: '23:45' });
    }
    // A day whose midnight falls in a DST gap starts when the clocks jump (Chile: 00:00 → 01:00).
    expect(new Date(startOfLocalDay('2026-09-06', 'America/Santiago')).toISOString()).toBe('2026-09-06T04:00:00.000Z');
    expect(new Date(startOfLocalDay('2026-03-29', MADRID)).toISOString()).toBe('2026-03-28T23:00:00.000Z');
  });

  it('refuses, in the lib, a practice by id that is unknown or a service of another practice', async () => {
    const day = days[5];
    const q = { from: day, to: day };
    await expect(findBookableStarts({ profileId: demoId }, { serviceId: paediatric, ...q })).rejects.toMatchObject({ code: 'not_found' });
    await expect(findBookableStarts({ profileId: demo2Id }, { serviceId: general, ...q })).rejects.toMatchObject({ code: 'not_found' });
    await expect(findBookableStarts({ profileId: 'not-a-uuid' }, { serviceId: general, ...q })).rejects.toMatchObject({ code: 'not_found' });
    await expect(findBookableStarts({ profileId: demoId }, { serviceId: general, from: day, to: 'nope' })).rejects.toMatchObject({
      code: 'invalid_request',
    });
    const ok = await findBookableStarts({ profileId: demo2Id }, { serviceId: paediatric, ...q });
    expect(ok.starts.map((s) => utcToZonedParts(s.startsAt, MADRID).time)).toEqual([
      ...quarterHours('09:00', '12:45'),
      ...quarterHours('15:00', '17:45'),
    ]);
  });
});
