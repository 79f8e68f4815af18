import { beforeAll, describe, expect, it } from 'vitest';
import type { Pool, PoolClient } from 'pg';
import { eq, sql } from 'drizzle-orm';
import type { DbHandle } from '@/db/client';
import { profiles } from '@/db/schema';
import { executePrepared, lockedTransaction, takeLocks, transaction } from '@/lib/db';
import { setupTestDb, testDbKind } from '../helpers/db';

// lib/db's lockedTransaction: on node-postgres BEGIN and the advisory locks go out with the
// transaction's first statement in one round trip (pipelined), on PGlite as statements of their
// own. Either way the transaction holds the locks before its first statement runs, commits, rolls
// back, and gives its connection back.
let handle: DbHandle;

beforeAll(async () => {
  handle = await setupTestDb({ empty: true });
});

const advisoryLocksHeld = sql`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()`;

describe('lockedTransaction', () => {
  it('holds its locks from the start and commits', async () => {
    const { db } = handle;
    // A key a client could choose (quotes, a backslash) is a literal, never SQL.
    const keys = [`idempotency:x:it's\\'; DROP TABLE profiles; --`, 'contact:x:phone:+34600000000'];
    const held = await lockedTransaction(db, keys, async (tx) => {
      const n = Number((await tx.execute<{ n: number }>(advisoryLocksHeld)).rows[0].n);
      await takeLocks(tx, keys); // already held: nothing sent, nothing taken twice
      const again = Number((await tx.execute<{ n: number }>(advisoryLocksHeld)).rows[0].n);
      await tx.insert(profiles).values({ slug: 'locked-commit', displayName: 'Committed' });
      return { n, again };
    });
    // PGlite's single backend may hold other sessions' locks too: at least ours.
    if (testDbKind() === 'postgres') expect(held).toEqual({ n: 2, again: 2 });
    else expect(held.again).toBe(held.n);
    expect(await db.select({ id: profiles.id }).from(profiles).where(eq(profiles.slug, 'locked-commit'))).toHaveLength(1);
    // Released at commit.
    expect(Number((await db.execute<{ n: number }>(advisoryLocksHeld)).rows[0].n)).toBe(0);
  });

  it('rolls back everything when the work throws, and the connection serves the next caller', async () => {
    const { db } = handle;
    const err = await lockedTransaction(db, ['rollback-key'], async (tx) => {
      await tx.insert(profiles).values({ slug: 'locked-rollback', displayName: 'Rolled back' });
      throw new Error('refused');
    }).then(
      () => null,
      (e: unknown) => e,
    );
    expect((err as Error).message).toBe('refused');
    expect(await db.select({ id: profiles.id }).from(profiles).where(eq(profiles.slug, 'locked-rollback'))).toHaveLength(0);
    // A failed statement inside: the transaction is rolled back, the error is the statement's.
    const failed = await lockedTransaction(db, ['rollback-key'], (tx) => tx.execute(sql`SELECT 1/0`)).then(
      () => null,
      (e: unknown) => e,
    );
    expect(failed).toBeTruthy();
    // The first statement fails inside the pipeline (BEGIN, locks, it): rolled back, then reusable.
    for (let i = 0; i < 25; i++) {
      const divisor = i % 5 === 0 ? 0 : 1;
      const outcome = await lockedTransaction(db, [`k${i}`], async (tx) => {
        const first = await executePrepared<{ one: number }>(tx, sql`SELECT 1 / ${divisor}::int AS one`);
        await tx.insert(profiles).values({ slug: `pipelined-${i}`, displayName: 'Pipelined' });
        return Number(first.rows[0].one);
      }).then(
        (one) => one,
        (e: unknown) => e,
      );
      if (divisor) expect(outcome).toBe(1);
      else expect(outcome).toBeInstanceOf(Error);
    }
    const made = (await db.select({ slug: profiles.slug }).from(profiles)).map((p) => p.slug).filter((slug) => slug.startsWith('pipelined-'));
    expect(made.sort()).toEqual(Array.from({ length: 25 }, (_, i) => i).filter((i) => i % 5 !== 0).map((i) => `pipelined-${i}`).sort());
  });

  it('runs the first statement after the locks are granted, on a snapshot that sees the holder’s commit', async () => {
    const { db } = handle;
    // Three rounds: a statement's first use on a connection goes one round trip at a time (it is
    // parsed there); the pool hands the same connections back, so later rounds go out pipelined.
    for (let round = 0; round < 3; round++) {
      const slug = `snapshot-first-${round}`;
      const held = deferred();
      const started = deferred();
      const first = lockedTransaction(db, ['snapshot-key'], async (tx) => {
        await executePrepared(tx, sql`SELECT 1`);
        started.resolve();
        await held.promise;
        await tx.insert(profiles).values({ slug, displayName: 'First' });
      });
      await started.promise;
      const second = lockedTransaction(db, ['snapshot-key'], async (tx) => {
        // Sent with BEGIN and the lock: it waits for the lock, then must see the first one's row.
        const seen = await executePrepared<{ n: number }>(tx, sql`SELECT count(*)::int AS n FROM profiles WHERE slug = ${slug}`);
        return Number(seen.rows[0].n);
      });
      await new Promise((r) => setTimeout(r, 100));
      held.resolve();
      await first;
      expect(await second).toBe(1);
    }
  });

  it.skipIf(testDbKind() !== 'postgres')('makes a second holder of the same key wait for the first to commit', async () => {
    const { db } = handle;
    const order: string[] = [];
    const firstHolds = deferred();
    const started = deferred();
    // The locks are taken with a transaction's first statement (one that runs none takes none).
    const first = lockedTransaction(db, ['shared-key'], async (tx) => {
      await tx.execute(sql`SELECT 1`);
      order.push('first in');
      started.resolve();
      await firstHolds.promise;
      order.push('first out');
    });
    await started.promise;
    const second = lockedTransaction(db, ['other-key', 'shared-key'], async (tx) => {
      await executePrepared(tx, sql`SELECT 1`);
      order.push('second in');
    });
    await new Promise((r) => setTimeout(r, 150));
    expect(order).toEqual(['first in']);
    firstHolds.resolve();
    await Promise.all([first, second]);
    expect(order).toEqual(['first in', 'first out', 'second in']);
  });

  it('sends the last statement with its COMMIT: committed, nothing may follow, a failure rolls it all back', async () => {
    const { db } = handle;
    const slug = (name: string) => sql`SELECT count(*)::int AS n FROM profiles WHERE slug = ${name}`;
    const count = async (name: string) => Number((await db.execute<{ n: number }>(slug(name))).rows[0].n);
    // BEGIN, the locks, the statement and COMMIT at once (nothing ran before it).
    await lockedTransaction(db, ['last-key'], (tx) =>
      executePrepared(tx, sql`INSERT INTO profiles (slug, display_name) VALUES (${'last-only'}, 'Last') RETURNING id`, { commit: true }),
    );
    expect(await count('last-only')).toBe(1);
    const after = await lockedTransaction(db, ['last-key'], async (tx) => {
      await tx.insert(profiles).values({ slug: 'last-first', displayName: 'First' });
      await executePrepared(tx, sql`INSERT INTO profiles (slug, display_name) VALUES (${'last-second'}, 'Second')`, { commit: true });
      return tx.insert(profiles).values({ slug: 'last-third', displayName: 'Third' }).then(
        () => null,
        (e: unknown) => e,
      );
    });
    if (testDbKind() === 'postgres') {
      expect((after as Error).message).toMatch(/committed with its last statement/);
      expect(await count('last-third')).toBe(0);
    }
    expect(await count('last-first')).toBe(1);
    expect(await count('last-second')).toBe(1);
    // The last statement fails (a duplicate slug): the earlier one is rolled back with it.
    const failed = await lockedTransaction(db, ['last-key'], async (tx) => {
      await tx.insert(profiles).values({ slug: 'last-rolled-back', displayName: 'Rolled back' });
      await executePrepared(tx, sql`INSERT INTO profiles (slug, display_name) VALUES (${'last-only'}, 'Duplicate')`, { commit: true });
    }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(failed).toBeTruthy();
    expect(await count('last-rolled-back')).toBe(0);
  });

  it.skipIf(testDbKind() !== 'postgres')('takes BEGIN along with a drizzle query that comes first: one round trip, its rows mapped as drizzle maps them', async () => {
    const { db } = handle;
    const pool = (db as unknown as { $client: Pool }).$client;
    await db.insert(profiles).values({ slug: 'first-builder', displayName: 'First builder' });
    // Every call the transaction makes to its connection (one call is one round trip).
    const calls: string[] = [];
    const connect = pool.connect.bind(pool);
    const spied: { client: PoolClient; query: PoolClient['query'] }[] = [];
    pool.connect = (async () => {
      const client = await connect();
      if (spied.some((s) => s.client === client)) return client;
      const query = client.query;
      spied.push({ client, query });
      client.query = ((...args: Parameters<PoolClient['query']>) => {
        const config = args[0] as string | { text?: string };
        calls.push(typeof config === 'string' ? config : (config.text ?? 'pipeline'));
        return (query as (...a: unknown[]) => unknown).apply(client, args);
      }) as PoolClient['query'];
      return client;
    }) as typeof pool.connect;
    try {
      for (let round = 0; round < 2; round++) {
        calls.length = 0;
        const read = await transaction(undefined, async (tx) => {
          const rows = await tx
            .select({ id: profiles.id, slug: profiles.slug, name: profiles.displayName })
            .from(profiles)
            .where(eq(profiles.slug, 'first-builder'))
            .for('update');
          const afterRead = calls.length;
          await tx.update(profiles).set({ displayName: `Round ${round}` }).where(eq(profiles.slug, 'first-builder'));
          return { rows, afterRead };
        });
        expect(read.rows).toEqual([{ id: expect.any(String), slug: 'first-builder', name: round ? 'Round 0' : 'First builder' }]);
        // BEGIN went with the read; then the update; then COMMIT.
        expect(read.afterRead).toBe(1);
        expect(calls).toHaveLength(3);
        expect(calls.at(-1)).toBe('COMMIT');
      }
    } finally {
      pool.connect = connect as typeof pool.connect;
      for (const { client, query } of spied) client.query = query;
    }
    const [row] = await db.select({ name: profiles.displayName }).from(profiles).where(eq(profiles.slug, 'first-builder'));
    expect(row.name).toBe('Round 1');
  });

  it('inside a caller’s transaction runs as a savepoint: its rollback keeps the caller’s work', async () => {
    const { db } = handle;
    await db.transaction(async (outer) => {
      await outer.insert(profiles).values({ slug: 'outer-kept', displayName: 'Outer' });
      await lockedTransaction(outer, ['savepoint-key'], async (tx) => {
        await tx.insert(profiles).values({ slug: 'inner-dropped', displayName: 'Inner' });
        throw new Error('inner refused');
      }).catch(() => {});
    });
    const slugs = (await db.select({ slug: profiles.slug }).from(profiles)).map((p) => p.slug);
    expect(slugs).toContain('outer-kept');
    expect(slugs).not.toContain('inner-dropped');
  });
});

/** A promise and the function that resolves it. */
function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}
