import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Client } from 'pg';
import { eq, sql } from 'drizzle-orm';
import { neonConfig } from '@neondatabase/serverless';
import ws from 'ws';
import { migrateDatabase, openDatabase, type DbHandle } from '@/db/client';
import { profiles, timeSlots } from '@/db/schema';
import { executePrepared, lockedTransaction } from '@/lib/db';
import { pgErrorCode } from '@/lib/errors';
import { withDatabase } from '../helpers/pg-url';
import { startWsProxy } from '../helpers/ws-proxy';

// The production driver (Neon's WebSocket Pool) against the machine's Postgres behind a
// WebSocket-to-TCP proxy, as Neon's own proxy does. Needs TEST_DATABASE_URL.
const config = inject('testDb');
const enabled = config.kind === 'postgres';

describe.skipIf(!enabled)('Neon serverless driver', () => {
  let proxy: Awaited<ReturnType<typeof startWsProxy>>;
  let handle: DbHandle;
  let admin: Client;
  const name = enabled ? `${config.prefix}_neon_${randomBytes(3).toString('hex')}` : '';

  beforeAll(async () => {
    if (config.kind !== 'postgres') return;
    admin = new Client({ connectionString: withDatabase(config.serverUrl, 'postgres') });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`); // empty: the migrations run through Neon
    proxy = await startWsProxy();
    neonConfig.webSocketConstructor = ws;
    neonConfig.wsProxy = (host, port) => `127.0.0.1:${proxy.port}/v1?address=${host}:${port}`;
    neonConfig.useSecureWebSocket = false;
    neonConfig.pipelineTLS = false;
    neonConfig.pipelineConnect = false;
    handle = await openDatabase({ driver: 'neon', url: withDatabase(config.serverUrl, name) });
  });

  afterAll(async () => {
    await handle?.close();
    await proxy?.close();
    await admin?.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin?.end();
  });

  it('runs the migrations, commits a transaction and rolls one back', async () => {
    await migrateDatabase(handle);
    const { db } = handle;
    const ext = await db.execute<{ extname: string }>(sql`SELECT extname FROM pg_extension WHERE extname = 'btree_gist'`);
    expect(ext.rows).toHaveLength(1);

    const slug = `neon-${Date.now()}`;
    const profileId = await db.transaction(async (tx) => {
      const [p] = await tx.insert(profiles).values({ slug, displayName: 'Neon practice' }).returning({ id: profiles.id });
      await tx.insert(timeSlots).values({
        profileId: p.id,
        startsAt: new Date('2030-01-07T09:00:00Z'),
        endsAt: new Date('2030-01-07T09:30:00Z'),
      });
      return p.id;
    });

    // A transaction that hits the exclusion constraint leaves nothing behind.
    const err = await db
      .transaction(async (tx) => {
        await tx.insert(timeSlots).values({ profileId, startsAt: new Date('2030-01-07T10:00:00Z'), endsAt: new Date('2030-01-07T10:30:00Z') });
        await tx.insert(timeSlots).values({ profileId, startsAt: new Date('2030-01-07T09:15:00Z'), endsAt: new Date('2030-01-07T09:45:00Z') });
      })
      .then(() => null, (e: unknown) => e);
    expect(pgErrorCode(err)).toBe('23P01');
    const rows = await db.select({ id: timeSlots.id }).from(timeSlots).where(eq(timeSlots.profileId, profileId));
    expect(rows).toHaveLength(1);
  });

  it('begins a transaction with its advisory locks (one simple query), commits and rolls back', async () => {
    const { db } = handle;
    const locks = sql`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()`;
    const held = await lockedTransaction(db, ["neon-key-'a'", 'neon-key-b'], async (tx) => {
      await tx.insert(profiles).values({ slug: 'neon-locked', displayName: 'Neon locked' });
      return Number((await tx.execute<{ n: number }>(locks)).rows[0].n);
    });
    expect(held).toBe(2);
    const err = await lockedTransaction(db, ['neon-key-c'], async (tx) => {
      await tx.insert(profiles).values({ slug: 'neon-rolled-back', displayName: 'Neon rolled back' });
      throw new Error('refused');
    }).then(
      () => null,
      (e: unknown) => e,
    );
    expect((err as Error).message).toBe('refused');
    const slugs = (await db.select({ slug: profiles.slug }).from(profiles)).map((p) => p.slug);
    expect(slugs).toContain('neon-locked');
    expect(slugs).not.toContain('neon-rolled-back');
    expect(Number((await db.execute<{ n: number }>(locks)).rows[0].n)).toBe(0);
  });

  it('pipelines a transaction’s first statement with BEGIN and the locks, and its last with COMMIT', async () => {
    const { db } = handle;
    // The first call on a connection parses the statements one round trip each; the next ones
    // on that connection go out pipelined (the pool has several connections: enough calls reach each).
    for (let i = 0; i < 12; i++) {
      const slug = `neon-pipelined-${i}`;
      const seen = await lockedTransaction(db, [`neon-pipeline-${i}`, 'neon-pipeline-shared'], async (tx) => {
        const first = await executePrepared<{ n: number }>(tx, sql`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted`);
        await executePrepared(tx, sql`INSERT INTO profiles (slug, display_name) VALUES (${slug}, ${'Neon pipelined'})`, { commit: true });
        return Number(first.rows[0].n);
      });
      expect(seen).toBe(2);
      expect((await db.select({ id: profiles.id }).from(profiles).where(eq(profiles.slug, slug))).length).toBe(1);
    }
    // A failing last statement rolls the whole transaction back.
    const err = await lockedTransaction(db, ['neon-pipeline-x', 'neon-pipeline-shared'], async (tx) => {
      await executePrepared(tx, sql`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted`);
      await tx.insert(profiles).values({ slug: 'neon-pipelined-lost', displayName: 'Lost' });
      await executePrepared(tx, sql`INSERT INTO profiles (slug, display_name) VALUES (${'neon-pipelined-0'}, ${'Neon pipelined'})`, { commit: true });
    }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(pgErrorCode(err)).toBe('23505');
    expect(await db.select({ id: profiles.id }).from(profiles).where(eq(profiles.slug, 'neon-pipelined-lost'))).toHaveLength(0);
  });
});
