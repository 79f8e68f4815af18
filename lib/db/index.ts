import path from 'node:path';
import { getTableColumns, getTableName, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
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

/**
 * Writes that belong together as ONE statement: one round trip, atomic on its own (no BEGIN and
 * COMMIT needed when it is all a change does). Each part is a data-modifying CTE (null parts are
 * left out), then `select` reads what they RETURNed. The parts run on one snapshot and see none of
 * each other's rows; foreign keys between them are checked at the end of the statement, so a row
 * and the rows that point to it (its audit, outbox and messages) can go in together.
 */
export function writeTogether(parts: Record<string, SQLWrapper | null | undefined>, select: SQL): SQL {
  const ctes = Object.entries(parts)
    .filter((part): part is [string, SQLWrapper] => Boolean(part[1]))
    .map(([name, part]) => sql`${sql.identifier(name)} AS (${part.getSQL()})`);
  return sql`WITH ${sql.join(ctes, sql`, `)} ${select}`;
}

/**
 * An INSERT of `rows` (property names as in the schema) that happens only when `when` holds, for a
 * writeTogether part that depends on another part's compare-and-set, e.g.
 * insertWhen(auditLog, [entry], sql`EXISTS (SELECT 1 FROM won)`). The rows travel as one JSON
 * parameter (json_populate_recordset); columns they leave out take their defaults.
 */
export function insertWhen(table: PgTable, rows: Record<string, unknown>[], when: SQL, onConflict: SQL = sql``): SQL {
  const columns = getTableColumns(table);
  const keys = [...new Set(rows.flatMap((row) => Object.keys(row).filter((key) => row[key] !== undefined)))];
  const names = sql.join(keys.map((key) => sql.identifier(columns[key].name)), sql`, `);
  const json = rows.map((row) => Object.fromEntries(keys.map((key) => [columns[key].name, row[key] ?? null])));
  return sql`INSERT INTO ${table} (${names})
    SELECT ${names} FROM json_populate_recordset(NULL::${sql.identifier(getTableName(table))}, ${JSON.stringify(json)}::json)
    WHERE ${when} ${onConflict}`;
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
