import { and, eq, gte, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBooking } from '@/app/(public)/book/[slug]/booking';
import type { DbHandle } from '@/db/client';
import { profiles, timeSlots } from '@/db/schema';
import { findFirstFreeStarts } from '@/lib/availability/next';
import { findBookableStarts } from '@/lib/availability/query';
import { addDays, startOfLocalDay, todayIn, zonedLocalToUtc } from '@/lib/availability/time';
import { createRequest } from '@/lib/booking/create';
import { formatSpan, timeZoneCity } from '@/lib/format';
import { formatPhone, parsePhone } from '@/lib/phone';
import { updateSettings } from '@/lib/practice/settings';
import { settingsInputSchema } from '@/lib/validation/practice-settings';
import { actorByEmail } from '../helpers/actors';
import { demoPractice, testAddress } from '../helpers/booking';
import { setupTestDb } from '../helpers/db';

// Issue 15: phone numbers as people type them, and the first free time (lib/availability/next.ts).

describe('phone numbers as people type them', () => {
  it('reads national numbers with the practice country and international ones as written', () => {
    expect(parsePhone('600 111 222', 'ES')).toBe('+34600111222');
    expect(parsePhone('600-11-12-22', 'ES')).toBe('+34600111222');
    expect(parsePhone('+34 600 11 12 22', 'ES')).toBe('+34600111222');
    expect(parsePhone('0034 600 111 222', 'ES')).toBe('+34600111222');
    expect(parsePhone('+44 7700 900123', 'ES')).toBe('+447700900123');
    expect(parsePhone('07400 123456', 'GB')).toBe('+447400123456');
    // Without a country only the international form; a digit too many or too few is refused.
    expect(parsePhone('600 111 222', null)).toBeNull();
    expect(parsePhone('6001112223', 'ES')).toBeNull();
    expect(parsePhone('60011122', 'ES')).toBeNull();
    expect(parsePhone('phone me', 'ES')).toBeNull();
    expect(parsePhone('+12', 'ES')).toBeNull();
  });

  it('shows national format to the practice country and international to the rest', () => {
    expect(formatPhone('+34600111222', 'ES')).toBe('600 11 12 22');
    expect(formatPhone('+34910000000', 'ES')).toBe('910 00 00 00');
    expect(formatPhone('+447700900123', 'ES')).toBe('+44 7700 900123');
    expect(formatPhone('+34600111222', 'GB')).toBe('+34 600 11 12 22');
    expect(formatPhone('', 'ES')).toBe('');
  });
});

describe('words for people', () => {
  it('names time zones by their place and spans in the unit people use', () => {
    expect(timeZoneCity('Europe/Madrid')).toBe('Madrid');
    expect(timeZoneCity('America/Argentina/Buenos_Aires')).toBe('Buenos Aires');
    expect(timeZoneCity('Etc/UTC')).toBe('UTC');
    expect([30, 60, 1440, 2880, 4320, 90].map(formatSpan)).toEqual(['30 minutes', '1 hour', '24 hours', '48 hours', '3 days', '90 minutes']);
  });
});

describe('on the database', () => {
  let handle: DbHandle;
  let demo: Awaited<ReturnType<typeof demoPractice>>;
  beforeAll(async () => {
    handle = await setupTestDb();
    demo = await demoPractice(handle.db);
  });

  /** The first start findBookableStarts offers from `now` on, month by month over the horizon. */
  async function firstByQuery(serviceId: string, now: Date): Promise<Date | undefined> {
    const today = todayIn('Europe/Madrid', now);
    for (let from = today; from <= addDays(today, demo.profile.horizonDays); from = addDays(from, 31)) {
      const { starts } = await findBookableStarts({ profileId: demo.profile.id }, { serviceId, from, to: addDays(from, 30) }, { now });
      if (starts.length) return starts[0].startsAt;
    }
    return undefined;
  }

  async function expectSameAsQuery(now: Date) {
    const first = await findFirstFreeStarts({ slug: 'demo' }, {}, { now });
    for (const s of demo.services) {
      expect(first.get(s.id)?.startsAt.toISOString(), s.name).toBe((await firstByQuery(s.id, now))?.toISOString());
      if (first.get(s.id)) expect(first.get(s.id)!.endsAt.getTime() - first.get(s.id)!.startsAt.getTime()).toBe(s.durationMinutes * 60_000);
    }
  }

  it('a national number typed on the booking form or the API is stored as E.164 for a Spanish practice', async () => {
    const [start] = (await findBookableStarts({ slug: 'demo' }, { serviceId: demo.byMinutes(15).id, from: todayIn('Europe/Madrid'), to: addDays(todayIn('Europe/Madrid'), 30) })).starts.slice(-1);
    const outcome = await createRequest(
      { clientAddress: testAddress(), baseUrl: 'http://localhost', integration: { keyId: 'k', profileId: demo.profile.id } },
      'demo',
      {
        serviceId: demo.byMinutes(15).id,
        startsAt: start.startsAt.toISOString(),
        patient: { name: 'Jorge Martín', phone: '600 111 222', phoneVerified: true },
        consent: true,
      },
    );
    expect(outcome.kind).toBe('created');
    const rows = await handle.db.execute<{ phone: string }>(sql`SELECT p.phone FROM reservation_requests r JOIN patients p ON p.id = r.patient_id WHERE r.starts_at = ${start.startsAt.toISOString()}::timestamptz`);
    expect(rows.rows[0].phone).toBe('+34600111222');
    // A typo is refused with the practice's way of writing numbers in the message.
    const bad = await createRequest({ clientAddress: testAddress(), baseUrl: 'http://localhost' }, 'demo', {
      serviceId: demo.byMinutes(15).id,
      startsAt: start.startsAt.toISOString(),
      patient: { name: 'Jorge Martín', phone: '600 111 2222' },
      consent: true,
    }).catch((e: { fields?: Record<string, string> }) => e);
    expect((bad as { fields: Record<string, string> }).fields['patient.phone']).toMatch(/600 111 222/);
  });

  it('the settings read the practice phone with the chosen country', async () => {
    const admin = await actorByEmail(handle.db, 'admin@demo.test');
    const before = await handle.db.select().from(profiles).where(eq(profiles.id, demo.profile.id));
    const result = await updateSettings(admin, demo.profile.id, { ...before[0], contactPhone: '910 00 00 01', country: 'ES', cancellationPolicy: 'Cancel 24 h ahead.', moveCutoffMinutes: '720', maxMovesPerRequest: '3' });
    expect(result.settings.contactPhone).toBe('+34910000001');
    expect(result.changed.sort()).toEqual(['cancellationPolicy', 'contactPhone', 'maxMovesPerRequest', 'moveCutoffMinutes']);
    const refused = await updateSettings(admin, demo.profile.id, { ...before[0], contactPhone: '910 00 00 01', country: 'GB' }).catch((e: { fields?: Record<string, string> }) => e);
    expect(Object.keys((refused as { fields: Record<string, string> }).fields)).toEqual(['contactPhone']);
    // With another field wrong too, the form hears of both at once.
    const both = settingsInputSchema.safeParse({ ...before[0], minNoticeMinutes: '', contactPhone: '910', country: 'ES' });
    expect(both.error!.issues.map((i) => i.path[0]).sort()).toEqual(['contactPhone', 'minNoticeMinutes']);
  });

  it('the first free time of each service is the first start the booking page offers, now and on the last evening of a month', async () => {
    await expectSameAsQuery(new Date());
    // The last day of this month at 19:00 in Madrid: nothing is left that day.
    const today = todayIn('Europe/Madrid');
    const lastDay = addDays(`${addDays(`${today.slice(0, 7)}-28`, 5).slice(0, 7)}-01`, -1);
    const evening = zonedLocalToUtc(lastDay, '19:00', 'Europe/Madrid')!;
    await expectSameAsQuery(evening);
    const first = await findFirstFreeStarts({ slug: 'demo' }, {}, { now: evening });
    for (const f of first.values()) expect(f.startsAt > startOfLocalDay(addDays(lastDay, 1), 'Europe/Madrid')).toBe(true);
  });

  it("the booking page's month arrows skip a month without free times", async () => {
    const now = new Date();
    const service = demo.byMinutes(30);
    const today = todayIn('Europe/Madrid', now);
    const thisMonth = today.slice(0, 7);
    const monthAfter = (m: string, n: number) => addDays(`${m}-15`, 31 * n - 14).slice(0, 7);
    const next = monthAfter(thisMonth, 1);
    // Block every slot of next month: the arrow from this month goes to the one after.
    const from = startOfLocalDay(`${next}-01`, 'Europe/Madrid');
    const to = startOfLocalDay(`${monthAfter(thisMonth, 2)}-01`, 'Europe/Madrid');
    await handle.db.execute(sql`UPDATE time_slots SET status = 'blocked' WHERE profile_id = ${demo.profile.id} AND status = 'available'
      AND starts_at >= ${from.toISOString()}::timestamptz AND starts_at < ${to.toISOString()}::timestamptz`);
    const later = await findFirstFreeStarts({ slug: 'demo' }, { serviceIds: [service.id], after: to }, { now });
    const view = await loadBooking('demo', `service=${service.id}&month=${thisMonth}`, now.toISOString());
    expect(view!.nextMonth).toBe(later.get(service.id) ? monthAfter(thisMonth, 2) : undefined);
    if (later.get(service.id)) {
      const back = await loadBooking('demo', `service=${service.id}&month=${monthAfter(thisMonth, 2)}`, now.toISOString());
      expect(back!.previousMonth, 'back over the empty month').toBe((await findFirstFreeStarts({ slug: 'demo' }, { serviceIds: [service.id], before: from }, { now })).size ? thisMonth : undefined);
    }
    await handle.db.execute(sql`UPDATE time_slots SET status = 'available' WHERE profile_id = ${demo.profile.id} AND status = 'blocked'
      AND starts_at >= ${from.toISOString()}::timestamptz AND starts_at < ${to.toISOString()}::timestamptz`);
  });

  it('follows held, blocked and restricted slots, a lapsed hold, and the after/before bounds', async () => {
    const now = new Date();
    const long = demo.byMinutes(60);
    const quick = demo.byMinutes(15);
    const firstLong = (await findFirstFreeStarts({ profileId: demo.profile.id }, { serviceIds: [long.id] }, { now })).get(long.id)!;
    // Block the third quarter hour of that hour: the hour no longer fits the check-up.
    const third = new Date(firstLong.startsAt.getTime() + 30 * 60_000);
    await handle.db.update(timeSlots).set({ status: 'blocked' }).where(and(eq(timeSlots.profileId, demo.profile.id), eq(timeSlots.startsAt, third)));
    await expectSameAsQuery(now);
    const moved = (await findFirstFreeStarts({ profileId: demo.profile.id }, { serviceIds: [long.id] }, { now })).get(long.id)!;
    expect(moved.startsAt.getTime()).toBeGreaterThan(firstLong.startsAt.getTime());

    // Slots open only to the quick consultation: the others skip them.
    await handle.db.execute(sql`UPDATE time_slots SET service_ids = ARRAY[${quick.id}]::uuid[]
      WHERE profile_id = ${demo.profile.id} AND status = 'available' AND starts_at >= ${now.toISOString()}::timestamptz
        AND starts_at < ${new Date(moved.startsAt.getTime() + 3 * 86_400_000).toISOString()}::timestamptz`);
    await expectSameAsQuery(now);

    // Random blocks over the horizon (a fixed seed): still the same answer as the query.
    let seed = 15;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const slots = await handle.db
      .select({ startsAt: timeSlots.startsAt })
      .from(timeSlots)
      .where(and(eq(timeSlots.profileId, demo.profile.id), eq(timeSlots.status, 'available'), gte(timeSlots.startsAt, now)));
    const blocked = slots.filter(() => rand() < 0.6).map((s) => s.startsAt.toISOString());
    await handle.db.execute(sql`UPDATE time_slots SET status = 'blocked' WHERE profile_id = ${demo.profile.id} AND starts_at = ANY(${`{${blocked.join(',')}}`}::timestamptz[])`);
    await expectSameAsQuery(now);

    // A pending request past its deadline holds nothing: its time counts as free again.
    const first = (await findFirstFreeStarts({ slug: 'demo' }, { serviceIds: [quick.id] }, { now })).get(quick.id)!;
    const outcome = await createRequest(
      { clientAddress: testAddress(), baseUrl: 'http://localhost', integration: { keyId: 'k', profileId: demo.profile.id } },
      'demo',
      { serviceId: quick.id, startsAt: first.startsAt.toISOString(), patient: { name: 'Held', phone: '+34600111333', phoneVerified: true }, consent: true },
      { now },
    );
    if (outcome.kind !== 'created') throw new Error('expected a created request');
    const held = (await findFirstFreeStarts({ slug: 'demo' }, { serviceIds: [quick.id] }, { now })).get(quick.id)!;
    expect(held.startsAt.getTime()).toBeGreaterThan(first.startsAt.getTime());
    await handle.db.execute(sql`UPDATE reservation_requests SET expires_at = ${new Date(now.getTime() - 60_000).toISOString()}::timestamptz WHERE id = ${outcome.request.id}`);
    const again = (await findFirstFreeStarts({ slug: 'demo' }, { serviceIds: [quick.id] }, { now })).get(quick.id);
    expect(again?.startsAt.toISOString()).toBe(first.startsAt.toISOString());
    await handle.db.execute(sql`UPDATE reservation_requests SET expires_at = ${outcome.request.expiresAt}::timestamptz WHERE id = ${outcome.request.id}`);

    // after / before / last: the calendar's next and previous month with free times.
    const after = (await findFirstFreeStarts({ slug: 'demo' }, { serviceIds: [quick.id], after: new Date(held.startsAt.getTime() + 1) }, { now })).get(quick.id)!;
    expect(after.startsAt.getTime()).toBeGreaterThan(held.startsAt.getTime());
    const last = (await findFirstFreeStarts({ slug: 'demo' }, { serviceIds: [quick.id], before: after.startsAt, last: true }, { now })).get(quick.id)!;
    expect(last.startsAt.toISOString()).toBe(held.startsAt.toISOString());
    expect((await findFirstFreeStarts({ slug: 'demo' }, { serviceIds: [quick.id], before: held.startsAt }, { now })).size).toBe(0);
    // Unknown practice, malformed ids: nothing, never an error.
    expect((await findFirstFreeStarts({ slug: 'no-such-practice' }, {}, { now })).size).toBe(0);
    expect((await findFirstFreeStarts({ slug: 'demo' }, { serviceIds: ['nope'] }, { now })).size).toBe(0);
    const other = await demoPractice(handle.db, 'demo-2');
    expect((await findFirstFreeStarts({ slug: 'demo' }, { serviceIds: [other.services[0].id] }, { now })).size).toBe(0);
  });
});
