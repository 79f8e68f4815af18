import path from 'node:path';
import { sql } from 'drizzle-orm';
import { cachedDatabaseHandle, migrateDatabase, rowCount, type Db, type DbHandle, type Executor, type Tx } from '@/db/client';
import { databaseDriver, env } from '@/lib/env';

export type { Db, DbHandle, Executor, Tx };
export { migrateDatabase, rowCount };

/** The database the environment selects, opened once per process. */
export function databaseHandle(): Promise<DbHandle> {
  return cachedDatabaseHandle(() => {
    const e = env();
    const driver = databaseDriver(e);
    return {
      driver,
      url: e.DATABASE_URL,
      dataDir: driver === 'pglite' ? path.resolve(e.PGLITE_DIR) : undefined,
      poolMax: e.PG_POOL_MAX,
    };
  });
}

export async function getDb(): Promise<Db> {
  return (await databaseHandle()).db;
}

/**
 * The second half of every lib entry point's contract: it runs on the transaction it is given
 * (`opts.tx`), else on its own handle. `now` lets tests and sweeps move the clock.
 */
export interface CallOptions {
  tx?: Executor;
  now?: Date;
}

/** The executor a read runs on. */
export async function executor(opts?: CallOptions): Promise<Executor> {
  return opts?.tx ?? getDb();
}

/**
 * Runs `fn` in a transaction: the caller's when it gave one (the work joins it), else a new one.
 * After-commit work (sending the outbox) belongs to whoever owns the commit: check `opts?.tx`.
 */
export async function transaction<T>(opts: CallOptions | undefined, fn: (tx: Tx) => Promise<T>): Promise<T> {
  if (opts?.tx) return fn(opts.tx as Tx);
  return (await getDb()).transaction(fn);
}

/** One round trip to the database; false (logged by code) when it cannot be reached. */
export async function databaseReachable(): Promise<boolean> {
  try {
    await (await getDb()).execute(sql`SELECT 1`);
    return true;
  } catch (err) {
    const { logError } = await import('@/lib/log');
    logError('health_database_unreachable', err, { route: 'health' });
    return false;
  }
}
