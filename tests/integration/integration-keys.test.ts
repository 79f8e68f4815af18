import { beforeAll, describe, expect, it, vi } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { auditLog, integrationKeys, profileMembers, profiles, users } from '@/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { DEMO_INTEGRATION_KEY } from '@/lib/demo/seed';
import { isDomainError, type ErrorCode } from '@/lib/errors';
import { pruneRateLimits } from '@/lib/rate-limit';
import { authenticateIntegrationKey, createIntegrationKey, listIntegrationKeys, revokeIntegrationKey } from '@/lib/integrations';
import { createIntegrationKeyAction, revokeIntegrationKeyAction } from '@/app/dashboard/integrations/actions';
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

let db: Db;
let admin: Actor;
let doctor: Actor;
let admin2: Actor;
let demoId: string;
let demo2Id: string;

async function refusal(call: Promise<unknown>): Promise<{ code: ErrorCode; message: string }> {
  try {
    await call;
  } catch (err) {
    if (isDomainError(err)) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error('expected a refusal');
}

const bearer = (key: string) => `Bearer ${key}`;

function form(values: Record<string, string>): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(values)) f.append(k, v);
  return f;
}

beforeAll(async () => {
  db = (await setupTestDb()).db;
  admin = await actorByEmail(db, 'admin@demo.test');
  doctor = await actorByEmail(db, 'doctor@demo.test');
  const [demo] = await db.select({ id: profiles.id }).from(profiles).where(eq(profiles.slug, 'demo'));
  const [demo2] = await db.select({ id: profiles.id }).from(profiles).where(eq(profiles.slug, 'demo-2'));
  demoId = demo.id;
  demo2Id = demo2.id;
  // demo-2 has no admin in the seed: its doctor becomes one too, for the cross-practice checks.
  const [doctor2] = await db.select({ id: users.id }).from(users).where(eq(users.email, 'doctor2@demo.test'));
  await db
    .update(profileMembers)
    .set({ roles: ['doctor', 'admin'] })
    .where(and(eq(profileMembers.profileId, demo2Id), eq(profileMembers.userId, doctor2.id)));
  admin2 = await actorByEmail(db, 'doctor2@demo.test');
});

describe('integration keys', () => {
  it('creates a key shown once, stored only as a hash, that authenticates for its practice', async () => {
    const created = await createIntegrationKey(admin, demoId, { name: '  Front-desk bot  ' });
    expect(created.key).toMatch(/^cst_[0-9a-f]{32}$/);
    expect(created.name).toBe('Front-desk bot');
    expect(created.key.startsWith(created.prefix)).toBe(true);
    expect(created.prefix.length).toBeLessThan(created.key.length - 20);

    const [row] = await db.select().from(integrationKeys).where(eq(integrationKeys.id, created.id));
    expect(JSON.stringify(row)).not.toContain(created.key);
    expect(JSON.stringify(row)).not.toContain(created.key.slice(4));
    expect(row.keyHash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.createdBy).toBe(admin.userId);

    const [entry] = await db.select().from(auditLog).where(and(eq(auditLog.entityId, created.id), eq(auditLog.action, 'integration_key.created')));
    expect(entry.profileId).toBe(demoId);
    expect(JSON.stringify(entry.details)).not.toContain(created.key.slice(4));

    // With the practice a request needs, read in the same statement (API bookings skip a round trip).
    expect(await authenticateIntegrationKey(bearer(created.key))).toEqual({
      keyId: created.id,
      profileId: demoId,
      slug: 'demo',
      practice: expect.objectContaining({ id: demoId, slug: 'demo', displayName: 'Dr. Ana García', timeZone: 'Europe/Madrid', approvalWindowMinutes: expect.any(Number) }),
    });
    // The scheme is case-insensitive (RFC 9110); the header's own surrounding spaces do not matter.
    expect((await authenticateIntegrationKey(`bearer   ${created.key} `))?.profileId).toBe(demoId);

    const keys = await listIntegrationKeys(admin, demoId, {});
    const listed = keys.find((k) => k.id === created.id)!;
    expect(listed).toMatchObject({ name: 'Front-desk bot', prefix: created.prefix, createdByName: admin.name, revokedAt: null });
    expect(listed.createdAt).toBeInstanceOf(Date);
    expect(JSON.stringify(keys)).not.toContain(created.key.slice(4));
  });

  it('no header is an anonymous call; every malformed header is unauthorized with one message', async () => {
    expect(await authenticateIntegrationKey(null)).toBeNull();
    expect(await authenticateIntegrationKey(undefined)).toBeNull();
    const created = await createIntegrationKey(admin, demoId, { name: 'Shape test' });
    const malformed = [
      '',
      '   ',
      'Bearer',
      'Bearer ',
      'Bearer x',
      'Bearer cst_',
      `Basic ${Buffer.from(`user:${created.key}`).toString('base64')}`,
      `Basic ${created.key}`,
      created.key,
      `Bearer ${created.key}\u0000`,
      `Bearer \u0000${created.key}`,
      `Bearer ${created.key.slice(0, 20)}\u0000${created.key.slice(20)}`,
      `Bearer ${created.key} ${created.key}`,
      `Bearer ${created.key},Bearer ${created.key}`,
      `Bearer\t${created.key}`,
      `Token ${created.key}`,
      `Bearer ${'a'.repeat(10_000)}`,
      `Bearer cst_${'0'.repeat(32)}`,
      `Bearer ${created.key.toUpperCase()}`,
    ];
    const messages = new Set<string>();
    for (const header of malformed) {
      const r = await refusal(authenticateIntegrationKey(header));
      expect(r.code, JSON.stringify(header.slice(0, 40))).toBe('unauthorized');
      messages.add(r.message);
    }
    await revokeIntegrationKey(admin, demoId, { keyId: created.id });
    const revoked = await refusal(authenticateIntegrationKey(bearer(created.key)));
    expect(revoked.code).toBe('unauthorized');
    messages.add(revoked.message);
    // Malformed, unknown and revoked read the same: the answer says not which.
    expect([...messages]).toHaveLength(1);
  });

  it('a revoked key is refused at once, even right after a successful call', async () => {
    const created = await createIntegrationKey(admin, demoId, { name: 'Revoke me' });
    expect((await authenticateIntegrationKey(bearer(created.key)))?.keyId).toBe(created.id);
    const revoked = await revokeIntegrationKey(admin, demoId, { keyId: created.id });
    expect(revoked).toMatchObject({ id: created.id, name: 'Revoke me', changed: true });
    expect((await refusal(authenticateIntegrationKey(bearer(created.key)))).code).toBe('unauthorized');

    // Revoking twice is harmless and keeps the first time.
    const again = await revokeIntegrationKey(admin, demoId, { keyId: created.id });
    expect(again.changed).toBe(false);
    expect(again.revokedAt.getTime()).toBe(revoked.revokedAt.getTime());
    const entries = await db.select().from(auditLog).where(and(eq(auditLog.entityId, created.id), eq(auditLog.action, 'integration_key.revoked')));
    expect(entries).toHaveLength(1);
    expect(entries[0].actorUserId).toBe(admin.userId);

    const listed = (await listIntegrationKeys(admin, demoId, {})).find((k) => k.id === created.id)!;
    expect(listed.revokedAt).toBeInstanceOf(Date);
  });

  it('records the last use at most once a minute', async () => {
    const created = await createIntegrationKey(admin, demoId, { name: 'Clock' });
    const lastUsed = async () => (await db.select({ at: integrationKeys.lastUsedAt }).from(integrationKeys).where(eq(integrationKeys.id, created.id)))[0].at;
    expect(await lastUsed()).toBeNull();
    const t0 = new Date('2030-01-01T10:00:00Z');
    await authenticateIntegrationKey(bearer(created.key), { now: t0 });
    expect((await lastUsed())?.toISOString()).toBe(t0.toISOString());
    await authenticateIntegrationKey(bearer(created.key), { now: new Date(t0.getTime() + 59_000) });
    expect((await lastUsed())?.toISOString()).toBe(t0.toISOString());
    const t1 = new Date(t0.getTime() + 61_000);
    await authenticateIntegrationKey(bearer(created.key), { now: t1 });
    expect((await lastUsed())?.toISOString()).toBe(t1.toISOString());
    const listed = (await listIntegrationKeys(admin, demoId, {})).find((k) => k.id === created.id)!;
    expect(listed.lastUsedAt?.toISOString()).toBe(t1.toISOString());

    // Many calls at once within the minute: all accepted, the time written once.
    const t2 = new Date(t1.getTime() + 120_000);
    const callers = await Promise.all(Array.from({ length: 20 }, () => authenticateIntegrationKey(bearer(created.key), { now: t2 })));
    expect(callers.every((c) => c?.keyId === created.id)).toBe(true);
    expect((await lastUsed())?.toISOString()).toBe(t2.toISOString());
  });

  it('counts a key’s calls per minute, refuses past its limit until the next minute, and the sweep drops old minutes', async () => {
    const created = await createIntegrationKey(admin, demoId, { name: 'Counted' });
    const limit = { limit: 3, windowSeconds: 60 };
    const t0 = new Date('2030-02-01T10:00:10Z');
    const calls = [];
    for (let i = 0; i < 5; i++) calls.push((await authenticateIntegrationKey(bearer(created.key), { now: t0, limit }))!.limited);
    expect(calls.map((c) => c?.allowed)).toEqual([true, true, true, false, false]);
    expect(calls[3]?.retryAfterSeconds).toBe(50);
    // The next minute starts again.
    expect((await authenticateIntegrationKey(bearer(created.key), { now: new Date(t0.getTime() + 60_000), limit }))?.limited?.allowed).toBe(true);
    // Counted in call_counts, an unlogged table: counting writes no WAL and waits for no flush.
    const persistence = await db.execute<{ relpersistence: string }>(sql`SELECT relpersistence FROM pg_class WHERE relname = 'call_counts'`);
    expect(persistence.rows[0]?.relpersistence).toBe('u');
    const counted = async () =>
      (await db.execute<{ n: number }>(sql`SELECT coalesce(sum(count), 0)::int AS n FROM call_counts WHERE key = ${`api:key:${created.id}`}`)).rows[0].n;
    expect(Number(await counted())).toBe(6);
    await pruneRateLimits(db, new Date(t0.getTime() + 2 * 86_400_000));
    expect(Number(await counted())).toBe(0);
  });

  it('the seeded demo key authenticates for demo', async () => {
    const caller = await authenticateIntegrationKey(bearer(DEMO_INTEGRATION_KEY));
    expect(caller).toMatchObject({ profileId: demoId, slug: 'demo' });
    const listed = (await listIntegrationKeys(admin, demoId, {})).find((k) => k.id === caller!.keyId)!;
    expect(listed).toMatchObject({ name: 'Demo WhatsApp bot', prefix: DEMO_INTEGRATION_KEY.slice(0, listed.prefix.length), revokedAt: null });
    expect(listed.lastUsedAt).toBeInstanceOf(Date);
    const [row] = await db.select().from(integrationKeys).where(eq(integrationKeys.id, caller!.keyId));
    expect(JSON.stringify(row)).not.toContain(DEMO_INTEGRATION_KEY.slice(9));
  });

  it('a key of a practice that is no longer active is refused', async () => {
    const created = await createIntegrationKey(admin2, demo2Id, { name: 'Paused practice' });
    expect((await authenticateIntegrationKey(bearer(created.key)))?.slug).toBe('demo-2');
    await db.update(profiles).set({ isActive: false }).where(eq(profiles.id, demo2Id));
    try {
      expect((await refusal(authenticateIntegrationKey(bearer(created.key)))).code).toBe('unauthorized');
    } finally {
      await db.update(profiles).set({ isActive: true }).where(eq(profiles.id, demo2Id));
    }
    await revokeIntegrationKey(admin2, demo2Id, { keyId: created.id });
  });
});

describe('who may manage keys', () => {
  it('an admin of demo-2 cannot list, create or revoke keys of demo; its own practice is separate', async () => {
    const demoKey = await createIntegrationKey(admin, demoId, { name: 'Demo only' });
    const before = await db.select().from(integrationKeys);

    expect((await refusal(listIntegrationKeys(admin2, demoId, {}))).code).toBe('not_found');
    expect((await refusal(createIntegrationKey(admin2, demoId, { name: 'Intruder' }))).code).toBe('not_found');
    expect((await refusal(revokeIntegrationKey(admin2, demoId, { keyId: demoKey.id }))).code).toBe('not_found');
    // Through its own practice, demo's key does not exist.
    expect((await refusal(revokeIntegrationKey(admin2, demo2Id, { keyId: demoKey.id }))).code).toBe('not_found');
    expect((await refusal(revokeIntegrationKey(admin2, demo2Id, { keyId: 'not-a-uuid' }))).code).toBe('not_found');
    const own = await listIntegrationKeys(admin2, demo2Id, {});
    expect(own.some((k) => k.id === demoKey.id)).toBe(false);

    expect(await db.select().from(integrationKeys)).toEqual(before);
    expect((await authenticateIntegrationKey(bearer(demoKey.key)))?.slug).toBe('demo');
  });

  it('a doctor of demo is forbidden; signed out is unauthorized', async () => {
    const demoKey = await createIntegrationKey(admin, demoId, { name: 'Doctor cannot' });
    expect((await refusal(listIntegrationKeys(doctor, demoId, {}))).code).toBe('forbidden');
    expect((await refusal(createIntegrationKey(doctor, demoId, { name: 'Mine' }))).code).toBe('forbidden');
    expect((await refusal(revokeIntegrationKey(doctor, demoId, { keyId: demoKey.id }))).code).toBe('forbidden');
    expect((await refusal(listIntegrationKeys(null, demoId, {}))).code).toBe('unauthorized');
    expect((await refusal(createIntegrationKey(null, demoId, { name: 'Anon' }))).code).toBe('unauthorized');
    expect((await authenticateIntegrationKey(bearer(demoKey.key)))?.keyId).toBe(demoKey.id);
  });

  it('a name is required, one line, at most 80 characters', async () => {
    for (const name of ['', '   ', 'a\u0000b', 'two\nlines', 'x'.repeat(81), '\u202Eevil']) {
      const r = await refusal(createIntegrationKey(admin, demoId, { name }));
      expect(r.code).toBe('invalid_request');
    }
    expect((await refusal(createIntegrationKey(admin, demoId, {} as never))).code).toBe('invalid_request');
  });
});

describe('the dashboard actions', () => {
  it('create shows the key in the answer once; revoke refuses it at once', async () => {
    session.actor = admin;
    const created = await createIntegrationKeyAction(undefined, form({ profileId: demoId, name: 'From the form' }));
    expect(created.ok).toBe(true);
    const key = created.values?.key;
    expect(key).toMatch(/^cst_[0-9a-f]{32}$/);
    const caller = await authenticateIntegrationKey(bearer(key!));
    expect(caller?.slug).toBe('demo');

    const revoked = await revokeIntegrationKeyAction(undefined, form({ profileId: demoId, keyId: caller!.keyId }));
    expect(revoked.ok).toBe(true);
    expect((await refusal(authenticateIntegrationKey(bearer(key!)))).code).toBe('unauthorized');

    session.actor = doctor;
    const refused = await createIntegrationKeyAction(undefined, form({ profileId: demoId, name: 'Doctor' }));
    expect(refused.ok).toBeUndefined();
    expect(refused.error).toMatch(/admin/i);
    expect(refused.values?.key).toBeUndefined();

    session.actor = admin2;
    const foreign = await revokeIntegrationKeyAction(undefined, form({ profileId: demoId, keyId: caller!.keyId }));
    expect(foreign.error).toBeTruthy();
    session.actor = null;
  });
});
