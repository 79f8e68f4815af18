import { createHash } from 'node:crypto';
import path from 'node:path';
import { getTableColumns, getTableName, is, SQL, sql, type SQLWrapper } from 'drizzle-orm';
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
 * Runs `fn` in a transaction: the caller's when it gave one (the work joins it), else a new one
 * (lockedTransaction without locks: on node-postgres and Neon its BEGIN goes with its first
 * statement of any kind, and a last statement sent with `commit` carries its COMMIT).
 * After-commit work (sending the outbox) belongs to whoever owns the commit: check `opts?.tx`, and
 * pass `commit: !opts?.tx` for a last statement (never commit a caller's transaction).
 */
export async function transaction<T>(opts: CallOptions | undefined, fn: (tx: Tx) => Promise<T>): Promise<T> {
  if (opts?.tx) return fn(opts.tx as Tx);
  return lockedTransaction(await getDb(), [], fn);
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
 *
 * `commit: true` says this is the last statement of the transaction: in lockedTransaction's own
 * transaction it goes out with the COMMIT in one round trip (nothing may run on the transaction
 * after it); anywhere else it runs as any statement and whoever owns the transaction commits.
 */
export async function executePrepared<T extends Record<string, unknown>>(ex: Executor, query: SQL, opts?: { commit?: boolean }): Promise<{ rows: T[] }> {
  const own = ownTransactions.get(ex);
  if (own && (!own.begun || opts?.commit)) {
    // lockedTransaction's own transaction: its BEGIN and locks (not sent yet) go with this
    // statement, and so does its COMMIT when this is the transaction's last statement.
    const results = await own.send([query], opts?.commit ?? false);
    return results[0] as { rows: T[] };
  }
  const { dialect, session } = parts(ex);
  const built = dialect.sqlToQuery(query);
  return session.prepareQuery(built, undefined, statementName(built.sql), false).execute() as Promise<{ rows: T[] }>;
}

/** A statement's prepared-statement name (a digest of its text); undefined past the cap. */
function statementName(text: string): string | undefined {
  let name = statementNames.get(text);
  if (!name && statementNames.size < MAX_NAMED_STATEMENTS) {
    name = `dap_${createHash('sha256').update(text).digest('hex').slice(0, 32)}`;
    statementNames.set(text, name);
  }
  return name;
}

type PreparedQuery = { rawQueryConfig: { name?: string; text: string; types?: unknown }; params: unknown[]; execute(...args: unknown[]): Promise<unknown> };
type Session = { prepareQuery(query: { sql: string; params: unknown[] }, fields: undefined, name: string | undefined, arrayMode: boolean): PreparedQuery };

/** The database object's own parts (what its `execute` uses), named here to pass a statement's name. */
function parts(ex: Executor) {
  return ex as unknown as { dialect: PgDialect; session: Session };
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
  await executePrepared(tx, locksStatement(missing));
  for (const key of missing) held.add(key);
  heldLocks.set(tx, held);
}

/**
 * Runs `fn` in a new transaction that holds these advisory locks before its first statement runs
 * (see takeLocks; one that runs no statement takes none and begins nothing).
 * On node-postgres and Neon, BEGIN and the locks cost no round trip of their own: they go out with
 * the transaction's first statement, whatever sends it (executePrepared, a drizzle query,
 * tx.execute), in ONE round trip (pipelined: Bind/Execute of each, one Sync; see pipelined
 * below). The statements still run one after the other, each on its own snapshot: the first
 * one's snapshot is taken after the locks are granted. Inside a caller's transaction (a
 * savepoint) and on PGlite, BEGIN and the locks are statements of their own.
 */
export async function lockedTransaction<T>(outer: Executor, keys: string[], fn: (tx: Tx) => Promise<T>): Promise<T> {
  const pool = await poolOf(outer);
  if (!pool) {
    return outer.transaction(async (tx) => {
      await takeLocks(tx, keys);
      return fn(tx);
    });
  }
  const { dialect, session, Transaction } = pool;
  const conn = await session.client.connect();
  const txSession = new session.constructor(conn, dialect, session.schema, session.options) as Session;
  const tx = new Transaction(dialect, txSession, session.schema);
  heldLocks.set(tx, new Set(keys));
  const prepareQuery = txSession.prepareQuery.bind(txSession);
  const own = ownTransaction(conn, { prepareQuery }, dialect, [sql.raw('BEGIN'), GENERIC_PLANS, ...(keys.length ? [locksStatement(keys)] : [])]);
  ownTransactions.set(tx, own);
  // Any other statement on this transaction (a drizzle builder, tx.execute) that comes first takes
  // BEGIN and the locks along in its own round trip; none may run once the last one committed.
  txSession.prepareQuery = (...args) => {
    const prepared = prepareQuery(...args);
    if (own.begun && !own.committed) return prepared;
    const execute = prepared.execute.bind(prepared);
    prepared.execute = async (...rest) => {
      if (own.committed) throw new Error(COMMITTED);
      return own.begun ? execute(...rest) : own.first(() => execute(...rest));
    };
    return prepared;
  };
  let broken: unknown;
  try {
    const result = await fn(tx);
    // Nothing ran: nothing began, nothing to commit.
    if (own.begun && !own.committed) await conn.query('COMMIT');
    return result;
  } catch (err) {
    // A connection that cannot even roll back is closed, not handed to the next caller. (After a
    // failed COMMIT the transaction is over and ROLLBACK only warns.)
    if (own.begun) {
      await conn.query('ROLLBACK').catch((rollbackErr: unknown) => {
        broken = rollbackErr;
      });
    }
    throw err;
  } finally {
    conn.release(broken);
  }
}

/** A transaction lockedTransaction began on its own connection: what it has sent so far. */
interface OwnTransaction {
  /** BEGIN and the locks have gone out. */
  begun: boolean;
  /** COMMIT has gone out (with the last statement). */
  committed: boolean;
  /** Runs `statements` (or driver configs) in one round trip, after BEGIN and the locks if not sent yet, and before COMMIT if `commit`; their results. */
  send(statements: (SQL | QueryConfig)[], commit: boolean): Promise<{ rows: Record<string, unknown>[] }[]>;
  /**
   * Runs `execute` (a drizzle query's own execute, with its row mapping) with BEGIN and the locks
   * sent in the same round trip as the one statement it sends to the connection.
   */
  first<T>(execute: () => Promise<T>): Promise<T>;
}
const ownTransactions = new WeakMap<object, OwnTransaction>();
const COMMITTED = 'lockedTransaction: the transaction was committed with its last statement';

function ownTransaction(conn: PoolConnection, session: Session, dialect: PgDialect, beginWith: SQL[]): OwnTransaction {
  const own: OwnTransaction = {
    begun: false,
    committed: false,
    async send(statements, commit) {
      if (own.committed) throw new Error(COMMITTED);
      const before = own.begun ? [] : beginWith;
      own.begun = true;
      own.committed = commit;
      const all = [...before, ...statements, ...(commit ? [sql.raw('COMMIT')] : [])];
      const results = await pipelined(conn, all.map((statement) => (is(statement, SQL) ? configOf(session, dialect, statement) : statement)));
      return results.slice(before.length, before.length + statements.length);
    },
    async first(execute) {
      // The driver call drizzle makes (conn.query(config, values)) is caught once and sent behind
      // BEGIN and the locks; drizzle maps the rows it answers as it always does.
      const query = conn.query;
      conn.query = (config: unknown, values?: unknown) => {
        conn.query = query;
        if (own.begun || typeof config !== 'object' || config === null || typeof (config as { text?: unknown }).text !== 'string') {
          return query.call(conn, config, values);
        }
        const statement = { ...(config as QueryConfig), ...(values === undefined ? {} : { values: values as unknown[] }) };
        return own.send([statement], false).then((results) => results[0]);
      };
      try {
        return await execute();
      } finally {
        conn.query = query;
      }
    },
  };
  return own;
}

/** A statement as the driver's query config: its text, parameters and drizzle's type parsers (named when it is a hot path's; see executePrepared). */
type QueryConfig = { name?: string; text: string; values?: unknown[]; rowMode?: string; types?: unknown };

function configOf(session: Session, dialect: PgDialect, statement: SQL): QueryConfig {
  const built = dialect.sqlToQuery(statement);
  const prepared = session.prepareQuery(built, undefined, built.params.length ? statementName(built.sql) : undefined, false);
  return { ...prepared.rawQueryConfig, values: prepared.params };
}

/**
 * lockedTransaction's own transactions plan every statement once per connection (sent with its
 * BEGIN: no round trip of its own). Left to itself (plan_cache_mode `auto`), Postgres re-plans a
 * named statement on every call whenever its plan for the call's values looks cheaper than the
 * generic one: the claim's write always was, and its read for every time far ahead, which cost a
 * booking 20 % (near) to 45 % (far ahead) of its database CPU (bench:roundtrips, in-process at 0 ms).
 * Their statements are lookups by key and short ranges, whose generic plans are the same index
 * scans (tests/integration/generic-plans.test.ts). A statement outside such a transaction (the
 * key check, the availability query) is re-planned only for its first five calls on a connection.
 */
const GENERIC_PLANS = sql.raw('SET LOCAL plan_cache_mode = force_generic_plan');

function locksStatement(keys: string[]): SQL {
  return sql`SELECT ${sql.join(keys.map((key) => sql`pg_advisory_xact_lock(hashtextextended(${key}, 0))`), sql`, `)}`;
}

/** Rows per Execute: more than any statement here returns, so a portal always runs to its end. */
const ALL_ROWS = 2 ** 31 - 1;

/**
 * Runs statements one after the other in ONE round trip on a connection (node-postgres or Neon's,
 * which share pg's protocol code): for each, Bind (and Parse when it is unnamed), Describe and
 * Execute, then a single Sync. The server runs them in order; if one fails, it skips the rest up
 * to the Sync and the call fails with that error (the transaction is then aborted: the caller
 * rolls back). The driver's own Query does each statement's messages, with drizzle's type parsers,
 * and gathers one result per statement, as it does for a multi-statement query.
 *
 * A named statement this connection has not parsed yet makes the whole call run one statement per
 * round trip instead, through the driver's normal path (which parses it and records that): the
 * pipeline itself never sends Parse for a named statement, so the driver's record of what is
 * parsed stays exact whatever fails.
 */
async function pipelined(conn: PoolConnection, configs: QueryConfig[]): Promise<{ rows: Record<string, unknown>[] }[]> {
  const parsed = conn.connection.parsedStatements;
  if (configs.some((c) => c.name && parsed[c.name] === undefined)) {
    const results: { rows: Record<string, unknown>[] }[] = [];
    for (const config of configs) results.push((await conn.query(config)) as { rows: Record<string, unknown>[] });
    return results;
  }
  const Query = (conn.constructor as unknown as { Query: DriverQueryClass }).Query;
  return new Promise((resolve, reject) => {
    let settled = false;
    const pipeline = new (pipelineClass(Query))(configs, (err, results) => {
      if (settled) return;
      settled = true;
      if (err) reject(err);
      else resolve(Array.isArray(results) ? results : [results]);
    });
    conn.query(pipeline);
  });
}

/** The driver's Query class (pg's lib/query.js; Neon bundles the same), as far as it is used here. */
type DriverQueryClass = new (config: Record<string, unknown>) => {
  callback?: (err: unknown, results: unknown) => void;
  prepare(connection: unknown): void;
  requiresPreparation(): boolean;
};
const pipelineClasses = new WeakMap<DriverQueryClass, new (configs: Record<string, unknown>[], done: (err: unknown, results: unknown) => void) => object>();

function pipelineClass(Query: DriverQueryClass) {
  let Pipeline = pipelineClasses.get(Query);
  if (!Pipeline) {
    Pipeline = class extends Query {
      private readonly statements: InstanceType<DriverQueryClass>[];
      constructor(configs: Record<string, unknown>[], done: (err: unknown, results: unknown) => void) {
        // The first statement's type parsers serve every result (drizzle's are the same for all),
        // and the last one's row mode (a drizzle builder's arrays behind BEGIN and the locks).
        super({ text: 'pipeline', types: configs[0]?.types, rowMode: configs.at(-1)?.rowMode });
        this.callback = done;
        // rows: each Execute is followed by a Flush, not a Sync (one Sync ends the pipeline).
        this.statements = configs.map((config) => new Query({ ...config, rows: ALL_ROWS }));
      }
      requiresPreparation() {
        return true;
      }
      prepare(connection: { sync(): void }) {
        for (const statement of this.statements) statement.prepare(connection);
        connection.sync();
      }
    };
    pipelineClasses.set(Query, Pipeline);
  }
  return Pipeline;
}

type PoolConnection = {
  query(query: unknown, values?: unknown): Promise<unknown>;
  release(err?: unknown): void;
  /** pg's protocol connection: the named statements it has parsed. */
  connection: { parsedStatements: Record<string, string | undefined> };
};
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
  // drizzle's own check (by entity kind, not by class identity: a bundle may hold two copies).
  const pg = await import('drizzle-orm/node-postgres');
  if (is(session, pg.NodePgSession)) return { dialect, session, Transaction: pg.NodePgTransaction as unknown as TransactionClass };
  const neon = await import('drizzle-orm/neon-serverless');
  if (is(session, neon.NeonSession)) return { dialect, session, Transaction: neon.NeonTransaction as unknown as TransactionClass };
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
