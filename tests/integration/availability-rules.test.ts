import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { and, asc, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { auditLog, availabilityExceptions, availabilityRules, medicalServices, patients, profiles, reservationRequests, timeSlots } from '@/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { blockTime, listBlocks, unblockTime } from '@/lib/availability/blocks';
import { createException, deleteException, listExceptions } from '@/lib/availability/exceptions';
import { createRules, deactivateRule, listRules, updateRule } from '@/lib/availability/rules';
import { addDays, isoWeekday, todayIn, utcToZonedParts, zonedLocalToUtc } from '@/lib/availability/time';
import { editableSettings, getSettings, updateSettings } from '@/lib/practice/settings';
import { settingsInputSchema, type SettingsInput } from '@/lib/validation/practice-settings';
import { setupTestDb } from '../helpers/db';
import { actorByEmail } from '../helpers/actors';

const TZ = 'Europe/Madrid';
let db: Db;
let admin: Actor;
let doctor: Actor;
let demoId: string;
let quickId: string;
let foreignServiceId: string;

beforeAll(async () => {
  db = (await setupTestDb()).db;
  admin = await actorByEmail(db, 'admin@demo.test');
  doctor = await actorByEmail(db, 'doctor@demo.test');
  demoId = doctor.memberships[0].profileId;
  const services = await db.select().from(medicalServices);
  quickId = services.find((s) => s.profileId === demoId && s.durationMinutes === 15)!.id;
  foreignServiceId = services.find((s) => s.profileId !== demoId)!.id;
});

/** The first date with this ISO weekday at least `ahead` days from today (Madrid). */
function next(weekday: number, ahead = 3): string {
  let d = addDays(todayIn(TZ), ahead);
  while (isoWeekday(d) !== weekday) d = addDays(d, 1);
  return d;
}

/** The practice's slots on a local date, with local 'HH:MM' starts. */
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

const times = (slots: { local: string }[]) => slots.map((s) => s.local);
const quarterHours = (from: string, to: string) => {
  const out: string[] = [];
  for (let m = toMin(from); m < toMin(to); m += 15) out.push(`${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`);
  return out;
};
const toMin = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3));
const SEED_DAY = [...quarterHours('09:00', '13:00'), ...quarterHours('15:00', '18:00')];

const ruleRows = () => db.select().from(availabilityRules).where(eq(availabilityRules.profileId, demoId)).orderBy(asc(availabilityRules.id));
const exceptionRows = () =>
  db.select().from(availabilityExceptions).where(eq(availabilityExceptions.profileId, demoId)).orderBy(asc(availabilityExceptions.id));
const auditCount = async (action: string) =>
  (await db.select({ id: auditLog.id }).from(auditLog).where(eq(auditLog.action, action))).length;

describe('weekly rules', () => {
  it('adds one interval on several weekdays; a doctor may; the slots appear', async () => {
    const { rules, slots } = await createRules(doctor, demoId, { weekdays: [7, 6, 6], startTime: '10:00', endTime: '12:00' });
    expect(rules.map((r) => [r.weekday, r.startTime, r.endTime, r.serviceIds])).toEqual([
      [6, '10:00', '12:00', null],
      [7, '10:00', '12:00', null],
    ]);
    expect(slots!.inserted).toBeGreaterThanOrEqual(2 * 8 * 8);
    expect(times(await slotsOn(next(6)))).toEqual(quarterHours('10:00', '12:00'));
    expect(times(await slotsOn(next(7)))).toEqual(quarterHours('10:00', '12:00'));
    expect(await auditCount('availability.rule_created')).toBe(2);
  });

  it('refuses an overlapping interval, naming the clash, and saves nothing', async () => {
    const before = await ruleRows();
    await expect(createRules(admin, demoId, { weekdays: [1], startTime: '12:00', endTime: '14:00' })).rejects.toMatchObject({
      code: 'conflict',
      fields: { startTime: 'Overlaps Monday 09:00–13:00.' },
    });
    // One clashing weekday refuses the whole request: Friday is not created either.
    await expect(createRules(admin, demoId, { weekdays: [5, 6], startTime: '11:00', endTime: '11:30' })).rejects.toMatchObject({
      fields: { startTime: 'Overlaps Friday 09:00–13:00, Saturday 10:00–12:00.' },
    });
    expect(await ruleRows()).toEqual(before);
  });

  it('allows touching intervals and intervals whose validity does not overlap', async () => {
    await createRules(admin, demoId, { weekdays: [1], startTime: '13:00', endTime: '14:00' });
    const until = addDays(todayIn(TZ), 20);
    await createRules(admin, demoId, { weekdays: [3], startTime: '19:00', endTime: '20:00', validUntil: until });
    await createRules(admin, demoId, { weekdays: [3], startTime: '19:00', endTime: '20:00', validFrom: addDays(until, 1) });
    await expect(
      createRules(admin, demoId, { weekdays: [3], startTime: '19:30', endTime: '21:00', validFrom: until, validUntil: until }),
    ).rejects.toMatchObject({ fields: { startTime: `Overlaps Wednesday 19:00–20:00 (until ${until}).` } });
    expect(times(await slotsOn(next(1)))).toEqual([...quarterHours('09:00', '14:00'), ...quarterHours('15:00', '18:00')]);
  });

  it.each([
    ['an end before the start', { weekdays: [6], startTime: '20:00', endTime: '19:00' }, 'endTime'],
    ['no weekday', { weekdays: [], startTime: '19:00', endTime: '20:00' }, 'weekdays'],
    ['a weekday out of range', { weekdays: [8], startTime: '19:00', endTime: '20:00' }, 'weekdays'],
    ['a malformed time', { weekdays: [6], startTime: '7pm', endTime: '20:00' }, 'startTime'],
    ['a last day before the first', { weekdays: [6], startTime: '19:00', endTime: '20:00', validFrom: '2099-02-01', validUntil: '2099-01-01' }, 'validUntil'],
    ['a last day already passed', { weekdays: [6], startTime: '19:00', endTime: '20:00', validUntil: '2020-01-01' }, 'validUntil'],
    ['an impossible date', { weekdays: [6], startTime: '19:00', endTime: '20:00', validFrom: '2099-02-30' }, 'validFrom'],
    ['a malformed service id', { weekdays: [6], startTime: '19:00', endTime: '20:00', serviceIds: ['nope'] }, 'serviceIds'],
  ])('refuses %s on its field', async (_label, input, field) => {
    const before = await ruleRows();
    const error = await createRules(admin, demoId, input).catch((e) => e);
    expect(error).toMatchObject({ code: 'invalid_request' });
    expect(Object.keys(error.fields)).toEqual([field]);
    expect(await ruleRows()).toEqual(before);
  });

  it("refuses a restriction to another practice's service", async () => {
    const before = await ruleRows();
    await expect(
      createRules(admin, demoId, { weekdays: [6], startTime: '19:00', endTime: '20:00', serviceIds: [quickId, foreignServiceId] }),
    ).rejects.toMatchObject({ fields: { serviceIds: 'Choose services of this practice.' } });
    expect(await ruleRows()).toEqual(before);
  });

  it('restricts an interval to some services: its slots carry them', async () => {
    await createRules(admin, demoId, { weekdays: [6], startTime: '14:00', endTime: '15:00', serviceIds: [quickId, quickId] });
    const afternoon = (await slotsOn(next(6))).filter((s) => s.local >= '14:00');
    expect(times(afternoon)).toEqual(quarterHours('14:00', '15:00'));
    expect(afternoon.every((s) => JSON.stringify(s.serviceIds) === JSON.stringify([quickId]))).toBe(true);
  });

  it('moves the slots when a rule is changed or removed', async () => {
    const saturday = (await listRules(doctor, demoId)).find((r) => r.weekday === 6 && r.startTime === '10:00')!;
    const { rule } = await updateRule(doctor, demoId, { ruleId: saturday.id, weekday: 6, startTime: '10:00', endTime: '11:00' });
    expect(rule.endTime).toBe('11:00');
    expect(times(await slotsOn(next(6)))).toEqual([...quarterHours('10:00', '11:00'), ...quarterHours('14:00', '15:00')]);
    const [entry] = await db.select().from(auditLog).where(eq(auditLog.action, 'availability.rule_updated'));
    expect(entry.details).toEqual({ endTime: { from: '12:00', to: '11:00' } });

    // Overlapping another rule of the same weekday is refused on update too.
    await expect(updateRule(doctor, demoId, { ruleId: saturday.id, weekday: 6, startTime: '10:00', endTime: '14:30' })).rejects.toMatchObject({
      code: 'conflict',
      fields: { startTime: 'Overlaps Saturday 14:00–15:00.' },
    });

    await deactivateRule(doctor, demoId, { ruleId: saturday.id });
    expect(times(await slotsOn(next(6)))).toEqual(quarterHours('14:00', '15:00'));
    expect((await listRules(doctor, demoId)).map((r) => r.id)).not.toContain(saturday.id);
    expect((await listRules(doctor, demoId, { includeInactive: true })).find((r) => r.id === saturday.id)?.isActive).toBe(false);
    await expect(updateRule(doctor, demoId, { ruleId: saturday.id, weekday: 6, startTime: '10:00', endTime: '11:00' })).rejects.toMatchObject({
      code: 'not_found',
    });
    expect(await auditCount('availability.rule_deactivated')).toBe(1);
  });
});

describe('exceptions', () => {
  it('closes a date: its free slots go away, and it is listed', async () => {
    const date = next(2);
    expect(times(await slotsOn(date))).toEqual(SEED_DAY);
    const { exception } = await createException(doctor, demoId, { date, closed: true, reason: 'Congress' });
    expect(await slotsOn(date)).toEqual([]);
    expect(await listExceptions(doctor, demoId)).toContainEqual(exception);
    expect(await auditCount('availability.exception_created')).toBe(1);
  });

  it('replaces the weekly hours of a date with other hours, then deletes them', async () => {
    const date = next(4);
    const morning = await createException(admin, demoId, { date, closed: false, startTime: '10:00', endTime: '12:00', reason: 'Half day' });
    expect(times(await slotsOn(date))).toEqual(quarterHours('10:00', '12:00'));
    const evening = await createException(admin, demoId, { date, closed: false, startTime: '16:00', endTime: '17:00', reason: 'Half day' });
    expect(times(await slotsOn(date))).toEqual([...quarterHours('10:00', '12:00'), ...quarterHours('16:00', '17:00')]);

    await deleteException(admin, demoId, { exceptionId: morning.exception.id });
    await deleteException(admin, demoId, { exceptionId: evening.exception.id });
    expect(times(await slotsOn(date))).toEqual(SEED_DAY);
    expect(await auditCount('availability.exception_deleted')).toBe(2);
    await expect(deleteException(admin, demoId, { exceptionId: evening.exception.id })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('refuses clashing exceptions on one date and saves nothing', async () => {
    const closedDate = next(2);
    const date = next(5);
    await createException(admin, demoId, { date, closed: false, startTime: '10:00', endTime: '12:00', reason: 'Training' });
    const before = await exceptionRows();
    await expect(createException(admin, demoId, { date: closedDate, closed: true, reason: 'again' })).rejects.toMatchObject({
      code: 'conflict',
      fields: { date: 'That date is already closed (Congress).' },
    });
    await expect(
      createException(admin, demoId, { date, closed: false, startTime: '11:00', endTime: '13:00', reason: 'x' }),
    ).rejects.toMatchObject({ fields: { startTime: 'Overlaps the other hours 10:00–12:00 on that date.' } });
    await expect(createException(admin, demoId, { date, closed: true, reason: 'x' })).rejects.toMatchObject({
      fields: { date: expect.stringMatching(/already has other hours 10:00–12:00/) },
    });
    expect(await exceptionRows()).toEqual(before);
  });

  it.each([
    ['a past date', { date: '2020-01-06', closed: true, reason: 'x' }, ['date']],
    ['other hours without times', { date: '2099-01-05', closed: false, reason: 'x' }, ['startTime', 'endTime']],
    ['other hours ending before they start', { date: '2099-01-05', closed: false, startTime: '12:00', endTime: '10:00', reason: 'x' }, ['endTime']],
    ['no reason', { date: '2099-01-05', closed: true, reason: '  ' }, ['reason']],
  ])('refuses %s on its fields', async (_label, input, fields) => {
    const before = await exceptionRows();
    const error = await createException(admin, demoId, input).catch((e) => e);
    expect(error).toMatchObject({ code: 'invalid_request' });
    expect(Object.keys(error.fields)).toEqual(fields);
    expect(await exceptionRows()).toEqual(before);
  });
});

describe('blocked time', () => {
  it('blocks the free slots of a range with a reason, and unblocks them', async () => {
    const date = next(3);
    const result = await blockTime(doctor, demoId, { from: `${date}T09:00`, to: `${date}T10:00`, reason: 'School run' });
    expect(result).toEqual({ blocked: 4, held: 0, alreadyBlocked: 0 });
    const blocked = (await slotsOn(date)).filter((s) => s.status === 'blocked');
    expect(times(blocked)).toEqual(quarterHours('09:00', '10:00'));
    expect(blocked.every((s) => s.blockReason === 'School run')).toBe(true);
    expect(await listBlocks(doctor, demoId)).toEqual([
      { startsAt: zonedLocalToUtc(date, '09:00', TZ), endsAt: zonedLocalToUtc(date, '10:00', TZ), reason: 'School run', slotCount: 4 },
    ]);
    expect(await auditCount('availability.time_blocked')).toBe(1);
  });

  it('reports the slots it could not block because a request holds them', async () => {
    const date = next(3);
    const held = (await slotsOn(date)).filter((s) => s.local === '10:00' || s.local === '10:15');
    await holdSlots(held.map((s) => s.id));
    const result = await blockTime(doctor, demoId, { from: `${date}T09:00`, to: `${date}T11:00`, reason: 'Meeting' });
    expect(result).toEqual({ blocked: 2, held: 2, alreadyBlocked: 4 });
    const after = await slotsOn(date);
    expect(after.filter((s) => s.status === 'pending_approval').map((s) => s.id)).toEqual(held.map((s) => s.id));

    const { unblocked } = await unblockTime(doctor, demoId, { from: `${date}T09:00`, to: `${date}T11:00` });
    expect(unblocked).toBe(6);
    const freed = await slotsOn(date);
    expect(freed.filter((s) => s.status === 'blocked')).toEqual([]);
    expect(freed.filter((s) => s.status === 'pending_approval').map((s) => s.id)).toEqual(held.map((s) => s.id));
    expect(freed.every((s) => s.blockReason === null)).toBe(true);
    expect(times(freed)).toEqual([...quarterHours('09:00', '13:00'), ...quarterHours('15:00', '18:00'), ...quarterHours('19:00', '20:00')]);
  });

  it('removes an unblocked slot that the rules no longer make', async () => {
    const date = next(6);
    await blockTime(admin, demoId, { from: `${date}T14:00`, to: `${date}T15:00`, reason: 'Away' });
    const rule = (await listRules(admin, demoId)).find((r) => r.weekday === 6 && r.startTime === '14:00')!;
    await deactivateRule(admin, demoId, { ruleId: rule.id });
    // A blocked slot is never touched by regeneration...
    expect((await slotsOn(date)).map((s) => s.status)).toEqual(['blocked', 'blocked', 'blocked', 'blocked']);
    // ...and once freed, the regeneration that follows removes it.
    const { unblocked } = await unblockTime(admin, demoId, {
      from: zonedLocalToUtc(date, '14:00', TZ)!.toISOString(),
      to: zonedLocalToUtc(date, '15:00', TZ)!.toISOString(),
    });
    expect(unblocked).toBe(4);
    expect(await slotsOn(date)).toEqual([]);
  });

  it('refuses a bad range on its field', async () => {
    const date = next(3);
    const springForward = lastSundayOfMarch(Number(todayIn(TZ).slice(0, 4)) + 1);
    await expect(blockTime(admin, demoId, { from: `${springForward}T02:30`, to: `${springForward}T04:00`, reason: 'x' })).rejects.toMatchObject({
      fields: { from: expect.stringMatching(/does not exist in Europe\/Madrid/) },
    });
    await expect(blockTime(admin, demoId, { from: `${date}T10:00`, to: `${date}T09:00`, reason: 'x' })).rejects.toMatchObject({
      fields: { to: 'The end must be after the start.' },
    });
    await expect(blockTime(admin, demoId, { from: `${date}T09:00`, to: `${date}T10:00`, reason: '' })).rejects.toMatchObject({
      fields: { reason: expect.any(String) },
    });
    await expect(blockTime(admin, demoId, { from: 'tomorrow', to: `${date}T10:00`, reason: 'x' })).rejects.toMatchObject({
      fields: { from: 'Enter a date and time.' },
    });
    expect((await slotsOn(date)).filter((s) => s.status === 'blocked')).toEqual([]);
  });
});

describe('settings', () => {
  const current = async (): Promise<SettingsInput> => editableSettings(await getSettings(admin, demoId));
  const profileRow = async () => (await db.select().from(profiles).where(eq(profiles.id, demoId)))[0];

  it('reads the settings (admins only)', async () => {
    expect(await current()).toMatchObject({ timeZone: TZ, slotMinutes: 15, minNoticeMinutes: 120, horizonDays: 60, reminderOffsetsMinutes: [1440, 120] });
    await expect(getSettings(doctor, demoId)).rejects.toMatchObject({ code: 'forbidden' });
  });

  it.each([
    [{ timeZone: 'Mars/Olympus_Mons' }, 'timeZone', /IANA/],
    [{ timeZone: '' }, 'timeZone', /Choose a time zone/],
    [{ slotMinutes: 4 }, 'slotMinutes', /5 to 240/],
    [{ slotMinutes: 241 }, 'slotMinutes', /5 to 240/],
    [{ slotMinutes: 20 }, 'slotMinutes', /not multiples of 20: General consultation \(30 min\), Quick consultation \(15 min\)\./],
    [{ minNoticeMinutes: -1 }, 'minNoticeMinutes', /0 to 10080/],
    [{ minNoticeMinutes: 10081 }, 'minNoticeMinutes', /0 to 10080/],
    [{ horizonDays: 0 }, 'horizonDays', /1 to 366/],
    [{ horizonDays: 367 }, 'horizonDays', /1 to 366/],
    [{ approvalWindowMinutes: 4 }, 'approvalWindowMinutes', /5 to 10080/],
    [{ reminderOffsetsMinutes: [1440, 720, 360, 120, 60, 30] }, 'reminderOffsetsMinutes', /At most 5/],
    [{ reminderOffsetsMinutes: [4] }, 'reminderOffsetsMinutes', /5 to 20160/],
    [{ reminderOffsetsMinutes: [20161] }, 'reminderOffsetsMinutes', /5 to 20160/],
    [{ contactPhone: '910 000' }, 'contactPhone', /phone number such as 600 111 222, or with the country code/],
    [{ contactEmail: 'consulta@' }, 'contactEmail', /valid e-mail/],
    [{ address: 'x'.repeat(301) }, 'address', /300/],
  ])('refuses %o on its field and changes nothing', async (change, field, message) => {
    const before = await profileRow();
    const auditBefore = await auditCount('practice.settings_updated');
    const error = await updateSettings(admin, demoId, { ...(await current()), ...change }).catch((e) => e);
    expect(error).toMatchObject({ name: 'DomainError', code: 'invalid_request' });
    expect(Object.keys(error.fields)).toEqual([field]);
    expect(error.fields[field]).toMatch(message);
    expect(await profileRow()).toEqual(before);
    expect(await auditCount('practice.settings_updated')).toBe(auditBefore);
  });

  it('parses the form: reminder offsets as text, phone separators, the checkbox', () => {
    const form = {
      profileId: demoId,
      timeZone: 'America/New_York',
      slotMinutes: '15',
      minNoticeMinutes: '0',
      horizonDays: '30',
      approvalWindowMinutes: '60',
      reminderOffsetsMinutes: '120, 1440 120',
      contactPhone: '+34 910 00-00-00',
      contactEmail: ' Consulta@Demo.test ',
      address: '',
    };
    expect(settingsInputSchema.parse(form)).toMatchObject({
      slotMinutes: 15,
      minNoticeMinutes: 0,
      reminderOffsetsMinutes: [1440, 120],
      contactPhone: '+34910000000',
      contactEmail: 'consulta@demo.test',
      address: null,
      whatsappEnabled: false,
    });
    expect(settingsInputSchema.parse({ ...form, reminderOffsetsMinutes: '', whatsappEnabled: 'on' })).toMatchObject({
      reminderOffsetsMinutes: [],
      whatsappEnabled: true,
    });
    const bad = settingsInputSchema.safeParse({ ...form, reminderOffsetsMinutes: '1 day', minNoticeMinutes: '' });
    expect(bad.error!.issues.map((i) => [i.path[0], i.message])).toEqual([
      ['minNoticeMinutes', 'Enter the minimum notice in minutes.'],
      ['reminderOffsetsMinutes', 'List whole numbers of minutes separated by commas, such as 1440, 120.'],
    ]);
  });

  it('saves a change with an audit entry of the changed fields and regenerates the slots', async () => {
    const result = await updateSettings(admin, demoId, { ...(await current()), horizonDays: 30, contactPhone: '+34 911 111 111' });
    expect(result.changed).toEqual(['horizonDays', 'contactPhone']);
    expect(result.regenerated?.removed).toBeGreaterThan(0);
    const [entry] = await db.select().from(auditLog).where(eq(auditLog.action, 'practice.settings_updated'));
    expect(entry.details).toEqual({ horizonDays: { from: 60, to: 30 }, contactPhone: { from: '+34910000000', to: '+34911111111' } });
    const [{ last }] = (
      await db.execute<{ last: string }>(sql`SELECT max(starts_at) AS last FROM time_slots WHERE profile_id = ${demoId} AND status = 'available'`)
    ).rows;
    expect(new Date(last).getTime()).toBeLessThan(Date.now() + 32 * 86_400_000);

    const again = await updateSettings(admin, demoId, await current());
    expect(again).toMatchObject({ changed: [], regenerated: null });
    expect(await auditCount('practice.settings_updated')).toBe(1);
  });

  it('changes the slot length when every active service fits, and slots follow', async () => {
    await updateSettings(admin, demoId, { ...(await current()), slotMinutes: 5 });
    const day = await slotsOn(next(1));
    expect(day.length).toBe((5 + 3) * 12);
    expect(day.every((s) => s.endsAt.getTime() - s.startsAt.getTime() === 5 * 60_000)).toBe(true);
    await updateSettings(admin, demoId, { ...(await current()), slotMinutes: 15 });
    expect(times(await slotsOn(next(1)))).toEqual([...quarterHours('09:00', '14:00'), ...quarterHours('15:00', '18:00')]);
  });
});

async function holdSlots(slotIds: string[]) {
  const slots = await db.select().from(timeSlots).where(inArray(timeSlots.id, slotIds)).orderBy(asc(timeSlots.startsAt));
  const [patient] = await db.insert(patients).values({ profileId: demoId, name: 'Pat Test', phone: '+34600111222' }).returning();
  const [request] = await db
    .insert(reservationRequests)
    .values({
      profileId: demoId,
      serviceId: quickId,
      patientId: patient.id,
      startsAt: slots[0].startsAt,
      endsAt: slots[slots.length - 1].endsAt,
      consentAt: new Date(),
      status: 'pending',
      expiresAt: new Date(Date.now() + 86_400_000),
      tokenHash: randomBytes(16).toString('hex'),
    })
    .returning();
  await db.update(timeSlots).set({ status: 'pending_approval', requestId: request.id }).where(inArray(timeSlots.id, slotIds));
}

function lastSundayOfMarch(year: number): string {
  let d = `${year}-03-31`;
  while (isoWeekday(d) !== 7) d = addDays(d, -1);
  return d;
}
