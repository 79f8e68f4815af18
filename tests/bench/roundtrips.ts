/**
 * `npm run bench:roundtrips`: what the hot paths cost at production distance. Every database
 * connection of the app goes through tests/bench/delay-proxy.ts (a child process) which adds a
 * round-trip time of 0, 2 and 10 ms and counts round trips (see that file for how).
 *
 * For each operation, one client after another: round trips per call (median over the calls), and
 * p50/p95 latency at each RTT. The operations, as the app runs them (lib calls, in this process):
 * keyed booking (an integration key that verified the phone, with an Idempotency-Key), code
 * accepted (acceptVerification), approve, reject, patient cancel (by token), the availability query
 * (7 days), the requests page's server render (actor, the list with its count, HTML) and the agenda's (week).
 *
 * Throughput with 20 concurrent clients at each RTT, each beside its floor measured in the same run
 * through the same proxy: in-process request creation vs `pgbench -N` (20 clients, 2 threads);
 * the production HTTP route (POST /api/v1/profiles/{slug}/requests on `next start`) vs a minimal
 * Next route doing one INSERT through the same driver (tests/bench/floor-app); the availability
 * query's p50 vs `SELECT 1`'s.
 *
 * The npm script runs it with NODE_ENV=production: the server renders pages with React's
 * production build (`next start`), and so do the in-process page renders here (React's
 * development build is several times slower and would measure checks production never runs).
 *
 * BENCH_DATABASE_URL: a local Postgres server URL (default postgres://postgres@127.0.0.1:5432/postgres);
 * a fresh database dap_bench_rt_<ts> is created and dropped. BENCH_RTTS (0,2,10), BENCH_SECONDS (8:
 * each throughput run), BENCH_HTTP=0 skips the HTTP part, BENCH_REUSE_BUILD=1 reuses the builds,
 * BENCH_KEEP_DB=1 keeps the app's database afterwards (to EXPLAIN its statements), BENCH_APP_CPU_PROF=<dir>
 * has the app's server write a CPU profile there. BENCH_QUICK=1 times only SELECT 1 and the
 * availability query one at a time (the throughput table's ratio needs them), then the throughput.
 * BENCH_INPROC_PROF=<file.cpuprofile>: a CPU profile of this process during the in-process
 * throughput run at the first RTT only (open it in Chrome's DevTools); BENCH_PROFILE_OP=<operation
 * name> and BENCH_OP_PROF=<file.cpuprofile>: the same for one operation's calls at the first RTT.
 * Before the throughput runs, one unmeasured run of each kind warms the JIT of this process and of
 * both servers (BENCH_WARMUP=0 skips it).
 * BENCH_REPEAT=<n>: each throughput ratio n times, each beside its own floor; the table shows the
 * median and the range (the floors vary ±30 % from run to run on a small VM).
 */
import { fork, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
// Imported as the components import it (one module instance, one context).
import { NextIntlClientProvider } from 'next-intl';
import { messagesFor } from '../../lib/i18n/catalogs';
import { Client } from 'pg';
import { withDatabase } from '../helpers/pg-url';

const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const RTTS = (process.env.BENCH_RTTS ?? '0,2,10').split(',').map(Number);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const CLIENTS = 20;
const HTTP = process.env.BENCH_HTTP !== '0';
const QUICK = process.env.BENCH_QUICK === '1';
const REPEAT = Math.max(1, Number(process.env.BENCH_REPEAT ?? 1));
/** The bench practice's slot and service length (see seed). */
const SLOT_MINUTES = REPEAT > 1 ? 5 : 15;
const APP_PORT = Number(process.env.BENCH_PORT ?? 3710);
const FLOOR_PORT = APP_PORT + 1;
const APP_DIST = '.next-bench-rt';
const SECRET = 'bench-secret-0123456789abcdef0123';
const SLUG = 'bench';
const TYPICAL = 'bench-typical';
const KEYS = 50;
const PENDING = 300;
const APPOINTMENTS = 1500;
const PATIENTS = 800;
/** Calls per operation and RTT (fewer at larger RTTs: each costs more). */
const calls = (rtt: number) => (rtt === 0 ? 60 : rtt <= 2 ? 40 : 25);

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const fmt = (n: number, d = 1) => n.toFixed(d);

/** The proxy in a child process, driven over IPC. */
class Proxy {
  private child!: ChildProcess;
  get pid(): number | undefined {
    return this.child?.pid;
  }
  private waiting: ((count: number) => void)[] = [];
  port = 0;

  async start(): Promise<void> {
    const u = new URL(serverUrl);
    this.child = fork(path.join(__dirname, 'delay-proxy.ts'), ['--target', `${u.hostname}:${u.port || 5432}`], { execArgv: ['--import', 'tsx'] });
    this.port = await new Promise<number>((resolve, reject) => {
      this.child.once('error', reject);
      this.child.once('message', (m: { port: number }) => resolve(m.port));
    });
    this.child.on('message', (m: { count: number }) => this.waiting.shift()?.(m.count));
  }

  private ask(msg: object): Promise<number> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.child.send(msg);
    });
  }

  rtt(ms: number) {
    return this.ask({ op: 'rtt', ms });
  }
  reset() {
    return this.ask({ op: 'reset' });
  }
  count() {
    return this.ask({ op: 'count' });
  }
  stop() {
    this.child.kill();
  }
}

async function main() {
  const stamp = Date.now().toString(36);
  const dbName = `dap_bench_rt_${stamp}`;
  const pgbenchDb = `dap_bench_rt_pgbench_${stamp}`;
  const admin = new Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await admin.connect();
  const proxy = new Proxy();
  const servers: ChildProcess[] = [];
  let dropped = false;
  const cleanup = async () => {
    if (dropped) return;
    dropped = true;
    for (const s of servers) if (s.pid) try { process.kill(-s.pid, 'SIGTERM'); } catch { /* gone */ }
    proxy.stop();
    await new Promise((r) => setTimeout(r, 1000));
    if (process.env.BENCH_KEEP_DB === '1') console.log(`kept the database ${dbName} (BENCH_KEEP_DB=1): drop it yourself`);
    else await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`).catch(() => {});
    await admin.query(`DROP DATABASE IF EXISTS "${pgbenchDb}" WITH (FORCE)`).catch(() => {});
    await admin.end().catch(() => {});
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void cleanup().finally(() => process.exit(130)));

  try {
    await admin.query(`CREATE DATABASE "${dbName}"`);
    await admin.query(`CREATE DATABASE "${pgbenchDb}"`);
    await proxy.start();
    const directUrl = withDatabase(serverUrl, dbName);
    const u = new URL(directUrl);
    u.host = `127.0.0.1:${proxy.port}`;
    const proxiedUrl = u.toString();

    // The app's environment, before any lib module is loaded: its database is the proxy.
    Object.assign(process.env, {
      DATABASE_URL: proxiedUrl,
      DATABASE_DRIVER: 'pg',
      PG_POOL_MAX: String(CLIENTS),
      AUTH_SECRET: SECRET,
      APP_URL: `http://127.0.0.1:${APP_PORT}`,
      DEMO_SEED: 'off',
      LOCAL_SWEEP_SECONDS: '3600',
    });
    const { openDatabase, migrateDatabase, installDatabaseHandle } = await import('../../db/client');
    const direct = await openDatabase({ driver: 'pg', url: directUrl, poolMax: 4 });
    await migrateDatabase(direct);
    const seeded = await seed(direct.db);
    await direct.db.execute((await import('drizzle-orm')).sql`CREATE TABLE bench_floor (id bigserial PRIMARY KEY, body jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`);
    await direct.db.execute((await import('drizzle-orm')).sql`VACUUM ANALYZE`);
    await direct.close();
    // Loading pgbench's million rows is not timed, nor is its aftermath (writing them out):
    // the first throughput run once paid for it (a checkpoint's and autovacuum's CPU).
    pgbenchInit(pgbenchDb);
    await admin.query('CHECKPOINT');
    const app = await openDatabase({ driver: 'pg', url: proxiedUrl, poolMax: CLIENTS });
    installDatabaseHandle(app);
    const ops = await operations(app.db, seeded);

    console.log(`bench:roundtrips (NODE_ENV=${process.env.NODE_ENV ?? 'unset'}) on ${os.cpus().length} CPUs, load average ${os.loadavg().map((n) => fmt(n, 2)).join(' / ')} at the start`);
    console.log('');

    // --- Latency and round trips, one call at a time -------------------------------------------
    const latency: Record<string, Record<number, { rts: number; p50: number; p95: number }>> = {};
    const warmPool = async () => Promise.all(Array.from({ length: CLIENTS }, () => ops.selectOne()));
    for (const rtt of RTTS) {
      await proxy.rtt(rtt);
      await warmPool();
      for (const [name, prepare] of Object.entries(ops.timed)) {
        if (QUICK && !['SELECT 1 (floor)', 'availability query (7 days)', process.env.BENCH_PROFILE_OP].includes(name)) continue;
        const n = calls(rtt);
        await (await prepare())(); // warm: the first call of a kind plans its statements
        const times: number[] = [];
        const rts: number[] = [];
        const profiling = process.env.BENCH_PROFILE_OP === name && rtt === RTTS[0] ? await startProfile() : null;
        for (let i = 0; i < n; i++) {
          const run = await prepare();
          await proxy.reset();
          const t0 = performance.now();
          await run();
          times.push(performance.now() - t0);
          rts.push(await proxy.count());
        }
        if (profiling) await profiling.stop(process.env.BENCH_OP_PROF ?? 'operation.cpuprofile');
        times.sort((a, b) => a - b);
        rts.sort((a, b) => a - b);
        (latency[name] ??= {})[rtt] = { rts: pct(rts, 50), p50: pct(times, 50), p95: pct(times, 95) };
      }
      console.log(`latency at ${rtt} ms RTT done (load ${fmt(os.loadavg()[0], 2)})`);
    }
    console.log('');
    const names = Object.keys(latency);
    console.log(`| operation | round trips | ${RTTS.map((r) => `p50 / p95 at ${r} ms RTT`).join(' | ')} |`);
    console.log(`|---|---|${RTTS.map(() => '---').join('|')}|`);
    for (const name of names) {
      const cells = RTTS.map((r) => `${fmt(latency[name][r].p50)} / ${fmt(latency[name][r].p95)} ms`);
      const rts = [...new Set(RTTS.map((r) => latency[name][r].rts))].join(' / ');
      console.log(`| ${name} | ${rts} | ${cells.join(' | ')} |`);
    }

    // --- Throughput, 20 clients, beside the floors ---------------------------------------------
    let builds: { app: boolean; floor: boolean } = { app: false, floor: false };
    if (HTTP) builds = await startServers(proxiedUrl, servers);
    if (builds.app) {
      // The HTTP route one call at a time: its round trips include the key's check and count.
      console.log('');
      console.log('| HTTP booking route (keyed, next start) | round trips | p50 / p95 |');
      console.log('|---|---|---|');
      for (const rtt of RTTS) {
        await proxy.rtt(rtt);
        for (let i = 0; i < 5; i++) await ops.bookOverHttp(i);
        const times: number[] = [];
        const rts: number[] = [];
        for (let i = 0; i < calls(rtt); i++) {
          await proxy.reset();
          const t0 = performance.now();
          await ops.bookOverHttp(i);
          times.push(performance.now() - t0);
          rts.push(await proxy.count());
        }
        times.sort((a, b) => a - b);
        rts.sort((a, b) => a - b);
        console.log(`| at ${rtt} ms RTT | ${pct(rts, 50)} | ${fmt(pct(times, 50))} / ${fmt(pct(times, 95))} ms |`);
      }
    }
    console.log('');
    console.log(`| RTT | in-process request creation | pgbench -N | ratio | HTTP booking route | minimal Next INSERT route | ratio | availability p50 | SELECT 1 p50 | ratio |`);
    console.log(`|---|---|---|---|---|---|---|---|---|---|`);
    // CPU time per call of every process on the machine's cores during each throughput run.
    const cpu: string[] = [];
    const pids = { proxy: proxy.pid, app: servers[0]?.pid, floor: servers[1]?.pid };
    const measured = async (run: () => Promise<number>, label: string, rtt: number) => {
      const before = cpuNow(pids);
      const rate = await run();
      const after = cpuNow(pids);
      const per = (key: keyof typeof before) => fmt((after[key] - before[key]) / (rate * SECONDS), 2);
      cpu.push(`| ${rtt} ms | ${label} | ${per('bench')} | ${per('proxy')} | ${per('postgres')} | ${per('app')} | ${per('floor')} |`);
      return rate;
    };
    // Warm-up, not measured (BENCH_WARMUP=0 skips it): one throughput run of each kind at the first
    // RTT, so every measured run meets code the JIT has compiled, as a long-running server does.
    // Without it the first runs measured a server still compiling: the app server's CPU per
    // booking fell by half across three repeats (9.0, 9.7, 4.6 ms), the floor's simpler route less.
    if (process.env.BENCH_WARMUP !== '0') {
      await proxy.rtt(RTTS[0]);
      await warmPool();
      await throughput(() => ops.book());
      if (builds.app) await throughput((i) => ops.bookOverHttp(i));
      if (builds.floor) await throughput((i) => insertOverHttp(i));
      console.log(`warm-up done (${SECONDS} s of each kind, not measured)`);
    }
    for (const rtt of RTTS) {
      await proxy.rtt(rtt);
      await warmPool();
      // Each run starts vacuumed and with the data written out: no run pays for the one before it
      // (autovacuum cleaning up after the last run's thousands of bookings landed in the next one).
      const settle = async () => {
        const app = new Client({ connectionString: directUrl });
        await app.connect();
        await app.query('VACUUM ANALYZE');
        await app.end();
        await admin.query('CHECKPOINT');
      };
      // BENCH_REPEAT=n: each ratio n times, side by side (its floor in the same repeat); the table
      // shows the median run of each, and the ratios' range when n > 1 (this VM varies ±30 %).
      const runs: { inproc: number; tps: number; http: number; floor: number }[] = [];
      for (let repeat = 0; repeat < REPEAT; repeat++) {
        await settle();
        const profiling = process.env.BENCH_INPROC_PROF && rtt === RTTS[0] && repeat === 0 ? await startProfile() : null;
        const inproc = await measured(() => throughput(() => ops.book()), 'in-process request creation', rtt);
        if (profiling) await profiling.stop(process.env.BENCH_INPROC_PROF!);
        await settle();
        const tps = pgbench(proxy.port, pgbenchDb);
        let http = NaN;
        let floor = NaN;
        await settle();
        if (builds.app) http = await measured(() => throughput((i) => ops.bookOverHttp(i)), 'HTTP booking route', rtt);
        await settle();
        if (builds.floor) floor = await measured(() => throughput((i) => insertOverHttp(i)), 'minimal INSERT route', rtt);
        runs.push({ inproc, tps, http, floor });
      }
      const median = <T,>(items: T[], by: (item: T) => number) => [...items].sort((a, b) => by(a) - by(b))[Math.floor(items.length / 2)];
      const inprocRatio = (r: (typeof runs)[number]) => (100 * r.inproc) / r.tps;
      const httpRatio = (r: (typeof runs)[number]) => (100 * r.http) / r.floor;
      const range = (by: (r: (typeof runs)[number]) => number) =>
        REPEAT > 1 ? ` (${fmt(Math.min(...runs.map(by)), 0)}–${fmt(Math.max(...runs.map(by)), 0)})` : '';
      const a = median(runs, inprocRatio);
      const b = median(runs, httpRatio);
      const avail = latency['availability query (7 days)']?.[rtt]?.p50 ?? NaN;
      const one = latency['SELECT 1 (floor)']?.[rtt]?.p50 ?? NaN;
      console.log(
        `| ${rtt} ms | ${fmt(a.inproc, 0)}/s | ${fmt(a.tps, 0)} tps | ${fmt(inprocRatio(a), 0)} %${range(inprocRatio)} | ${fmt(b.http, 0)}/s | ${fmt(b.floor, 0)}/s | ${fmt(httpRatio(b), 0)} %${range(httpRatio)} | ${fmt(avail, 2)} ms | ${fmt(one, 2)} ms | ${fmt(avail / one, 1)}x |`,
      );
    }
    console.log('');
    console.log('CPU ms per call during each throughput run (2 cores = 2000 ms of CPU per second; bench = this process: the in-process calls, or the HTTP clients):');
    console.log('');
    console.log('| RTT | run | bench | delay proxy | Postgres and the rest (machine − named) | app server | floor server |');
    console.log('|---|---|---|---|---|---|---|');
    for (const line of cpu) console.log(line);
    console.log('');
    console.log(`load average ${os.loadavg().map((n) => fmt(n, 2)).join(' / ')} (1 / 5 / 15 min) at the end; ${ops.failures()} failed calls`);
    if (ops.failures()) console.log('WARNING: calls failed (not counted in the rates); see the first errors above');
    await app.close();
  } finally {
    await cleanup();
  }
}

/** A CPU profile of this process from now until stop() (node:inspector). */
async function startProfile() {
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    async stop(file: string) {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
      console.log(`in-process CPU profile written to ${file}`);
    },
  };
}

/**
 * CPU milliseconds (user + system) used so far, from /proc (Linux; NaN elsewhere), by: this
 * process alone, the delay proxy, each server with the processes under it (next start's workers),
 * and the rest of the machine (`postgres`: Postgres's backends, and anything else running).
 */
function cpuNow(pids: { proxy?: number; app?: number; floor?: number }) {
  const self = process.cpuUsage();
  const out = { bench: (self.user + self.system) / 1000, proxy: NaN, postgres: NaN, app: NaN, floor: NaN };
  if (!existsSync('/proc/self/stat')) return out;
  const stats = new Map<number, { ppid: number; ticks: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const text = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // After the command name in parentheses: state, ppid, … utime (14th field), stime (15th).
      const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
      stats.set(Number(entry), { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      // the process ended meanwhile
    }
  }
  const tree = (root: number | undefined) => {
    if (root === undefined) return NaN;
    const wanted = new Set([root]);
    for (let grew = true; grew; ) {
      grew = false;
      for (const [pid, stat] of stats) {
        if (!wanted.has(pid) && wanted.has(stat.ppid)) {
          wanted.add(pid);
          grew = true;
        }
      }
    }
    let ticks = 0;
    for (const pid of wanted) ticks += stats.get(pid)?.ticks ?? 0;
    return ticks * 10; // USER_HZ is 100 on Linux
  };
  // Postgres's backends come and go (pgbench's end between runs): the machine's busy time from
  // /proc/stat minus the processes named here is Postgres and whatever else runs.
  const [, ...cpuFields] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  const busy = (cpuFields[0] + cpuFields[1] + cpuFields[2] + cpuFields[5] + cpuFields[6] + cpuFields[7]) * 10; // user nice system irq softirq steal
  const named = { proxy: tree(pids.proxy), app: tree(pids.app), floor: tree(pids.floor) };
  const selfTicks = (stats.get(process.pid)?.ticks ?? 0) * 10;
  const others = busy - selfTicks - [named.proxy, named.app, named.floor].reduce((sum, ms) => sum + (Number.isNaN(ms) ? 0 : ms), 0);
  return { ...out, ...named, postgres: others };
}

/** Calls `fn` from CLIENTS workers for SECONDS; successful calls per second. */
async function throughput(fn: (i: number) => Promise<unknown>): Promise<number> {
  // Only successful calls count: a call that failed (its time taken, say) is cheap and would inflate the rate.
  let next = 0;
  let done = 0;
  const until = performance.now() + SECONDS * 1000;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (performance.now() < until) {
        if ((await fn(next++)) !== false) done++;
      }
    }),
  );
  return done / ((performance.now() - t0) / 1000);
}

/** pgbench's tables (scale 10), made before anything is timed. */
function pgbenchInit(db: string): void {
  const args = ['-h', '127.0.0.1', '-p', String(new URL(serverUrl).port || 5432), '-U', new URL(serverUrl).username || 'postgres'];
  const init = spawnSync('pgbench', [...args, '-i', '-q', '-s', '10', db], { encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`pgbench -i failed: ${init.stderr}`);
}

function pgbench(port: number, db: string): number {
  const args = ['-h', '127.0.0.1', '-p', String(port), '-U', new URL(serverUrl).username || 'postgres'];
  const run = spawnSync('pgbench', [...args, '-N', '-c', String(CLIENTS), '-j', '2', '-T', String(SECONDS), db], { encoding: 'utf8' });
  const m = /tps = ([\d.]+)/.exec(run.stdout);
  if (!m) throw new Error(`pgbench failed: ${run.stderr}`);
  return Number(m[1]);
}

async function insertOverHttp(i: number) {
  const res = await fetch(`http://127.0.0.1:${FLOOR_PORT}/api/insert`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ n: i, patient: { name: 'Bench Patient', phone: '+34600000000' } }),
  });
  await res.arrayBuffer();
  if (res.status !== 201) throw new Error(`floor route answered ${res.status}`);
}

/** Builds (unless BENCH_REUSE_BUILD=1 and built) and starts the app and the floor app on the proxy. */
async function startServers(databaseUrl: string, servers: ChildProcess[]): Promise<{ app: boolean; floor: boolean }> {
  const env = {
    ...process.env,
    NODE_ENV: 'production' as const,
    NEXT_TELEMETRY_DISABLED: '1',
    DATABASE_URL: databaseUrl,
    PG_POOL_MAX: String(CLIENTS),
    AUTH_SECRET: SECRET,
    AUTH_TRUST_HOST: 'true',
    TRUSTED_PROXY: '1',
    APP_URL: `http://127.0.0.1:${APP_PORT}`,
    LOCAL_SWEEP_SECONDS: '3600',
    DEMO_SEED: 'off',
  };
  const floorDir = path.join(__dirname, 'floor-app');
  const reuse = process.env.BENCH_REUSE_BUILD === '1';
  const out = { app: true, floor: true };
  if (!reuse || !existsSync(APP_DIST)) {
    console.log(`building the app into ${APP_DIST} (next build)…`);
    // next build adds its dist folder's types to tsconfig.json; a benchmark leaves the file as it was.
    const tsconfig = readFileSync('tsconfig.json', 'utf8');
    const build = spawnSync('npx', ['next', 'build'], { env: { ...env, NEXT_DIST_DIR: APP_DIST }, stdio: 'ignore' });
    if (readFileSync('tsconfig.json', 'utf8') !== tsconfig) writeFileSync('tsconfig.json', tsconfig);
    if (build.status !== 0) {
      console.log('WARNING: next build of the app failed (another helper’s work in progress?): no HTTP numbers');
      out.app = false;
    }
  }
  if (!reuse || !existsSync(path.join(floorDir, '.next-floor'))) {
    console.log('building the floor app (tests/bench/floor-app)…');
    const build = spawnSync('npx', ['next', 'build', floorDir], { env, stdio: 'ignore' });
    if (build.status !== 0) throw new Error('next build of the floor app failed');
  }
  const start = async (args: string[], port: number, extra: Record<string, string>, health: string, nodeFlags: string[] = []) => {
    const next = ['node_modules/next/dist/bin/next', 'start', ...args, '-p', String(port), '-H', '127.0.0.1'];
    const child = spawn('node', [...nodeFlags, ...next], { env: { ...env, ...extra }, stdio: 'ignore', detached: true });
    servers.push(child);
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`http://127.0.0.1:${port}${health}`)).ok) return;
      } catch {
        // not up yet
      }
      if (i > 120) throw new Error(`server on ${port} did not start`);
      await new Promise((r) => setTimeout(r, 500));
    }
  };
  // BENCH_APP_CPU_PROF=<dir>: the app's server writes a CPU profile there when it stops.
  const profile = process.env.BENCH_APP_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_APP_CPU_PROF}`] : [];
  if (out.app) await start([], APP_PORT, { NEXT_DIST_DIR: APP_DIST }, '/api/health', profile);
  await start([floorDir], FLOOR_PORT, {}, '/api/insert');
  // Warm both: compile paths, fill pools.
  return out;
}

interface Seeded {
  /** The typical practice (weekdays 09:00–13:00 and 15:00–18:00) the dashboard and the availability query read. */
  typical: { profileId: string; serviceId: string };
  profileId: string;
  serviceId: string;
  userId: string;
  keys: { id: string; key: string }[];
  starts: string[];
}

/**
 * One practice open around the clock (15-minute slots, a year ahead), a doctor, keys, some history.
 * With BENCH_REPEAT > 1 its slots and its service last 5 minutes (a booking still claims one
 * slot): every repeat books thousands of times, more than a year of 15-minute slots holds.
 */
async function seed(db: import('../../db/client').Db): Promise<Seeded> {
  const { sql } = await import('drizzle-orm');
  const { availabilityRules, integrationKeys, medicalServices, profileMembers, profiles, users } = await import('../../db/schema');
  const { materializeSlots } = await import('../../lib/availability/materialize');
  const { hashPassword } = await import('../../lib/auth/password');
  const { storedKey } = await import('../../lib/integrations');
  const [user] = await db.insert(users).values({ email: 'bench-doctor@bench.test', name: 'Dr. Bench', passwordHash: await hashPassword('bench-password-1') }).returning({ id: users.id });
  const [p] = await db
    .insert(profiles)
    .values({ slug: SLUG, displayName: 'Bench practice', timeZone: 'Europe/Madrid', slotMinutes: SLOT_MINUTES, minNoticeMinutes: 0, horizonDays: 366, approvalWindowMinutes: 7 * 1440 })
    .returning({ id: profiles.id });
  await db.insert(profileMembers).values({ profileId: p.id, userId: user.id, roles: ['doctor'] });
  const [service] = await db
    .insert(medicalServices)
    .values({ profileId: p.id, name: 'Consultation', durationMinutes: SLOT_MINUTES, priceAmount: 5000, currency: 'EUR' })
    .returning({ id: medicalServices.id });
  await db.insert(availabilityRules).values([1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ profileId: p.id, weekday, startTime: '00:00', endTime: '23:45' })));
  await materializeSlots(db, p.id);
  const [t] = await db
    .insert(profiles)
    .values({ slug: TYPICAL, displayName: 'A typical practice', timeZone: 'Europe/Madrid', slotMinutes: 15, minNoticeMinutes: 120, horizonDays: 90 })
    .returning({ id: profiles.id });
  await db.insert(profileMembers).values({ profileId: t.id, userId: user.id, roles: ['doctor'] });
  const [typicalService] = await db
    .insert(medicalServices)
    .values({ profileId: t.id, name: 'General consultation', durationMinutes: 30, priceAmount: 5000, currency: 'EUR' })
    .returning({ id: medicalServices.id });
  await db.insert(availabilityRules).values(
    [1, 2, 3, 4, 5].flatMap((weekday) => [
      { profileId: t.id, weekday, startTime: '09:00', endTime: '13:00' },
      { profileId: t.id, weekday, startTime: '15:00', endTime: '18:00' },
    ]),
  );
  await materializeSlots(db, t.id);
  const keys = Array.from({ length: KEYS }, (_, i) => ({ id: randomUUID(), key: `cst_bench_${String(i).padStart(4, '0')}_${randomUUID().replace(/-/g, '')}` }));
  await db.insert(integrationKeys).values(keys.map((k, i) => ({ id: k.id, profileId: p.id, name: `bench ${i}`, ...storedKey(k.key) })));
  // History the dashboard reads: patients, appointments over the weeks around today, pending requests.
  await db.execute(sql`
    INSERT INTO patients (profile_id, name, phone, email, date_of_birth)
    SELECT ${t.id}, 'Patient ' || i, '+3461' || lpad(i::text, 7, '0'), 'patient' || i || '@example.com', date '1950-01-01' + (i * 17) % 20000
    FROM generate_series(1, ${PATIENTS}) AS i`);
  await db.execute(sql`
    WITH pts AS (SELECT id, row_number() OVER (ORDER BY phone) AS n FROM patients WHERE profile_id = ${t.id}),
         g AS (SELECT i, date_trunc('day', now()) - interval '30 days' + ((i / 30) * interval '1 day') + interval '8 hours 7 minutes' + ((i % 30) * interval '20 minutes') AS starts_at
               FROM generate_series(0, ${APPOINTMENTS - 1}) AS i)
    INSERT INTO reservation_requests (profile_id, service_id, patient_id, starts_at, ends_at, reason, consent_at, status, expires_at, decided_at, token_hash, created_at)
    SELECT ${t.id}, ${typicalService.id}, pts.id, g.starts_at, g.starts_at + interval '15 minutes', 'Follow-up ' || g.i, g.starts_at - interval '3 days',
           'approved', g.starts_at - interval '2 days', g.starts_at - interval '2 days', md5('bench-appt-' || g.i), g.starts_at - interval '3 days'
    FROM g JOIN pts ON pts.n = 1 + (g.i * 7) % ${PATIENTS}`);
  await db.execute(sql`
    INSERT INTO reservations (request_id, profile_id, service_id, patient_id, starts_at, ends_at, status, confirmed_at)
    SELECT r.id, r.profile_id, r.service_id, r.patient_id, r.starts_at, r.ends_at,
           (CASE WHEN r.starts_at >= now() THEN 'confirmed' ELSE 'completed' END)::reservation_status, r.decided_at
    FROM reservation_requests r WHERE r.profile_id = ${t.id} AND r.status = 'approved'`);
  await db.execute(sql`
    WITH pts AS (SELECT id, row_number() OVER (ORDER BY phone) AS n FROM patients WHERE profile_id = ${t.id})
    INSERT INTO reservation_requests (profile_id, service_id, patient_id, starts_at, ends_at, reason, consent_at, status, expires_at, token_hash, created_at)
    SELECT ${t.id}, ${typicalService.id}, pts.id,
           date_trunc('day', now()) + interval '400 days' + i * interval '1 hour', date_trunc('day', now()) + interval '400 days' + i * interval '1 hour' + interval '15 minutes',
           'Persistent cough for ' || (1 + i % 9) || ' days', now() - interval '1 hour', 'pending', now() + interval '1 day' + i * interval '1 minute', md5('bench-pending-' || i), now() - interval '1 hour'
    FROM generate_series(0, ${PENDING - 1}) AS i JOIN pts ON pts.n = 1 + (i * 13) % ${PATIENTS}`);
  const starts = (
    await db.execute<{ starts_at: Date }>(sql`SELECT starts_at FROM time_slots WHERE profile_id = ${p.id} AND starts_at > now() + interval '1 hour' AND status = 'available' ORDER BY starts_at`)
  ).rows.map((r) => new Date(r.starts_at).toISOString());
  return { typical: { profileId: t.id, serviceId: typicalService.id }, profileId: p.id, serviceId: service.id, userId: user.id, keys, starts };
}

/** The operations, each on fresh input (a free time, a pending request, a verification). */
async function operations(db: import('../../db/client').Db, s: Seeded) {
  const { sql } = await import('drizzle-orm');
  const { createRequest } = await import('../../lib/booking/create');
  const { acceptVerification } = await import('../../lib/booking/verification');
  const { cancelRequestByToken } = await import('../../lib/booking/status');
  const { findBookableStarts } = await import('../../lib/availability/query');
  const { getPublicProfile } = await import('../../lib/availability/public-profile');
  const { addDays, todayIn } = await import('../../lib/availability/time');
  const { approveRequest, rejectRequest, mayDecide } = await import('../../lib/approval');
  const { listAgenda, listCalendar, pendingRequestsPage, groupByDay, PENDING_PAGE_SIZE } = await import('../../lib/appointments');
  const { loadActor } = await import('../../lib/auth/actor');
  const { Agenda } = await import('../../components/appointments/agenda');
  const { agendaRange } = await import('../../components/appointments/agenda-range');
  const { WeekGrid } = await import('../../components/appointments/week-grid');
  const { DecisionBoard } = await import('../../components/requests/decision-board');
  const { PendingRequestList } = await import('../../components/requests/pending-request-list');
  const { contactVerifications } = await import('../../db/schema');
  const TZ = 'Europe/Madrid';
  // The pages' client components read their words from next-intl, as under the app's provider.
  const html = (element: ReturnType<typeof createElement>) =>
    // eslint-disable-next-line react/no-children-prop -- the provider's props type requires children
    renderToString(createElement(NextIntlClientProvider, { locale: 'en', messages: messagesFor('en'), timeZone: TZ, children: element }));
  // Free times from the far end backwards for the HTTP route, from the near end for the rest.
  let near = 0;
  let far = s.starts.length - 1;
  let phone = 0;
  let failures = 0;
  const nextPhone = () => `+3466${String(process.pid % 100).padStart(2, '0')}${String(++phone).padStart(5, '0')}`;
  const body = (startsAt: string) => ({
    serviceId: s.serviceId,
    startsAt,
    patient: { name: 'Bench Patient', phone: nextPhone(), email: 'bench.patient@example.com', phoneVerified: true },
    reason: 'Persistent cough for two weeks',
    consent: true,
  });
  const caller = (i: number) => ({
    clientAddress: '192.0.2.10',
    baseUrl: 'http://127.0.0.1',
    idempotencyKey: randomUUID(),
    integration: { keyId: s.keys[i % KEYS].id, profileId: s.profileId },
  });
  const created: { id: string; token: string }[] = [];
  const book = async () => {
    const out = await createRequest(caller(phone), SLUG, body(s.starts[near++]));
    if (out.kind !== 'created') throw new Error('the keyed booking asked for a code');
    created.push({ id: out.request.id, token: out.request.token });
    return out.request;
  };
  const pending = async () => {
    if (!created.length) await book();
    return created.shift()!;
  };
  const actor = (await loadActor(db, s.userId))!;
  const noAction = async () => ({});

  /** A verification waiting for its code, made as startVerification makes it (without sending). */
  const verification = async () => {
    const code = '123456';
    const b = { ...body(s.starts[near++]), patient: { name: 'Bench Patient', phone: nextPhone(), email: `p${phone}@example.com` } };
    const [row] = await db
      .insert(contactVerifications)
      .values({ profileId: s.profileId, channel: 'email', contact: b.patient.email, codeHash: '', payload: b, expiresAt: new Date(Date.now() + 600_000) })
      .returning({ id: contactVerifications.id });
    const hash = createHmac('sha256', SECRET).update(`verification-code\0${row.id}\0${code}`).digest('hex');
    await db.execute(sql`UPDATE contact_verifications SET code_hash = ${hash} WHERE id = ${row.id}`);
    return { id: row.id, code };
  };
  /** An operation whose input is made before the timed call: `prepare` answers the call to time. */
  const withInput =
    <T>(make: () => Promise<T>, run: (input: T) => Promise<unknown>) =>
    async () => {
      const input = await make();
      return async () => {
        try {
          await run(input);
        } catch (err) {
          failures++;
          if (failures < 5) console.error(err);
        }
      };
    };
  const plain = (run: () => Promise<unknown>) => async () => run;
  const from = todayIn(TZ);

  const timed: Record<string, () => Promise<() => Promise<unknown>>> = {
    'SELECT 1 (floor)': plain(() => db.execute(sql`SELECT 1`)),
    // Kept by the server between catalog changes (production): no round trip after the first read.
    'public profile (booking page, API)': plain(() => getPublicProfile(TYPICAL)),
    'availability query (7 days)': plain(() => findBookableStarts({ slug: TYPICAL }, { serviceId: s.typical.serviceId, from: addDays(from, 2), to: addDays(from, 8) })),
    'keyed booking': plain(book),
    'code accepted': withInput(verification, (v) => acceptVerification(v.id, { code: v.code }, { baseUrl: 'http://127.0.0.1' })),
    approve: withInput(pending, (r) => approveRequest(actor, s.profileId, { requestId: r.id })),
    reject: withInput(pending, (r) => rejectRequest(actor, s.profileId, { requestId: r.id, reason: 'Please book a longer visit.' })),
    'patient cancel': withInput(pending, (r) => cancelRequestByToken(r.token)),
    'requests page (server render)': plain(async () => {
      const now = new Date();
      const a = (await loadActor(db, s.userId))!;
      // As the page reads them: the list and the count in one round trip (pendingRequestsPage).
      const { count, requests } = await pendingRequestsPage(a, s.typical.profileId, { limit: PENDING_PAGE_SIZE }, { now });
      const canDecide = await mayDecide(a, s.typical.profileId);
      const page = html(
        createElement(DecisionBoard, { approveAction: noAction, rejectAction: noAction }, createElement(PendingRequestList, { requests, timeZone: TZ, now, profileId: s.typical.profileId, canDecide })),
      );
      if (!page || count < requests.length) throw new Error('requests page');
    }),
    'agenda (week, server render)': plain(async () => {
      const a = (await loadActor(db, s.userId))!;
      const range = agendaRange({ view: 'week' }, TZ);
      const [items, calendar] = await Promise.all([
        listAgenda(a, s.typical.profileId, { from: range.from, to: range.to }),
        listCalendar(a, s.typical.profileId, { from: range.from, to: range.to, dates: range.days }),
      ]);
      const page =
        html(createElement(WeekGrid, { days: calendar, timeZone: TZ, today: range.today })) +
        html(createElement(Agenda, { days: groupByDay(range.days, items, TZ), timeZone: TZ, today: range.today }));
      if (!page) throw new Error('agenda');
    }),
  };

  return {
    timed,
    selectOne: () => db.execute(sql`SELECT 1`),
    failures: () => failures,
    book: async () => {
      try {
        await createRequest(caller(phone), SLUG, body(s.starts[near++]));
        return true;
      } catch (err) {
        failures++;
        if (failures < 5) console.error(err);
        return false;
      }
    },
    bookOverHttp: async (i: number) => {
      const res = await fetch(`http://127.0.0.1:${APP_PORT}/api/v1/profiles/${SLUG}/requests`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${s.keys[i % KEYS].key}`, 'idempotency-key': randomUUID(), 'x-forwarded-for': '192.0.2.20' },
        body: JSON.stringify(body(s.starts[far--])),
      });
      await res.arrayBuffer();
      if (res.status !== 201) {
        failures++;
        if (failures < 5) console.error(`HTTP booking answered ${res.status}`);
        return false;
      }
      return true;
    },
  };
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
