import { beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import type { DbHandle } from '@/db/client';
import { auditLog, profiles, timeSlots } from '@/db/schema';
import { DEMO_PASSWORD, seedDemo } from '@/lib/demo/seed';
import { authenticate, MAX_FAILED_SIGN_INS } from '@/lib/auth/credentials';
import { authorize } from '@/lib/auth/permissions';
import { DomainError } from '@/lib/errors';
import { getPracticeOverview } from '@/lib/practice/overview';
import { setupTestDb } from '../helpers/db';
import { actorByEmail } from '../helpers/actors';

let handle: DbHandle;

beforeAll(async () => {
  handle = await setupTestDb({ empty: true });
  expect(await seedDemo(handle.db)).toBe(true);
});

describe('demo seed', () => {
  it('creates both practices, their members and 60 days of slots, once', async () => {
    const { db } = handle;
    const rows = await db.select({ id: profiles.id, slug: profiles.slug, tz: profiles.timeZone }).from(profiles);
    expect(rows.map((r) => r.slug).sort()).toEqual(['demo', 'demo-2']);
    const demo = rows.find((r) => r.slug === 'demo')!;
    const slots = await db.execute<{ n: number; first: Date; last: Date }>(
      sql`SELECT count(*)::int AS n, min(starts_at) AS first, max(starts_at) AS last FROM time_slots WHERE profile_id = ${demo.id}`,
    );
    const { n, last } = slots.rows[0];
    // 7 hours a weekday in 15-minute slots: 28 a day, about 43 weekdays in 60 days.
    expect(Number(n)).toBeGreaterThan(28 * 40);
    expect(new Date(last).getTime() - Date.now()).toBeGreaterThan(58 * 86_400_000);
    expect(await seedDemo(db)).toBe(false);
  });

  it('lets the demo doctor sign in with the demo password', async () => {
    const result = await authenticate(handle.db, 'Doctor@Demo.test', DEMO_PASSWORD, { address: '198.51.100.1', userAgent: null });
    expect(result.ok).toBe(true);
  });
});

describe('tenancy', () => {
  it('gives a doctor of demo-2 nothing of demo', async () => {
    const { db } = handle;
    const doctor2 = await actorByEmail(db, 'doctor2@demo.test');
    const [demo] = await db.select({ id: profiles.id }).from(profiles).where(eq(profiles.slug, 'demo'));
    expect(doctor2.memberships.map((m) => m.slug)).toEqual(['demo-2']);
    expect(() => authorize(doctor2, demo.id, 'practice.view')).toThrow(DomainError);
    await expect(getPracticeOverview(doctor2, demo.id)).rejects.toMatchObject({ code: 'not_found' });

    const doctor = await actorByEmail(db, 'doctor@demo.test');
    const overview = await getPracticeOverview(doctor, demo.id);
    expect(overview.practice.slug).toBe('demo');
    expect(overview.roles).toEqual(['doctor']);
  });

  it('refuses a role the member does not have', async () => {
    const doctor = await actorByEmail(handle.db, 'doctor@demo.test');
    const demoId = doctor.memberships[0].profileId;
    expect(() => authorize(doctor, demoId, 'audit.read')).toThrow(/admin/);
  });
});

describe('sign-in throttling', () => {
  // Issue 13 changed this premise: failures no longer lock the account everywhere. They throttle
  // the address that sent them (with the right password too), while the person at an address
  // they signed in from before still gets in.
  it('refuses the guessing address after repeated failures, even with the right password, lets the usual address in, and audits each try', async () => {
    const { db } = handle;
    const usual = { address: '198.51.100.7', userAgent: 'usual' };
    const attacker = { address: '203.0.113.9', userAgent: 'attacker' };
    expect((await authenticate(db, 'admin@demo.test', DEMO_PASSWORD, usual)).ok).toBe(true);
    for (let i = 0; i < MAX_FAILED_SIGN_INS; i++) {
      expect(await authenticate(db, 'admin@demo.test', 'wrong-password', attacker)).toEqual({ ok: false, reason: 'invalid' });
    }
    const refused = await authenticate(db, 'admin@demo.test', DEMO_PASSWORD, attacker);
    expect(refused).toMatchObject({ ok: false, reason: 'throttled' });
    expect((refused as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(0);
    // The person at their usual address is not locked out by it.
    expect((await authenticate(db, 'admin@demo.test', DEMO_PASSWORD, usual)).ok).toBe(true);
    // Another e-mail is not affected.
    expect((await authenticate(db, 'doctor2@demo.test', DEMO_PASSWORD, usual)).ok).toBe(true);
    const failures = await db
      .select({ details: auditLog.details })
      .from(auditLog)
      .where(and(eq(auditLog.action, 'auth.sign_in_failed')));
    expect(failures.length).toBe(MAX_FAILED_SIGN_INS + 1);
    expect(failures.every((f) => (f.details as { address: string }).address === attacker.address)).toBe(true);
    expect(failures.map((f) => (f.details as { outcome: string }).outcome).sort()).toEqual([
      'throttled',
      ...Array(MAX_FAILED_SIGN_INS).fill('wrong_password'),
    ]);
  });

  it('does not reveal whether an e-mail exists', async () => {
    expect(await authenticate(handle.db, 'nobody@demo.test', 'whatever', { address: '198.51.100.2', userAgent: null })).toEqual({
      ok: false,
      reason: 'invalid',
    });
  });
});

describe('slots', () => {
  it('materializes only available future slots for the seed', async () => {
    const statuses = await handle.db.selectDistinct({ status: timeSlots.status }).from(timeSlots);
    expect(statuses.map((s) => s.status)).toEqual(['available']);
  });
});

describe('demo history', () => {
  it('adds past appointments with their reserved slots, once', async () => {
    const { seedDemoHistory } = await import('@/lib/demo/seed');
    const { reservations } = await import('@/db/schema');
    await seedDemoHistory(handle.db);
    await seedDemoHistory(handle.db);
    const rows = await handle.db.select({ status: reservations.status, startsAt: reservations.startsAt }).from(reservations);
    expect(rows).toHaveLength(3);
    expect(rows.every((r) => r.startsAt < new Date())).toBe(true);
    const reserved = await handle.db.select({ id: timeSlots.id }).from(timeSlots).where(eq(timeSlots.status, 'reserved'));
    expect(reserved).toHaveLength(6);
  });
});
