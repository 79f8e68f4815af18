import { beforeAll, describe, expect, it, vi } from 'vitest';
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { auditLog, medicalServices, profiles } from '@/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { forgetPublicProfiles, getPublicProfile } from '@/lib/availability/public-profile';
import { createService, getService, listServices, setServiceActive, updateService } from '@/lib/catalog';
import { formatMoney, fromMinorUnits, toMinorUnits } from '@/lib/catalog/money';
import { editableSettings, getSettings, updateSettings } from '@/lib/practice/settings';
import { serviceInputSchema, type ServiceInput } from '@/lib/validation/catalog';
import { setupTestDb } from '../helpers/db';
import { actorByEmail } from '../helpers/actors';

let db: Db;
let admin: Actor;
let demoId: string;
let demo2Id: string;

const valid: ServiceInput = {
  name: 'Vaccination',
  description: 'One dose, with the certificate.',
  durationMinutes: 15,
  priceAmount: 2500,
  currency: 'EUR',
};

beforeAll(async () => {
  db = (await setupTestDb()).db;
  admin = await actorByEmail(db, 'admin@demo.test');
  const rows = await db.select({ id: profiles.id, slug: profiles.slug }).from(profiles);
  demoId = rows.find((r) => r.slug === 'demo')!.id;
  demo2Id = rows.find((r) => r.slug === 'demo-2')!.id;
});

async function serviceRows(profileId: string) {
  return db.select().from(medicalServices).where(eq(medicalServices.profileId, profileId)).orderBy(asc(medicalServices.id));
}

async function auditRows(action: string, entityId?: string) {
  return db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, action), entityId ? eq(auditLog.entityId, entityId) : undefined))
    .orderBy(asc(auditLog.id));
}

describe('service catalog', () => {
  it('creates a service with an audit entry', async () => {
    const service = await createService(admin, demoId, valid);
    expect(service).toMatchObject({ ...valid, isActive: true });
    const [row] = await db.select().from(medicalServices).where(eq(medicalServices.id, service.id));
    expect(row.profileId).toBe(demoId);
    const entries = await auditRows('service.created', service.id);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ profileId: demoId, actorUserId: admin.userId, actorKind: 'user', entityType: 'medical_service' });
    expect(entries[0].details).toMatchObject({ name: 'Vaccination', durationMinutes: 15, priceAmount: 2500, currency: 'EUR' });
  });

  it('trims the name and upper-cases the currency', async () => {
    const service = await createService(admin, demoId, { ...valid, name: '  Travel advice  ', currency: 'usd' });
    expect(service.name).toBe('Travel advice');
    expect(service.currency).toBe('USD');
  });

  const invalid: [string, Partial<ServiceInput> & Record<string, unknown>, string, RegExp][] = [
    ['an empty name', { name: '   ' }, 'name', /Enter a name/],
    ['a name over 120 characters', { name: 'x'.repeat(121) }, 'name', /120/],
    ['a description over 2000 characters', { description: 'x'.repeat(2001) }, 'description', /2,?000/],
    ['a duration under 5 minutes', { durationMinutes: 4 }, 'durationMinutes', /5 to 480/],
    ['a duration over 480 minutes', { durationMinutes: 495 }, 'durationMinutes', /5 to 480/],
    ['a fractional duration', { durationMinutes: 15.5 }, 'durationMinutes', /whole number/],
    ['a duration that is not a multiple of the slot length', { durationMinutes: 20 }, 'durationMinutes', /multiple of the practice's 15-minute slot/],
    ['a negative price', { priceAmount: -1 }, 'priceAmount', /negative/],
    ['a fractional price', { priceAmount: 10.5 }, 'priceAmount', /whole minor units/],
    ['a currency that is not 3 letters', { currency: 'EURO' }, 'currency', /3-letter/],
    ['an unknown currency', { currency: 'ZZZ' }, 'currency', /not an ISO 4217/],
  ];

  it.each(invalid)('refuses %s on its field and saves nothing', async (_label, change, field, message) => {
    const before = await serviceRows(demoId);
    const auditBefore = await auditRows('service.created');
    const error = await createService(admin, demoId, { ...valid, ...change } as ServiceInput).catch((e) => e);
    expect(error).toMatchObject({ name: 'DomainError', code: 'invalid_request' });
    expect(Object.keys(error.fields)).toEqual([field]);
    expect(error.fields[field]).toMatch(message);
    expect(await serviceRows(demoId)).toEqual(before);
    expect(await auditRows('service.created')).toEqual(auditBefore);
  });

  it('refuses the same bad fields on update and changes nothing', async () => {
    const [target] = await listServices(admin, demoId);
    const before = await serviceRows(demoId);
    await expect(updateService(admin, demoId, { serviceId: target.id, ...valid, durationMinutes: 50 })).rejects.toMatchObject({
      fields: { durationMinutes: expect.stringMatching(/multiple/) },
    });
    await expect(updateService(admin, demoId, { serviceId: target.id, ...valid, name: '' })).rejects.toMatchObject({
      fields: { name: expect.any(String) },
    });
    expect(await serviceRows(demoId)).toEqual(before);
  });

  it('edits a service and audits only the changed fields', async () => {
    const created = await createService(admin, demoId, { ...valid, name: 'Blood test' });
    const updated = await updateService(admin, demoId, { serviceId: created.id, ...valid, name: 'Blood test', priceAmount: 3000, durationMinutes: 30 });
    expect(updated).toMatchObject({ name: 'Blood test', priceAmount: 3000, durationMinutes: 30 });
    expect(updated.updatedAt.getTime()).toBeGreaterThanOrEqual(created.updatedAt.getTime());
    const [entry] = await auditRows('service.updated', created.id);
    expect(entry.details).toEqual({ priceAmount: { from: 2500, to: 3000 }, durationMinutes: { from: 15, to: 30 } });

    // Saving the same values again is not a change.
    await updateService(admin, demoId, { serviceId: created.id, ...valid, name: 'Blood test', priceAmount: 3000, durationMinutes: 30 });
    expect(await auditRows('service.updated', created.id)).toHaveLength(1);
  });

  it('deactivates (soft delete) and reactivates with audit entries', async () => {
    const created = await createService(admin, demoId, { ...valid, name: 'Ear cleaning' });
    const off = await setServiceActive(admin, demoId, { serviceId: created.id, active: false });
    expect(off.isActive).toBe(false);
    expect((await listServices(admin, demoId)).map((s) => s.id)).not.toContain(created.id);
    const all = await listServices(admin, demoId, { includeInactive: true });
    expect(all.find((s) => s.id === created.id)?.isActive).toBe(false);
    // Active services are listed first.
    expect(all.findIndex((s) => !s.isActive)).toBeGreaterThan(all.findLastIndex((s) => s.isActive));
    expect(await getService(admin, demoId, { serviceId: created.id })).toMatchObject({ isActive: false });

    // Deactivating again changes nothing.
    await setServiceActive(admin, demoId, { serviceId: created.id, active: false });
    expect(await auditRows('service.deactivated', created.id)).toHaveLength(1);

    const on = await setServiceActive(admin, demoId, { serviceId: created.id, active: true });
    expect(on.isActive).toBe(true);
    const [entry] = await auditRows('service.reactivated', created.id);
    expect(entry.details).toEqual({ isActive: { from: false, to: true } });
  });

  it('refuses to reactivate a service that no longer fits the slot length', async () => {
    await updateSettings(admin, demoId, { ...(await settingsInput()), slotMinutes: 5 });
    const odd = await createService(admin, demoId, { ...valid, name: 'Injection', durationMinutes: 25 });
    await setServiceActive(admin, demoId, { serviceId: odd.id, active: false });
    // Only active services must fit the slot length; the inactive 25-minute one does not block this.
    await updateSettings(admin, demoId, { ...(await settingsInput()), slotMinutes: 15 });
    await expect(setServiceActive(admin, demoId, { serviceId: odd.id, active: true })).rejects.toMatchObject({
      code: 'invalid_request',
      message: expect.stringMatching(/25 minutes.*15-minute slot length/),
    });
    expect((await getService(admin, demoId, { serviceId: odd.id })).isActive).toBe(false);
  });

  it("treats another practice's service as not found, even with its own practice id", async () => {
    const [foreign] = await serviceRows(demo2Id);
    const before = await serviceRows(demo2Id);
    for (const attempt of [
      () => updateService(admin, demoId, { serviceId: foreign.id, ...valid }),
      () => setServiceActive(admin, demoId, { serviceId: foreign.id, active: false }),
      () => getService(admin, demoId, { serviceId: foreign.id }),
      () => updateService(admin, demo2Id, { serviceId: foreign.id, ...valid }),
      () => createService(admin, demo2Id, valid),
      () => listServices(admin, demo2Id),
      () => updateService(admin, demoId, { serviceId: 'not-a-uuid', ...valid }),
    ]) {
      await expect(attempt()).rejects.toMatchObject({ code: 'not_found' });
    }
    expect(await serviceRows(demo2Id)).toEqual(before);
  });

  it('lets a doctor read the catalog but not change it', async () => {
    const doctor = await actorByEmail(db, 'doctor@demo.test');
    expect((await listServices(doctor, demoId)).length).toBeGreaterThan(0);
    const before = await serviceRows(demoId);
    await expect(createService(doctor, demoId, valid)).rejects.toMatchObject({ code: 'forbidden' });
    const [target] = before;
    await expect(updateService(doctor, demoId, { serviceId: target.id, ...valid })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(setServiceActive(doctor, demoId, { serviceId: target.id, active: false })).rejects.toMatchObject({ code: 'forbidden' });
    expect(await serviceRows(demoId)).toEqual(before);
  });
});

describe('the public profile, kept by the server (production)', () => {
  it('is read once and kept; a catalog or settings change through lib is shown at once', async () => {
    vi.stubEnv('NODE_ENV', 'production');
    try {
      const created = await createService(admin, demoId, { ...valid, name: 'Kept service' });
      const names = async () => (await getPublicProfile('demo')).services.map((s) => s.name);
      expect(await names()).toContain('Kept service');
      // Changed behind lib's back: the kept profile is still served (no query).
      await db.update(medicalServices).set({ name: 'Changed by SQL' }).where(eq(medicalServices.id, created.id));
      expect(await names()).toContain('Kept service');
      // Through lib: forgotten when the change commits.
      await updateService(admin, demoId, { serviceId: created.id, ...valid, name: 'Renamed service' });
      expect(await names()).toContain('Renamed service');
      await setServiceActive(admin, demoId, { serviceId: created.id, active: false });
      expect(await names()).not.toContain('Renamed service');
      const settings = editableSettings(await getSettings(admin, demoId));
      await updateSettings(admin, demoId, { ...settings, cancellationPolicy: 'Cancel a day ahead, please.' });
      expect((await getPublicProfile('demo')).cancellationPolicy).toBe('Cancel a day ahead, please.');
      await updateSettings(admin, demoId, settings);
    } finally {
      forgetPublicProfiles();
      vi.unstubAllEnvs();
    }
  });
});

describe('the service form', () => {
  const form = { profileId: 'p', name: 'Check', description: '', durationMinutes: '30', price: '45.00', currency: 'EUR' };

  it('turns a decimal price in major units into minor units', () => {
    const parse = (change: Record<string, string> = {}) => serviceInputSchema.parse({ ...form, ...change });
    expect(parse()).toEqual({ name: 'Check', description: '', durationMinutes: 30, priceAmount: 4500, currency: 'EUR' });
    expect(parse({ price: '45,5' }).priceAmount).toBe(4550);
    expect(parse({ price: '4500', currency: 'jpy' }).priceAmount).toBe(4500);
    expect(parse({ price: '1.250', currency: 'KWD' }).priceAmount).toBe(1250);
  });

  it.each([
    [{ price: '' }, 'price'],
    [{ price: '-5' }, 'price'],
    [{ price: '45.001' }, 'price'],
    [{ price: '12.5', currency: 'JPY' }, 'price'],
    [{ price: 'free' }, 'price'],
    [{ durationMinutes: '' }, 'durationMinutes'],
    [{ durationMinutes: 'half an hour' }, 'durationMinutes'],
    [{ currency: 'XX' }, 'currency'],
    [{ name: '' }, 'name'],
  ])('puts %o on its field', (change, field) => {
    const result = serviceInputSchema.safeParse({ ...form, ...change });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => i.path[0])).toEqual([field]);
  });

  it('round-trips and formats minor units by the currency', () => {
    expect(fromMinorUnits(4500, 'EUR')).toBe('45.00');
    expect(fromMinorUnits(5, 'EUR')).toBe('0.05');
    expect(fromMinorUnits(4500, 'JPY')).toBe('4500');
    expect(toMinorUnits(fromMinorUnits(1234567, 'EUR'), 'EUR')).toBe(1234567);
    expect(formatMoney(4500, 'EUR')).toBe('€45.00');
    expect(formatMoney(4500, 'JPY')).toBe('JP¥4,500');
  });
});

async function settingsInput() {
  return editableSettings(await getSettings(admin, demoId));
}
