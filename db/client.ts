import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
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

export interface DatabaseConfig {
  driver: Driver;
  url?: string;
  dataDir?: string;
  /** node-postgres pool size. */
  poolMax?: number;
  /** PGlite in memory, started from a `dumpDataDir()` tarball (the tests' seeded template). */
  loadDataDir?: Blob;
}

export async function openDatabase(opts: DatabaseConfig): Promise<DbHandle> {
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
      created = !opts.loadDataDir;
      client = await PGlite.create({ extensions: { btree_gist }, loadDataDir: opts.loadDataDir });
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
    pool.on('error', (err: unknown) => {
      console.error(`[db] idle connection lost code=${(err as { code?: string }).code ?? 'unknown'}`);
    });
    pool.on('connect', (client: { on(event: 'error', fn: (err: unknown) => void): void }) => {
      client.on('error', (err) => console.error(`[db] connection lost while in use code=${(err as { code?: string }).code ?? 'unknown'}`));
    });
    const db = drizzle({ client: pool, schema }) as unknown as Db;
    return { db, driver: 'neon', created: false, close: () => pool.end() };
  }
  const { Pool } = await import('pg');
  const { drizzle } = await import('drizzle-orm/node-postgres');
  const pool = new Pool({ connectionString: opts.url, max: opts.poolMax ?? 10 });
  // A connection the server ends while idle (restart, pg_terminate_backend) is emitted on the pool:
  // without a listener it would be an uncaughtException. The pool drops that client by itself and
  // the next query opens a new one; the error is logged by code only.
  pool.on('error', (err) => {
    console.error(`[db] idle connection lost code=${(err as { code?: string }).code ?? 'unknown'}`);
  });
  // A client checked out of the pool (inside a transaction, between two queries) has no pool
  // listener: the server ending its connection then would be an uncaughtException. The query in
  // flight fails with the same error and the caller answers 503; the pool discards the client.
  pool.on('connect', (client) => {
    client.on('error', (err) => {
      console.error(`[db] connection lost while in use code=${(err as { code?: string }).code ?? 'unknown'}`);
    });
  });
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

/** The process's database, opened once with `config()` (lib/db supplies it from the environment). */
export function cachedDatabaseHandle(config: () => DatabaseConfig): Promise<DbHandle> {
  if (!globalForDb.__dbHandle) {
    globalForDb.__dbHandle = openDatabase(config()).catch((err) => {
      globalForDb.__dbHandle = undefined;
      throw err;
    });
  }
  return globalForDb.__dbHandle;
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
