import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import { databaseDriver, env } from '@/lib/env';
import * as schema from './schema';

/**
 * The one Drizzle database type the app codes against. PGlite, node-postgres and Neon's
 * WebSocket Pool all give the same query builder and interactive transactions.
 */
export type Db = NodePgDatabase<typeof schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** Anything that runs queries: the database or an open transaction. */
export type Executor = Db | Tx;

export type Driver = 'pglite' | 'pg' | 'neon';

export interface DbHandle {
  db: Db;
  driver: Driver;
  /** True when this call created a new embedded database folder. */
  created: boolean;
  close(): Promise<void>;
}

export const migrationsFolder = path.join(process.cwd(), 'db', 'migrations');

export async function openDatabase(opts: { driver: Driver; url?: string; dataDir?: string }): Promise<DbHandle> {
  if (opts.driver === 'pglite') {
    const { PGlite } = await import('@electric-sql/pglite');
    const { btree_gist } = await import('@electric-sql/pglite/contrib/btree_gist');
    const { drizzle } = await import('drizzle-orm/pglite');
    let created = false;
    let client;
    if (opts.dataDir) {
      const { existsSync } = await import('node:fs');
      created = !existsSync(path.join(opts.dataDir, 'PG_VERSION'));
      // PGlite does not create missing parent folders.
      mkdirSync(opts.dataDir, { recursive: true });
      client = await PGlite.create(opts.dataDir, { extensions: { btree_gist } });
    } else {
      created = true;
      client = await PGlite.create({ extensions: { btree_gist } });
    }
    const db = drizzle({ client, schema }) as unknown as Db;
    return { db, driver: 'pglite', created, close: () => client.close() };
  }
  if (!opts.url) throw new Error(`DATABASE_URL is required for the ${opts.driver} driver`);
  if (opts.driver === 'neon') {
    const { Pool, neonConfig } = await import('@neondatabase/serverless');
    const { default: ws } = await import('ws');
    const { drizzle } = await import('drizzle-orm/neon-serverless');
    neonConfig.webSocketConstructor ??= ws;
    // The WebSocket Pool (not neon-http): interactive transactions need it.
    const pool = new Pool({ connectionString: opts.url });
    const db = drizzle({ client: pool, schema }) as unknown as Db;
    return { db, driver: 'neon', created: false, close: () => pool.end() };
  }
  const { Pool } = await import('pg');
  const { drizzle } = await import('drizzle-orm/node-postgres');
  const pool = new Pool({ connectionString: opts.url, max: Number(process.env.PG_POOL_MAX ?? 10) });
  const db = drizzle({ client: pool, schema });
  return { db, driver: 'pg', created: false, close: () => pool.end() };
}

export async function migrateDatabase(handle: DbHandle): Promise<void> {
  if (handle.driver === 'pglite') {
    const { migrate } = await import('drizzle-orm/pglite/migrator');
    await migrate(handle.db as never, { migrationsFolder });
  } else if (handle.driver === 'neon') {
    const { migrate } = await import('drizzle-orm/neon-serverless/migrator');
    await migrate(handle.db as never, { migrationsFolder });
  } else {
    const { migrate } = await import('drizzle-orm/node-postgres/migrator');
    await migrate(handle.db, { migrationsFolder });
  }
}

// One client per process, kept on globalThis: Next bundles instrumentation, route handlers and
// server components separately, and PGlite allows one process per data folder.
const globalForDb = globalThis as unknown as { __dbHandle?: Promise<DbHandle> };

/** Opens the database chosen by the environment (once per process). */
export function databaseHandle(): Promise<DbHandle> {
  if (!globalForDb.__dbHandle) {
    const e = env();
    const driver = databaseDriver(e);
    globalForDb.__dbHandle = openDatabase({
      driver,
      url: e.DATABASE_URL,
      dataDir: driver === 'pglite' ? path.resolve(e.PGLITE_DIR) : undefined,
    }).catch((err) => {
      globalForDb.__dbHandle = undefined;
      throw err;
    });
  }
  return globalForDb.__dbHandle;
}

export async function getDb(): Promise<Db> {
  return (await databaseHandle()).db;
}

/** Tests install their own database (a fresh Postgres database or an in-memory PGlite). */
export function installDatabaseHandle(handle: DbHandle): void {
  globalForDb.__dbHandle = Promise.resolve(handle);
}

/** Rows an UPDATE/DELETE/INSERT touched: node-postgres and Neon say rowCount, PGlite affectedRows. */
export function rowCount(result: unknown): number {
  const r = result as { rowCount?: number | null; affectedRows?: number };
  return Number(r.rowCount ?? r.affectedRows ?? 0);
}
