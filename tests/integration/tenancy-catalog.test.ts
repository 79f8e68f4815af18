import { beforeAll, describe, expect, it, vi } from 'vitest';
import { asc, eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { auditLog, availabilityExceptions, availabilityRules, medicalServices, profiles, timeSlots } from '@/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { blockTime, listBlocks, unblockTime } from '@/lib/availability/blocks';
import { createException, deleteException, listExceptions } from '@/lib/availability/exceptions';
import { createRules, deactivateRule, listRules, updateRule } from '@/lib/availability/rules';
import { addDays, isoWeekday, todayIn } from '@/lib/availability/time';
import { createService, getService, listServices, setServiceActive, updateService } from '@/lib/catalog';
import { getSettings, updateSettings } from '@/lib/practice/settings';
import {
  blockTimeAction,
  createExceptionAction,
  createRulesAction,
  deactivateRuleAction,
  deleteExceptionAction,
  unblockTimeAction,
  updateRuleAction,
} from '@/app/dashboard/availability/actions';
import { createServiceAction, setServiceActiveAction, updateServiceAction } from '@/app/dashboard/services/actions';
import { updateSettingsAction } from '@/app/dashboard/settings/actions';
import { setupTestDb } from '../helpers/db';
import { actorByEmail } from '../helpers/actors';

// The server actions read the signed-in actor from the session (Auth.js); here it is whoever the
// test says. The database stays real.
const session = vi.hoisted(() => ({ actor: null as Actor | null }));
vi.mock('@/lib/auth/session', () => ({
  currentActor: async () => session.actor,
  requireActor: async () => session.actor,
  currentPractice: async () => undefined,
}));
// Outside a Next.js request there is no cache to revalidate.
vi.mock('next/cache', () => ({ revalidatePath: () => undefined }));

/**
 * Issue 4, must-show 3: a doctor of demo-2 cannot read or change demo's services, rules,
 * exceptions, blocks or settings. Every lib function refuses with not_found (another practice's
 * rows do not exist for them) and not one row changes.
 */

const TZ = 'Europe/Madrid';
let db: Db;
let admin: Actor;
let doctor: Actor;
let doctor2: Actor;
let demoId: string;
let demo2Id: string;
let serviceId: string;
let ruleId: string;
let exceptionId: string;
let wednesday: string;

const service = { name: 'Intruder', description: '', durationMinutes: 15, priceAmount: 100, currency: 'EUR' };

beforeAll(async () => {
  db = (await setupTestDb()).db;
  admin = await actorByEmail(db, 'admin@demo.test');
  doctor = await actorByEmail(db, 'doctor@demo.test');
  doctor2 = await actorByEmail(db, 'doctor2@demo.test');
  const rows = await db.select({ id: profiles.id, slug: profiles.slug }).from(profiles);
  demoId = rows.find((r) => r.slug === 'demo')!.id;
  demo2Id = rows.find((r) => r.slug === 'demo-2')!.id;
  serviceId = (await listServices(admin, demoId))[0].id;
  ruleId = (await listRules(admin, demoId))[0].id;
  wednesday = addDays(todayIn(TZ), 3);
  while (isoWeekday(wednesday) !== 3) wednesday = addDays(wednesday, 1);
  ({
    exception: { id: exceptionId },
  } = await createException(admin, demoId, { date: addDays(wednesday, 1), closed: true, reason: 'Holiday' }));
  await blockTime(admin, demoId, { from: `${wednesday}T09:00`, to: `${wednesday}T10:00`, reason: 'Meeting' });
});

/** Every row of demo that any of these functions could change. */
async function snapshot() {
  const [services, rules, exceptions, slots, profile, audit] = await Promise.all([
    db.select().from(medicalServices).where(eq(medicalServices.profileId, demoId)).orderBy(asc(medicalServices.id)),
    db.select().from(availabilityRules).where(eq(availabilityRules.profileId, demoId)).orderBy(asc(availabilityRules.id)),
    db.select().from(availabilityExceptions).where(eq(availabilityExceptions.profileId, demoId)).orderBy(asc(availabilityExceptions.id)),
    db.select().from(timeSlots).where(eq(timeSlots.profileId, demoId)).orderBy(asc(timeSlots.startsAt)),
    db.select().from(profiles).where(eq(profiles.id, demoId)),
    db.select().from(auditLog).where(eq(auditLog.profileId, demoId)).orderBy(asc(auditLog.id)),
  ]);
  return { services, rules, exceptions, slots, profile, audit };
}

const attempts: [string, () => Promise<unknown>][] = [
  ['listServices', () => listServices(doctor2, demoId, { includeInactive: true })],
  ['getService', () => getService(doctor2, demoId, { serviceId: serviceId })],
  ['createService', () => createService(doctor2, demoId, service)],
  ['updateService', () => updateService(doctor2, demoId, { serviceId: serviceId, ...service })],
  ['setServiceActive', () => setServiceActive(doctor2, demoId, { serviceId: serviceId, active: false })],
  ['listRules', () => listRules(doctor2, demoId)],
  ['createRules', () => createRules(doctor2, demoId, { weekdays: [6], startTime: '10:00', endTime: '12:00' })],
  ['updateRule', () => updateRule(doctor2, demoId, { ruleId: ruleId, weekday: 6, startTime: '10:00', endTime: '12:00' })],
  ['deactivateRule', () => deactivateRule(doctor2, demoId, { ruleId: ruleId })],
  ['listExceptions', () => listExceptions(doctor2, demoId)],
  ['createException', () => createException(doctor2, demoId, { date: wednesday, closed: true, reason: 'x' })],
  ['deleteException', () => deleteException(doctor2, demoId, { exceptionId: exceptionId })],
  ['listBlocks', () => listBlocks(doctor2, demoId)],
  ['blockTime', () => blockTime(doctor2, demoId, { from: `${wednesday}T10:00`, to: `${wednesday}T13:00`, reason: 'x' })],
  ['unblockTime', () => unblockTime(doctor2, demoId, { from: `${wednesday}T09:00`, to: `${wednesday}T10:00` })],
  ['getSettings', () => getSettings(doctor2, demoId)],
  [
    'updateSettings',
    () =>
      updateSettings(doctor2, demoId, {
        timeZone: 'UTC',
        slotMinutes: 15,
        minNoticeMinutes: 0,
        horizonDays: 1,
        approvalWindowMinutes: 5,
        reminderOffsetsMinutes: [],
        contactPhone: null,
        contactEmail: null,
        address: null,
        whatsappEnabled: true,
      }),
  ],
  // Its own practice id with demo's row ids: the row is looked up within demo-2 and not found.
  ['updateRule via demo-2', () => updateRule(doctor2, demo2Id, { ruleId: ruleId, weekday: 6, startTime: '10:00', endTime: '12:00' })],
  ['deactivateRule via demo-2', () => deactivateRule(doctor2, demo2Id, { ruleId: ruleId })],
  ['deleteException via demo-2', () => deleteException(doctor2, demo2Id, { exceptionId: exceptionId })],
];

describe("a doctor of demo-2 and demo's catalog, rules and settings", () => {
  it.each(attempts)('%s is refused as not found and changes nothing', async (_name, attempt) => {
    const before = await snapshot();
    await expect(attempt()).rejects.toMatchObject({ name: 'DomainError', code: 'not_found' });
    expect(await snapshot()).toEqual(before);
  });

  it("cannot block or unblock demo's time through demo-2", async () => {
    const before = await snapshot();
    expect(await blockTime(doctor2, demo2Id, { from: `${wednesday}T10:00`, to: `${wednesday}T13:00`, reason: 'x' })).toMatchObject({
      blocked: 12,
    });
    expect(await unblockTime(doctor2, demo2Id, { from: `${wednesday}T00:00`, to: `${wednesday}T23:59` })).toMatchObject({
      unblocked: 12,
    });
    expect(await snapshot()).toEqual(before);
  });
});

describe('admin-only changes', () => {
  it('refuses a doctor of demo the catalog and the settings (forbidden), but not the rules', async () => {
    const before = await snapshot();
    for (const attempt of [
      () => createService(doctor, demoId, service),
      () => updateService(doctor, demoId, { serviceId: serviceId, ...service }),
      () => setServiceActive(doctor, demoId, { serviceId: serviceId, active: false }),
      () => getSettings(doctor, demoId),
      () => updateSettings(doctor, demoId, { ...before.profile[0], reminderOffsetsMinutes: [60] }),
    ]) {
      await expect(attempt()).rejects.toMatchObject({ code: 'forbidden' });
    }
    expect(await snapshot()).toEqual(before);
    const { rules } = await createRules(doctor, demoId, { weekdays: [6], startTime: '10:00', endTime: '11:00' });
    expect(rules).toHaveLength(1);
  });
});

describe('the server actions', () => {
  const form = (fields: Record<string, string | string[]>) => {
    const fd = new FormData();
    for (const [k, v] of Object.entries(fields)) for (const value of [v].flat()) fd.append(k, value);
    return fd;
  };
  const serviceFields = { name: 'Intruder', description: '', durationMinutes: '15', price: '1.00', currency: 'EUR' };

  it("answer a doctor of demo-2 with an error for every change to demo, and change nothing", async () => {
    session.actor = doctor2;
    const before = await snapshot();
    const calls: [string, Promise<{ ok?: boolean; error?: string }>][] = [
      ['createService', createServiceAction(undefined, form({ profileId: demoId, ...serviceFields }))],
      ['updateService', updateServiceAction(undefined, form({ profileId: demoId, serviceId, ...serviceFields }))],
      ['setServiceActive', setServiceActiveAction(undefined, form({ profileId: demoId, serviceId, active: 'false' }))],
      [
        'createRules',
        createRulesAction(undefined, form({ profileId: demoId, 'weekdays[]': ['6'], startTime: '10:00', endTime: '12:00' })),
      ],
      ['updateRule', updateRuleAction(undefined, form({ profileId: demoId, ruleId, weekday: '6', startTime: '10:00', endTime: '12:00' }))],
      ['deactivateRule', deactivateRuleAction(undefined, form({ profileId: demoId, ruleId }))],
      ['deactivateRule via demo-2', deactivateRuleAction(undefined, form({ profileId: demo2Id, ruleId }))],
      ['createException', createExceptionAction(undefined, form({ profileId: demoId, date: wednesday, kind: 'closed', reason: 'x' }))],
      ['deleteException', deleteExceptionAction(undefined, form({ profileId: demoId, exceptionId }))],
      ['deleteException via demo-2', deleteExceptionAction(undefined, form({ profileId: demo2Id, exceptionId }))],
      ['blockTime', blockTimeAction(undefined, form({ profileId: demoId, from: `${wednesday}T10:00`, to: `${wednesday}T12:00`, reason: 'x' }))],
      ['unblockTime', unblockTimeAction(undefined, form({ profileId: demoId, from: `${wednesday}T09:00`, to: `${wednesday}T10:00` }))],
      [
        'updateSettings',
        updateSettingsAction(
          undefined,
          form({
            profileId: demoId,
            timeZone: 'UTC',
            slotMinutes: '15',
            minNoticeMinutes: '0',
            horizonDays: '1',
            approvalWindowMinutes: '5',
            reminderOffsetsMinutes: '',
          }),
        ),
      ],
    ];
    for (const [name, call] of calls) {
      const result = await call;
      expect({ name, ok: result.ok, error: result.error }).toEqual({ name, ok: undefined, error: expect.stringMatching(/^No such (practice|rule|exception)\.$/) });
    }
    expect(await snapshot()).toEqual(before);
  });

  it('answer a doctor of demo with "only an admin" for the catalog and the settings', async () => {
    session.actor = doctor;
    const before = await snapshot();
    const result = await createServiceAction(undefined, form({ profileId: demoId, ...serviceFields }));
    expect(result.error).toMatch(/admin/);
    expect((await updateSettingsAction(undefined, form({ profileId: demoId, timeZone: 'UTC' }))).error).toBeDefined();
    expect(await snapshot()).toEqual(before);
  });

  it('return every field error to the form and keep the values, saving nothing', async () => {
    session.actor = admin;
    const before = await snapshot();
    const result = await createServiceAction(
      undefined,
      form({ profileId: demoId, name: '', description: '', durationMinutes: 'x', price: '-1', currency: 'EU' }),
    );
    expect(Object.keys(result.fieldErrors ?? {}).sort()).toEqual(['currency', 'durationMinutes', 'name', 'price']);
    expect(result.values).toMatchObject({ durationMinutes: 'x', price: '-1', currency: 'EU' });
    // A check that needs the practice (the slot length) comes back on its field too.
    const lib = await createServiceAction(undefined, form({ profileId: demoId, ...serviceFields, durationMinutes: '20' }));
    expect(lib.fieldErrors).toEqual({ durationMinutes: [expect.stringMatching(/multiple of the practice's 15-minute slot length/)] });
    const rules = await createRulesAction(undefined, form({ profileId: demoId, 'weekdays[]': ['1'], startTime: '12:00', endTime: '14:00' }));
    expect(rules).toMatchObject({ error: 'Overlaps Monday 09:00–13:00.', fieldErrors: { startTime: ['Overlaps Monday 09:00–13:00.'] } });
    const settings = await updateSettingsAction(
      undefined,
      form({
        profileId: demoId,
        timeZone: 'Nowhere/Land',
        slotMinutes: '15',
        minNoticeMinutes: '120',
        horizonDays: '60',
        approvalWindowMinutes: '1440',
        reminderOffsetsMinutes: '1440, 120',
      }),
    );
    expect(Object.keys(settings.fieldErrors ?? {})).toEqual(['timeZone']);
    expect(await snapshot()).toEqual(before);
  });
});
