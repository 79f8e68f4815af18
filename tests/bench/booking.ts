/**
 * `npm run bench:booking`: requests per second and latency of POST /api/v1/profiles/{slug}/requests
 * through the real HTTP route of a production build on the machine's Postgres, with 20 concurrent
 * clients: (a) each request for a distinct time, (b) all for one time. pgbench's -N transactions
 * per second are measured in the same run, so the numbers read as a ratio to the machine.
 *
 * BENCH_DATABASE_URL: a local Postgres server URL (default postgres://postgres@127.0.0.1:5432/postgres).
 * BENCH_REUSE_BUILD=1 skips `next build` when .next-bench exists. BENCH_REQUESTS (default 2000).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { Client } from 'pg';
import { sql } from 'drizzle-orm';
import { openDatabase, migrateDatabase } from '../../db/client';
import { availabilityRules, medicalServices, profiles } from '../../db/schema';
import { materializeSlots } from '../../lib/availability/materialize';
import { withDatabase } from '../helpers/pg-url';

const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const port = Number(process.env.BENCH_PORT ?? 3500);
const CLIENTS = 20;
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2000);
const distDir = '.next-bench';


function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function runClients(total: number, makeBody: (i: number) => unknown): Promise<{ latencies: number[]; statuses: Map<number, number>; seconds: number }> {
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      for (;;) {
        const i = next++;
        if (i >= total) return;
        const t0 = performance.now();
        const res = await fetch(`http://127.0.0.1:${port}/api/v1/profiles/bench/requests`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` },
          body: JSON.stringify(makeBody(i)),
        });
        await res.arrayBuffer();
        latencies.push(performance.now() - t0);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      }
    }),
  );
  return { latencies: latencies.sort((a, b) => a - b), statuses, seconds: (performance.now() - started) / 1000 };
}

function report(name: string, r: Awaited<ReturnType<typeof runClients>>) {
  const n = r.latencies.length;
  console.log(
    `${name}: ${n} requests, ${CLIENTS} clients, ${(n / r.seconds).toFixed(0)} req/s, ` +
      `p50 ${percentile(r.latencies, 50).toFixed(1)} ms, p95 ${percentile(r.latencies, 95).toFixed(1)} ms, p99 ${percentile(r.latencies, 99).toFixed(1)} ms; ` +
      `statuses ${JSON.stringify(Object.fromEntries(r.statuses))}`,
  );
  return n / r.seconds;
}

function pgbench(dbUrl: string): number {
  const u = new URL(dbUrl);
  const args = ['-h', u.hostname, '-p', u.port || '5432', '-U', u.username || 'postgres'];
  const db = u.pathname.slice(1);
  const init = spawnSync('pgbench', [...args, '-i', '-q', '-s', '10', db], { encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`pgbench -i failed: ${init.stderr}`);
  const run = spawnSync('pgbench', [...args, '-N', '-c', String(CLIENTS), '-j', '2', '-T', '15', db], { encoding: 'utf8' });
  const m = /tps = ([\d.]+)/.exec(run.stdout);
  if (!m) throw new Error(`pgbench failed: ${run.stderr}`);
  return Number(m[1]);
}

async function main() {
  const stamp = Date.now().toString(36);
  const appDb = `dap_bench_booking_${stamp}`;
  const pgbenchDb = `dap_bench_pgbench_${stamp}`;
  const admin = new Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await admin.connect();
  let server: ChildProcess | undefined;
  try {
    await admin.query(`CREATE DATABASE "${appDb}"`);
    await admin.query(`CREATE DATABASE "${pgbenchDb}"`);
    const appUrl = withDatabase(serverUrl, appDb);

    // A practice open around the clock with 15-minute slots for a year: enough distinct times.
    const handle = await openDatabase({ driver: 'pg', url: appUrl });
    await migrateDatabase(handle);
    const [p] = await handle.db
      .insert(profiles)
      .values({ slug: 'bench', displayName: 'Bench practice', timeZone: 'Europe/Madrid', slotMinutes: 15, minNoticeMinutes: 0, horizonDays: 366 })
      .returning({ id: profiles.id });
    const [service] = await handle.db
      .insert(medicalServices)
      .values({ profileId: p.id, name: 'Consultation', durationMinutes: 15, priceAmount: 5000, currency: 'EUR' })
      .returning({ id: medicalServices.id });
    await handle.db.insert(availabilityRules).values([1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ profileId: p.id, weekday, startTime: '00:00', endTime: '23:45' })));
    await materializeSlots(handle.db, p.id);
    const starts = (
      await handle.db.execute<{ starts_at: Date }>(
        sql`SELECT starts_at FROM time_slots WHERE profile_id = ${p.id} AND starts_at > now() + interval '1 hour' ORDER BY starts_at LIMIT ${REQUESTS + 200}`,
      )
    ).rows.map((r) => new Date(r.starts_at).toISOString());
    await handle.close();
    if (starts.length < REQUESTS + 200) throw new Error(`only ${starts.length} slots`);

    const env = { ...process.env, NODE_ENV: 'production' as const, NEXT_DIST_DIR: distDir, DATABASE_URL: appUrl, PG_POOL_MAX: '20', AUTH_SECRET: 'bench-secret-0123456789abcdef0123', TRUSTED_PROXY: '1', NEXT_TELEMETRY_DISABLED: '1', LOCAL_SWEEP_SECONDS: '3600' };
    if (process.env.BENCH_REUSE_BUILD !== '1') {
      console.log('building the production app (next build)…');
      const build = spawnSync('npx', ['next', 'build'], { env, stdio: 'ignore' });
      if (build.status !== 0) throw new Error('next build failed');
    }
    server = spawn('npx', ['next', 'start', '-p', String(port), '-H', '127.0.0.1'], { env, stdio: 'ignore', detached: true });
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`http://127.0.0.1:${port}/api/health`)).ok) break;
      } catch {
        // not up yet
      }
      if (i > 120) throw new Error('server did not start');
      await new Promise((r) => setTimeout(r, 500));
    }

    const body = (startsAt: string, i: number) => ({
      serviceId: service.id,
      startsAt,
      patient: { name: `Bench Patient ${i}`, phone: `+3461${String(i).padStart(7, '0')}` },
      consent: true,
    });
    // Warm-up: compile paths, fill pools.
    const warm = await runClients(100, (i) => body(starts[i], 900_000 + i));
    void warm;
    const distinct = await runClients(REQUESTS, (i) => body(starts[100 + i], i));
    const oneTime = starts[REQUESTS + 150];
    const contended = await runClients(REQUESTS, (i) => body(oneTime, 500_000 + i));

    const tps = pgbench(withDatabase(serverUrl, pgbenchDb));
    console.log('');
    const a = report('distinct times', distinct);
    const b = report('one time     ', contended);
    console.log(`pgbench -N (${CLIENTS} clients, 15 s, scale 10): ${tps.toFixed(0)} tps`);
    console.log(`ratio to pgbench -N: distinct ${(a / tps).toFixed(3)}, one time ${(b / tps).toFixed(3)}`);
    if ((distinct.statuses.get(201) ?? 0) !== REQUESTS) console.log('WARNING: not every distinct-time request was accepted');
    if ((contended.statuses.get(201) ?? 0) !== 1) console.log('WARNING: the contended time was accepted other than exactly once');
  } finally {
    if (server?.pid) {
      try {
        process.kill(-server.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
    await new Promise((r) => setTimeout(r, 1000));
    await admin.query(`DROP DATABASE IF EXISTS "${appDb}" WITH (FORCE)`);
    await admin.query(`DROP DATABASE IF EXISTS "${pgbenchDb}" WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
