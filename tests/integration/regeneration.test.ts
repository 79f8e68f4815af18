import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { and, asc, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { availabilityRules, medicalServices, patients, reservationRequests, reservations, timeSlots } from '@/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { materializeSlots } from '@/lib/availability/materialize';
import { blockTime } from '@/lib/availability/blocks';
import { deactivateRule, listRules, updateRule } from '@/lib/availability/rules';
import { addDays, isoWeekday, todayIn, utcToZonedParts, zonedLocalToUtc } from '@/lib/availability/time';
import { setupTestDb } from '../helpers/db';
import { actorByEmail } from '../helpers/actors';

/**
 * Issue 4, must-show 2: regenerating after a rule change keeps held, reserved (and blocked) slots
 * and their requests exactly as they were, and a second run changes nothing.
 */

const TZ = 'Europe/Madrid';
let db: Db;
let admin: Actor;
let doctor: Actor;
let demoId: string;
let monday: string;
let pendingId: string;
let approvedId: string;
let kept: string[];

beforeAll(async () => {
  db = (await setupTestDb()).db;
  admin = await actorByEmail(db, 'admin@demo.test');
  doctor = await actorByEmail(db, 'doctor@demo.test');
  demoId = doctor.memberships[0].profileId;
  monday = addDays(todayIn(TZ), 3);
  while (isoWeekday(monday) !== 1) monday = addDays(monday, 1);

  const services = await db.select().from(medicalServices).where(eq(medicalServices.profileId, demoId));
  const general = services.find((s) => s.durationMinutes === 30)!;
  const quick = services.find((s) => s.durationMinutes === 15)!;
  const day = await slotsOn(monday);
  const at = (local: string) => day.find((s) => s.local === local)!;
  const [patient] = await db.insert(patients).values({ profileId: demoId, name: 'Lucía Martín', phone: '+34600111222' }).returning();

  // A pending request holding two consecutive slots (a 30-minute service).
  const held = [at('09:00'), at('09:15')];
  const [pending] = await db
    .insert(reservationRequests)
    .values({
      profileId: demoId,
      serviceId: general.id,
      patientId: patient.id,
      startsAt: held[0].startsAt,
      endsAt: held[1].endsAt,
      reason: 'Cough',
      consentAt: new Date(),
      status: 'pending',
      expiresAt: new Date(Date.now() + 86_400_000),
      tokenHash: randomBytes(32).toString('hex'),
    })
    .returning();
  pendingId = pending.id;
  await db
    .update(timeSlots)
    .set({ status: 'pending_approval', requestId: pending.id })
    .where(inArray(timeSlots.id, held.map((s) => s.id)));

  // An approved request with its reservation, holding one slot.
  const reserved = at('10:00');
  const decidedAt = new Date();
  const [approved] = await db
    .insert(reservationRequests)
    .values({
      profileId: demoId,
      serviceId: quick.id,
      patientId: patient.id,
      startsAt: reserved.startsAt,
      endsAt: reserved.endsAt,
      consentAt: new Date(),
      status: 'approved',
      expiresAt: new Date(Date.now() + 86_400_000),
      decidedAt,
      decidedBy: doctor.userId,
      tokenHash: randomBytes(32).toString('hex'),
    })
    .returning();
  approvedId = approved.id;
  await db.insert(reservations).values({
    requestId: approved.id,
    profileId: demoId,
    serviceId: quick.id,
    patientId: patient.id,
    startsAt: reserved.startsAt,
    endsAt: reserved.endsAt,
    confirmedAt: decidedAt,
  });
  await db.update(timeSlots).set({ status: 'reserved', requestId: approved.id }).where(eq(timeSlots.id, reserved.id));

  // And a blocked one.
  await blockTime(doctor, demoId, { from: `${monday}T11:00`, to: `${monday}T11:15`, reason: 'Phone call' });
  kept = [...held, reserved, at('11:00')].map((s) => s.id);
});

async function slotsOn(date: string) {
  const rows = await db
    .select()
    .from(timeSlots)
    .where(
      and(
        eq(timeSlots.profileId, demoId),
        gte(timeSlots.startsAt, zonedLocalToUtc(date, '00:00', TZ)!),
        lt(timeSlots.startsAt, zonedLocalToUtc(addDays(date, 1), '00:00', TZ)!),
      ),
    )
    .orderBy(asc(timeSlots.startsAt));
  return rows.map((r) => ({ ...r, local: utcToZonedParts(r.startsAt, TZ).time }));
}

const keptSlots = () => db.select().from(timeSlots).where(inArray(timeSlots.id, kept)).orderBy(asc(timeSlots.startsAt));
const requestRows = () =>
  db.select().from(reservationRequests).where(inArray(reservationRequests.id, [pendingId, approvedId])).orderBy(asc(reservationRequests.id));
const reservationRows = () => db.select().from(reservations).where(eq(reservations.profileId, demoId));

async function slotCount(): Promise<number> {
  const { rows } = await db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM time_slots WHERE profile_id = ${demoId}`);
  return Number(rows[0].n);
}

function assertNoOverlap(slots: { startsAt: Date; endsAt: Date }[]) {
  for (let i = 1; i < slots.length; i++) expect(slots[i].startsAt.getTime()).toBeGreaterThanOrEqual(slots[i - 1].endsAt.getTime());
}

describe('regeneration after a rule change', () => {
  it('starts from a held, a reserved and a blocked slot', async () => {
    expect((await keptSlots()).map((s) => [utcToZonedParts(s.startsAt, TZ).time, s.status])).toEqual([
      ['09:00', 'pending_approval'],
      ['09:15', 'pending_approval'],
      ['10:00', 'reserved'],
      ['11:00', 'blocked'],
    ]);
  });

  it('keeps them and their requests untouched when the hours move', async () => {
    const slotsBefore = await keptSlots();
    const requestsBefore = await requestRows();
    const reservationsBefore = await reservationRows();

    const morning = (await listRules(admin, demoId)).find((r) => r.weekday === 1 && r.startTime === '09:00')!;
    // A grid shifted by 10 minutes: new slots that would overlap a kept one are skipped.
    const { slots } = await updateRule(admin, demoId, { ruleId: morning.id, weekday: 1, startTime: '09:10', endTime: '12:10' });
    expect(slots!.removed).toBeGreaterThan(0);

    expect(await keptSlots()).toEqual(slotsBefore);
    expect(await requestRows()).toEqual(requestsBefore);
    expect(await reservationRows()).toEqual(reservationsBefore);

    const day = await slotsOn(monday);
    assertNoOverlap(day);
    expect(day.filter((s) => s.local < '12:30').map((s) => `${s.local} ${s.status}`)).toEqual([
      '09:00 pending_approval',
      '09:15 pending_approval',
      '09:40 available',
      '10:00 reserved',
      '10:25 available',
      '10:40 available',
      '11:00 blocked',
      '11:25 available',
      '11:40 available',
      '11:55 available',
    ]);
  });

  it('keeps them when the whole day is removed', async () => {
    const slotsBefore = await keptSlots();
    const requestsBefore = await requestRows();
    const reservationsBefore = await reservationRows();

    for (const rule of (await listRules(admin, demoId)).filter((r) => r.weekday === 1)) {
      await deactivateRule(admin, demoId, { ruleId: rule.id });
    }

    expect(await keptSlots()).toEqual(slotsBefore);
    expect(await requestRows()).toEqual(requestsBefore);
    expect(await reservationRows()).toEqual(reservationsBefore);
    expect((await slotsOn(monday)).map((s) => s.id)).toEqual(kept);
  });

  it('changes nothing when it runs twice', async () => {
    // A rule written behind the engine's back: the first run has work to do, the second none.
    await db.insert(availabilityRules).values({ profileId: demoId, weekday: 1, startTime: '08:00', endTime: '12:00' });
    const first = await materializeSlots(db, demoId);
    expect(first.inserted).toBeGreaterThan(0);
    const slotsBefore = await keptSlots();
    const total = await slotCount();

    const second = await materializeSlots(db, demoId);
    expect(second).toMatchObject({ inserted: 0, removed: 0 });
    expect(await slotCount()).toBe(total);
    expect(await keptSlots()).toEqual(slotsBefore);

    const day = await slotsOn(monday);
    assertNoOverlap(day);
    expect(day.filter((s) => kept.includes(s.id)).map((s) => s.status)).toEqual(['pending_approval', 'pending_approval', 'reserved', 'blocked']);
    // 08:00–09:00 and the free quarters between the kept slots.
    expect(day.filter((s) => s.status === 'available').map((s) => s.local)).toEqual([
      '08:00', '08:15', '08:30', '08:45', '09:30', '09:45', '10:15', '10:30', '10:45', '11:15', '11:30', '11:45',
    ]);
  });
});
