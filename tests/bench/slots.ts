/**
 * `npm run bench:slots`: materializing a practice-year of slots, and the 14-day availability query
 * over 100 practices × 1 year, on the machine's Postgres (BENCH_DATABASE_URL, a server URL).
 * Works in a fresh database `dap_bench_<ts>` that is dropped at the end, also on error or Ctrl-C.
 *
 * Env: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres),
 * BENCH_PRACTICES (100), BENCH_CONCURRENCY (4: practices materialized at once),
 * BENCH_QUERIES (1000), BENCH_WARMUP (50), BENCH_ROUNDS (3: query rounds), BENCH_SEED (1).
 */
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { migrateDatabase, openDatabase, rowCount, type DbHandle } from '../../db/client';
import { availabilityRules, medicalServices, patients, profiles } from '../../db/schema';
import { materializeSlots } from '../../lib/availability/materialize';
import { bookableSlotsStatement, findBookableStarts } from '../../lib/availability/query';
import { addDays, todayIn } from '../../lib/availability/time';
import { withDatabase } from '../helpers/pg-url';

const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const PRACTICES = intEnv('BENCH_PRACTICES', 100);
const CONCURRENCY = intEnv('BENCH_CONCURRENCY', 4);
const QUERIES = intEnv('BENCH_QUERIES', 1000);
const WARMUP = intEnv('BENCH_WARMUP', 50);
const ROUNDS = intEnv('BENCH_ROUNDS', 3);
const HORIZON_DAYS = 366;
const RANGE_DAYS = 14;
const ZONES = ['Europe/Madrid', 'Europe/London', 'America/New_York', 'America/Mexico_City', 'Asia/Tokyo'];
/** Share of future slots held by pending requests (half of them past their deadline), reserved, blocked. */
const HELD = { pending: 0.06, reserved: 0.08, blocked: 0.02 };

const random = mulberry32(intEnv('BENCH_SEED', 1));
const dbName = `dap_bench_${Date.now()}`;
let admin: Client | undefined;
let handle: DbHandle | undefined;
let cleaning: Promise<void> | undefined;

interface Practice {
  id: string;
  timeZone: string;
  service30: string;
}

async function main() {
  assertLocal(serverUrl);
  admin = new Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${dbName}"`);
  log(`database ${dbName} on ${new URL(serverUrl).host} (${(await admin.query('SHOW server_version')).rows[0].server_version})`);
  handle = await openDatabase({ driver: 'pg', url: withDatabase(serverUrl, dbName) });
  await migrateDatabase(handle);
  const { db } = handle;
  const now = new Date();

  const practices = await createPractices(db);
  log(`${practices.length} practices, 3 services each, Mon–Fri 09:00–13:00 + 15:00–18:00, 15-min slots, horizon ${HORIZON_DAYS} days`);

  // One practice-year, alone.
  let t = performance.now();
  const first = await materializeSlots(db, practices[0].id, now);
  const oneMs = performance.now() - t;
  log(`materialize one practice-year: ${fmt(oneMs)} ms, ${first.inserted} rows (materializeSlots)`);

  // The other practices, CONCURRENCY at a time, each through the same materializeSlots.
  t = performance.now();
  let next = 1;
  let inserted = first.inserted;
  await Promise.all(
    Array.from({ length: Math.min(CONCURRENCY, practices.length - 1) }, async () => {
      while (next < practices.length) {
        const p = practices[next++];
        inserted += (await materializeSlots(db, p.id, now)).inserted;
      }
    }),
  );
  const allMs = performance.now() - t + oneMs;
  const total = await scalar(db, sql`SELECT count(*)::int AS v FROM time_slots`);
  log(
    `materialize ${practices.length} practices: ${total} rows in ${fmt(allMs / 1000, 1)} s ` +
      `(materializeSlots per practice, ${CONCURRENCY} at a time; ${fmt(inserted / (allMs / 1000), 0)} rows/s)`,
  );

  t = performance.now();
  const held = await holdSomeSlots(db, now);
  log(`held: ${held.pending} pending (half past expires_at), ${held.reserved} reserved, ${held.blocked} blocked, in ${fmt((performance.now() - t) / 1000, 1)} s`);

  // Autovacuum would have run by now in a live database: without it the bulk updates above leave
  // dead tuples and no visibility map, which is not the steady state.
  t = performance.now();
  await db.execute(sql`VACUUM ANALYZE time_slots, reservation_requests`);
  await db.execute(sql`ANALYZE`);
  log(`VACUUM ANALYZE: ${fmt(performance.now() - t)} ms`);

  // The 14-day query for a 30-minute service: random practice, random start within the year.
  // Interleaved with a `SELECT 1` round trip as the floor, so machine noise hits both alike.
  const pick = () => {
    const p = practices[Math.floor(random() * practices.length)];
    const fromDate = addDays(todayIn(p.timeZone, now), Math.floor(random() * (HORIZON_DAYS - RANGE_DAYS + 2)));
    return { p, fromDate, toDate: addDays(fromDate, RANGE_DAYS - 1) };
  };
  const sqlOf = (p: Practice, fromDate: string, toDate: string) =>
    new PgDialect().sqlToQuery(bookableSlotsStatement({ profileId: p.id, serviceId: p.service30, fromDate, toDate, now }));
  // Other work on the machine shows up as latency: ROUNDS rounds, each reported on its own.
  for (let round = 1; round <= ROUNDS; round++) {
    const full: number[] = [];
    const floor: number[] = [];
    let starts = 0;
    const load = loadavg()[0];
    for (let i = 0; i < WARMUP + QUERIES; i++) {
      const { p, fromDate, toDate } = pick();
      let t0 = performance.now();
      const result = await findBookableStarts({ profileId: p.id }, { serviceId: p.service30, from: fromDate, to: toDate }, { tx: db, now });
      const fullMs = performance.now() - t0;
      t0 = performance.now();
      await db.execute(sql`SELECT 1`);
      const floorMs = performance.now() - t0;
      if (i >= WARMUP) {
        full.push(fullMs);
        floor.push(floorMs);
        starts += result.starts.length;
      }
    }
    log(
      `round ${round}/${ROUNDS}: findBookableStarts, ${RANGE_DAYS} days, 30-min service, ${QUERIES} runs after ${WARMUP} warm-up, ` +
        `one at a time (load average ${fmt(load, 2)} on ${cpus().length} CPUs; ${fmt(starts / QUERIES, 0)} starts per answer):`,
    );
    log(`  findBookableStarts           ${summary(full)}`);
    log(`  SELECT 1 round trip (floor)  ${summary(floor)}`);
    const p95 = pct(full, 95);
    log(
      `  target p95 < 10 ms: ${p95 < 10 ? 'met' : 'NOT met'} (p95 ${fmt(p95, 2)} ms = ` +
        `${fmt(p95 / pct(floor, 95), 1)}× the SELECT 1 p95 measured alongside)`,
    );
  }

  // The plan of the query for one typical call, on a connection warmed by the same query (a cold
  // connection reads the catalogs while planning), and the median planning and execution times
  // over 50 more calls.
  const client = new Client({ connectionString: withDatabase(serverUrl, dbName) });
  await client.connect();
  try {
    const explain = async (analyze: boolean) => {
      const { p, fromDate, toDate } = pick();
      const q = sqlOf(p, fromDate, toDate);
      const options = analyze ? 'ANALYZE, BUFFERS' : 'ANALYZE, TIMING OFF, SUMMARY';
      const res = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN (${options}) ${q.sql}`, q.params as unknown[]);
      return res.rows.map((r) => r['QUERY PLAN']);
    };
    const ms = (lines: string[], label: string) => Number(lines.find((l) => l.includes(label))?.match(/([\d.]+) ms/)?.[1]);
    for (let i = 0; i < 10; i++) await explain(false);
    const planning: number[] = [];
    const execution: number[] = [];
    for (let i = 0; i < 50; i++) {
      const lines = await explain(false);
      planning.push(ms(lines, 'Planning Time'));
      execution.push(ms(lines, 'Execution Time'));
    }
    log(`server side, 50 warm calls: planning p50 ${fmt(pct(planning, 50), 2)} ms, execution p50 ${fmt(pct(execution, 50), 2)} ms`);
    log('EXPLAIN (ANALYZE, BUFFERS) of one warm call:');
    for (const line of await explain(true)) log(`  ${line}`);
  } finally {
    await client.end();
  }
}

async function createPractices(db: DbHandle['db']): Promise<Practice[]> {
  const rows = await db
    .insert(profiles)
    .values(
      Array.from({ length: PRACTICES }, (_, i) => ({
        slug: `bench-${String(i + 1).padStart(3, '0')}`,
        displayName: `Bench practice ${i + 1}`,
        timeZone: ZONES[i % ZONES.length],
        slotMinutes: 15,
        minNoticeMinutes: 120,
        horizonDays: HORIZON_DAYS,
      })),
    )
    .returning({ id: profiles.id, timeZone: profiles.timeZone });
  const services = await db
    .insert(medicalServices)
    .values(
      rows.flatMap((p) => [
        { profileId: p.id, name: 'Quick', durationMinutes: 15, priceAmount: 3000 },
        { profileId: p.id, name: 'General', durationMinutes: 30, priceAmount: 5000 },
        { profileId: p.id, name: 'Check-up', durationMinutes: 60, priceAmount: 9000 },
      ]),
    )
    .returning({ id: medicalServices.id, profileId: medicalServices.profileId, durationMinutes: medicalServices.durationMinutes });
  await db.insert(availabilityRules).values(
    rows.flatMap((p) =>
      [1, 2, 3, 4, 5].flatMap((weekday) => [
        { profileId: p.id, weekday, startTime: '09:00', endTime: '13:00' },
        { profileId: p.id, weekday, startTime: '15:00', endTime: '18:00' },
      ]),
    ),
  );
  await db.insert(patients).values(rows.map((p) => ({ profileId: p.id, name: 'Bench Patient', phone: '+34600111222' })));
  return rows.map((p) => ({
    id: p.id,
    timeZone: p.timeZone,
    service30: services.find((s) => s.profileId === p.id && s.durationMinutes === 30)!.id,
  }));
}

/**
 * Real practices are partly booked: some slots are held by pending requests (half of them past
 * their deadline, which the query must still treat as free), some reserved, some blocked.
 */
async function holdSomeSlots(db: DbHandle['db'], now: Date) {
  const nowIso = now.toISOString();
  await db.execute(sql`SELECT setseed(0.42)`);
  const hold = async (status: 'pending' | 'approved', share: number) => {
    const res = await db.execute(sql`
      WITH picked AS (
        SELECT t.id, t.profile_id, t.starts_at, t.ends_at FROM time_slots t
        WHERE t.status = 'available' AND random() < ${share}
      ), req AS (
        INSERT INTO reservation_requests
          (profile_id, service_id, patient_id, starts_at, ends_at, consent_at, status, expires_at, decided_at, token_hash)
        SELECT p.profile_id,
          (SELECT s.id FROM medical_services s WHERE s.profile_id = p.profile_id AND s.duration_minutes = 15),
          (SELECT pt.id FROM patients pt WHERE pt.profile_id = p.profile_id LIMIT 1),
          p.starts_at, p.ends_at, ${nowIso}::timestamptz, ${status}::request_status,
          ${nowIso}::timestamptz + CASE WHEN random() < 0.5 THEN interval '-1 hour' ELSE interval '1 day' END,
          CASE WHEN ${status} = 'approved' THEN ${nowIso}::timestamptz END,
          md5(${status} || p.id::text)
        FROM picked p
        RETURNING id, profile_id, starts_at
      )
      UPDATE time_slots t SET status = ${status === 'pending' ? 'pending_approval' : 'reserved'}::slot_status, request_id = req.id
      FROM req WHERE t.profile_id = req.profile_id AND t.starts_at = req.starts_at`);
    return rowCount(res);
  };
  const pending = await hold('pending', HELD.pending);
  const reserved = await hold('approved', HELD.reserved);
  const blocked = rowCount(
    await db.execute(
      sql`UPDATE time_slots SET status = 'blocked', block_reason = 'bench' WHERE status = 'available' AND random() < ${HELD.blocked}`,
    ),
  );
  return { pending, reserved, blocked };
}

async function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    await handle?.close().catch(() => {});
    if (admin) {
      await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`).then(
        () => log(`dropped ${dbName}`),
        (err: unknown) => console.error(`could not drop ${dbName}:`, err),
      );
      await admin.end().catch(() => {});
    }
  })();
  return cleaning;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: cleaning up`);
    void cleanup().finally(() => process.exit(130));
  });
}

main()
  .then(cleanup)
  .catch(async (err) => {
    // After Ctrl-C the pool is closed under running queries: their errors are expected.
    if (!cleaning) console.error(err);
    await cleanup();
    process.exit(1);
  });

// ---------------------------------------------------------------------------

async function scalar(db: DbHandle['db'], query: ReturnType<typeof sql>): Promise<number> {
  const res = await db.execute<{ v: number }>(query);
  return Number(res.rows[0].v);
}


function pct(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function summary(values: number[]): string {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return (
    `p50 ${fmt(pct(values, 50), 2)}  p95 ${fmt(pct(values, 95), 2)}  p99 ${fmt(pct(values, 99), 2)}  ` +
    `max ${fmt(pct(values, 100), 2)}  mean ${fmt(mean, 2)} ms`
  );
}

function fmt(n: number, digits = 0): string {
  return n.toFixed(digits);
}

function log(line: string) {
  console.log(line);
}

function intEnv(name: string, fallback: number): number {
  const v = Number(process.env[name]);
  return Number.isInteger(v) && v > 0 ? v : fallback;
}


/** The benchmark creates and drops a database: never against a remote server. */
function assertLocal(url: string) {
  const host = new URL(url).hostname;
  if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host)) {
    throw new Error(`BENCH_DATABASE_URL must point at a local Postgres, not ${host}`);
  }
}

/** A small seeded PRNG, so two runs ask the same questions. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
