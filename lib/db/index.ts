import { createHash } from 'node:crypto';
import path from 'node:path';
import { getTableColumns, getTableName, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { PgDialect, type PgTable } from 'drizzle-orm/pg-core';
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
 * insertWhen(auditLog, [entry], sql`EXISTS (SELECT 1 FROM won)`). See insertRows.
 */
export function insertWhen(table: PgTable, rows: Record<string, unknown>[], when: SQL | null, onConflict: SQL = sql``): SQL {
  const columns = getTableColumns(table);
  const keys = [...new Set(rows.flatMap((row) => Object.keys(row).filter((key) => row[key] !== undefined)))];
  // Schema column names (snake_case identifiers): one raw chunk, not one drizzle chunk per column.
  const names = sql.raw(keys.map((key) => `"${columns[key].name}"`).join(', '));
  const json = rows.map((row) => Object.fromEntries(keys.map((key) => [columns[key].name, row[key] ?? null])));
  return sql`INSERT INTO ${table} (${names})
    SELECT ${names} FROM json_populate_recordset(NULL::${sql.identifier(getTableName(table))}, ${JSON.stringify(json)}::json)
    ${when ? sql`WHERE ${when}` : sql``} ${onConflict}`;
}

/**
 * An INSERT of `rows` (property names as in the schema) as a statement or a writeTogether part.
 * The rows travel as ONE JSON parameter (json_populate_recordset); columns they leave out take
 * their defaults. Its text is the same for any number of rows (so it can be prepared), and
 * building it costs a fraction of drizzle's insert builder (a parameter and column chunk per
 * value): drizzle building statements was the largest part of a booking's CPU in the app's
 * process (bench:roundtrips' profile).
 */
export function insertRows(table: PgTable, rows: Record<string, unknown>[], onConflict: SQL = sql``): SQL {
  return insertWhen(table, rows, null, onConflict);
}

/**
 * A fragment without parameters (column lists, joins) rendered to its text once, for a statement
 * a hot path builds on every call: drizzle walks every chunk of a statement each time it is built.
 */
export function renderedOnce(fragment: SQL): SQL {
  const query = new PgDialect().sqlToQuery(fragment);
  if (query.params.length) throw new Error('renderedOnce: the fragment has parameters');
  return sql.raw(query.sql);
}

/** Statement text → its prepared statement's name (see executePrepared). */
const statementNames = new Map<string, string>();
/** More distinct texts than the hot paths have shapes: the rest run unnamed (no unbounded growth). */
const MAX_NAMED_STATEMENTS = 200;

/**
 * Runs a hot path's statement as a named prepared statement (node-postgres and Neon: PGlite runs
 * it as any other). Postgres parses and plans it once per connection and then reuses the plan, and
 * the driver sends only its parameters: for the booking's large statements, planning was a third
 * of the database's CPU (perf, bench:roundtrips). The name is a digest of the text, so every
 * shape of a statement (its optional parts) is a statement of its own; the text must not grow with
 * the input (use insertRows, ANY(array) and the like), and there is a cap as a safety net.
 * Answers as `execute` does ({ rows }).
 */
export async function executePrepared<T extends Record<string, unknown>>(ex: Executor, query: SQL): Promise<{ rows: T[] }> {
  // The database object's own parts (what its `execute` uses), named here only to pass the name.
  const { dialect, session } = ex as unknown as {
    dialect: PgDialect;
    session: { prepareQuery(query: { sql: string; params: unknown[] }, fields: undefined, name: string | undefined, arrayMode: boolean): { execute(): Promise<{ rows: T[] }> } };
  };
  const built = dialect.sqlToQuery(query);
  let name = statementNames.get(built.sql);
  if (!name && statementNames.size < MAX_NAMED_STATEMENTS) {
    name = `dap_${createHash('sha256').update(built.sql).digest('hex').slice(0, 32)}`;
    statementNames.set(built.sql, name);
  }
  return session.prepareQuery(built, undefined, name, false).execute();
}

/** The advisory locks each transaction holds (taken by takeLocks, or with its BEGIN by lockedTransaction). */
const heldLocks = new WeakMap<object, Set<string>>();

/**
 * Takes transaction-scoped advisory locks (pg_advisory_xact_lock on each key's hash), in the order
 * given, in one statement; keys this transaction already holds are not taken again (no round trip
 * when lockedTransaction took them all with its BEGIN).
 */
export async function takeLocks(tx: Tx, keys: string[]): Promise<void> {
  const held = heldLocks.get(tx) ?? new Set<string>();
  const missing = keys.filter((key) => !held.has(key));
  if (!missing.length) return;
  await executePrepared(tx, sql`SELECT ${sql.join(missing.map((key) => sql`pg_advisory_xact_lock(hashtextextended(${key}, 0))`), sql`, `)}`);
  for (const key of missing) held.add(key);
  heldLocks.set(tx, held);
}

/**
 * Runs `fn` in a new transaction that holds these advisory locks from its start (see takeLocks).
 * On node-postgres and Neon, BEGIN and the locks are ONE round trip: one simple query
 * ("BEGIN; SELECT pg_advisory_xact_lock(…), …", the keys quoted by the driver's escapeLiteral),
 * then drizzle's transaction object on that connection, committed or rolled back as drizzle's own
 * transaction() does it (node_modules/drizzle-orm/node-postgres/session.js). Inside a caller's
 * transaction (a savepoint) and on PGlite, BEGIN and the locks are two statements.
 */
export async function lockedTransaction<T>(outer: Executor, keys: string[], fn: (tx: Tx) => Promise<T>): Promise<T> {
  const pool = keys.length ? await poolOf(outer) : null;
  if (!pool) {
    return outer.transaction(async (tx) => {
      await takeLocks(tx, keys);
      return fn(tx);
    });
  }
  const { dialect, session, Transaction } = pool;
  const { escapeLiteral } = await import('pg');
  const conn = await session.client.connect();
  const tx = new Transaction(dialect, new session.constructor(conn, dialect, session.schema, session.options), session.schema);
  heldLocks.set(tx, new Set(keys));
  let broken: unknown;
  try {
    await conn.query(`BEGIN; SELECT ${keys.map((key) => `pg_advisory_xact_lock(hashtextextended(${escapeLiteral(key)}, 0))`).join(', ')}`);
    const result = await fn(tx);
    await conn.query('COMMIT');
    return result;
  } catch (err) {
    // A connection that cannot even roll back is closed, not handed to the next caller.
    await conn.query('ROLLBACK').catch((rollbackErr: unknown) => {
      broken = rollbackErr;
    });
    throw err;
  } finally {
    conn.release(broken);
  }
}

type PoolConnection = { query(text: string): Promise<unknown>; release(err?: unknown): void };
type DrizzleSession = {
  client: { connect(): Promise<PoolConnection>; totalCount?: unknown };
  schema: unknown;
  options: unknown;
  constructor: new (client: PoolConnection, dialect: PgDialect, schema: unknown, options: unknown) => object;
};

/**
 * The parts of a database object on a node-postgres or Neon Pool that its transaction() uses (its
 * dialect, its session, the driver's transaction class); null for PGlite and for a transaction.
 */
async function poolOf(outer: Executor) {
  if (!pools.has(outer)) pools.set(outer, await findPool(outer));
  return pools.get(outer) ?? null;
}

type TransactionClass = new (dialect: PgDialect, session: object, schema: unknown) => Tx;
const pools = new WeakMap<object, { dialect: PgDialect; session: DrizzleSession; Transaction: TransactionClass } | null>();

async function findPool(outer: Executor) {
  const { dialect, session } = outer as unknown as { dialect: PgDialect; session?: DrizzleSession };
  // A Pool counts its clients; a transaction's session holds one checked-out client, PGlite none.
  if (!session || typeof session.client?.totalCount !== 'number') return null;
  const instance: object = session;
  const pg = await import('drizzle-orm/node-postgres');
  if (instance instanceof pg.NodePgSession) return { dialect, session, Transaction: pg.NodePgTransaction as unknown as TransactionClass };
  const neon = await import('drizzle-orm/neon-serverless');
  if (instance instanceof neon.NeonSession) return { dialect, session, Transaction: neon.NeonTransaction as unknown as TransactionClass };
  return null;
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
