/**
 * `npm run bench:dashboard`: server-side render time of the doctor's requests list and agenda for
 * a practice with 500 pending requests and 2,000 appointments, on the machine's Postgres.
 *
 * Each iteration does what the page does on the server: load the actor, run the same lib query
 * functions, and render the same presentational components the pages use to HTML with
 * react-dom/server (`renderToString`). 200 iterations after a warm-up; p50/p95/max in ms.
 * Target: p95 < 200 ms.
 *
 * With BENCH_HTTP=1 it also builds the app (NEXT_DIST_DIR=.next-bench-dash), starts it on
 * BENCH_PORT (3602), signs in through /api/auth and times GET /dashboard/requests and
 * GET /dashboard/appointments?view=week over HTTP (the full Next render, layout and session
 * included). BENCH_REUSE_BUILD=1 skips the build when that folder exists.
 *
 * BENCH_DATABASE_URL: a local Postgres server URL (default postgres://postgres@127.0.0.1:5432/postgres).
 * A fresh database dap_bench_dash_<ts> is created, migrated, filled and dropped at the end.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { createElement } from 'react';
import { NextIntlClientProvider } from 'next-intl';
import { renderToString } from 'react-dom/server';
import { Client } from 'pg';
import { sql } from 'drizzle-orm';
import { openDatabase, migrateDatabase, type Db } from '../../db/client';
import { medicalServices, profileMembers, profiles, users } from '../../db/schema';
import { Agenda } from '../../components/appointments/agenda';
import { agendaRange } from '../../components/appointments/agenda-range';
import { DecisionBoard } from '../../components/requests/decision-board';
import { PendingRequestList } from '../../components/requests/pending-request-list';
import { pickMessages } from '../../lib/i18n/catalogs';
import { DASHBOARD_CLIENT_MESSAGES } from '../../lib/i18n/client-namespaces';
import { countPending, groupByDay, listAgenda, listPendingRequests, PENDING_PAGE_SIZE } from '../../lib/appointments';
import { loadActor } from '../../lib/auth/actor';
import { hashPassword } from '../../lib/auth/password';
import type { ActionState } from '../../lib/actions';
import { withDatabase } from '../helpers/pg-url';

const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 200);
const WARMUP = 20;
const PENDING = 500;
const APPOINTMENTS = 2000;
const PATIENTS = 1200;
const TZ = 'Europe/Madrid';
const EMAIL = 'bench-doctor@bench.test';
const PASSWORD = 'bench-password-1';
const port = Number(process.env.BENCH_PORT ?? 3602);
const distDir = '.next-bench-dash';


function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function report(name: string, samples: number[], extra = '') {
  const s = [...samples].sort((a, b) => a - b);
  const line = `${name}: p50 ${percentile(s, 50).toFixed(1)} ms, p95 ${percentile(s, 95).toFixed(1)} ms, max ${s[s.length - 1].toFixed(1)} ms (${s.length} runs)${extra}`;
  console.log(line);
  return percentile(s, 95);
}

async function time(iterations: number, fn: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out;
}

/** One practice: 1,200 patients, 2,000 appointments (each from an approved request), 500 pending requests, some history. */
async function fill(db: Db): Promise<{ profileId: string; userId: string }> {
  const [user] = await db.insert(users).values({ email: EMAIL, name: 'Dr. Bench', passwordHash: await hashPassword(PASSWORD) }).returning({ id: users.id });
  const [profile] = await db
    .insert(profiles)
    .values({ slug: 'bench-dash', displayName: 'Bench practice', specialty: 'General practice', timeZone: TZ, slotMinutes: 15, horizonDays: 60 })
    .returning({ id: profiles.id });
  const p = profile.id;
  await db.insert(profileMembers).values({ profileId: p, userId: user.id, roles: ['doctor'] });
  await db.insert(medicalServices).values([
    { profileId: p, name: 'Quick consultation', durationMinutes: 15, priceAmount: 3000 },
    { profileId: p, name: 'General consultation', durationMinutes: 30, priceAmount: 5000 },
    { profileId: p, name: 'Full check-up', durationMinutes: 60, priceAmount: 9000 },
  ]);
  await db.execute(sql`
    INSERT INTO patients (profile_id, name, phone, email, date_of_birth)
    SELECT ${p}, 'Patient ' || i, '+3461' || lpad(i::text, 7, '0'), 'patient' || i || '@example.com',
           CASE WHEN i % 5 = 0 THEN NULL ELSE (date '1940-01-01' + (i * 17) % 25000) END
    FROM generate_series(1, ${PATIENTS}) AS i`);
  // 2,000 appointments, 34 a day on a 15-minute grid from 30 days ago: past ones completed,
  // no-show or cancelled, future ones mostly confirmed. Each comes from an approved request.
  await db.execute(sql`
    WITH pts AS (SELECT id, row_number() OVER (ORDER BY phone) AS n FROM patients WHERE profile_id = ${p}),
         svc AS (SELECT id, duration_minutes, row_number() OVER (ORDER BY duration_minutes) AS n FROM medical_services WHERE profile_id = ${p}),
         g AS (
           SELECT i, date_trunc('day', now()) - interval '30 days' + ((i / 34) * interval '1 day') + interval '7 hours' + ((i % 34) * interval '15 minutes') AS starts_at
           FROM generate_series(0, ${APPOINTMENTS - 1}) AS i
         )
    INSERT INTO reservation_requests (profile_id, service_id, patient_id, starts_at, ends_at, reason, consent_at, status, expires_at, decided_at, token_hash, created_at)
    SELECT ${p}, svc.id, pts.id, g.starts_at, g.starts_at + interval '15 minutes', 'Follow-up visit ' || g.i, g.starts_at - interval '3 days',
           'approved', g.starts_at - interval '2 days', g.starts_at - interval '2 days 12 hours', md5('bench-appt-' || g.i), g.starts_at - interval '3 days'
    FROM g JOIN pts ON pts.n = 1 + (g.i * 7) % ${PATIENTS} JOIN svc ON svc.n = 1 + g.i % 3`);
  await db.execute(sql`
    INSERT INTO reservations (request_id, profile_id, service_id, patient_id, starts_at, ends_at, status, confirmed_at, cancelled_at, cancel_reason)
    SELECT r.id, r.profile_id, r.service_id, r.patient_id, r.starts_at, r.ends_at, x.status::reservation_status, r.decided_at,
           CASE WHEN x.status = 'cancelled' THEN r.starts_at - interval '1 day' END,
           CASE WHEN x.status = 'cancelled' THEN 'The patient asked to move it.' END
    FROM reservation_requests r
    CROSS JOIN LATERAL (SELECT CASE
      WHEN abs(hashtext(r.id::text)) % 17 = 0 THEN 'cancelled'
      WHEN r.starts_at >= now() THEN 'confirmed'
      WHEN abs(hashtext(r.id::text)) % 11 = 0 THEN 'no_show'
      ELSE 'completed' END AS status) x
    WHERE r.profile_id = ${p} AND r.status = 'approved'`);
  // 500 pending requests with deadlines over the next day, for times over the next two weeks.
  await db.execute(sql`
    WITH pts AS (SELECT id, row_number() OVER (ORDER BY phone) AS n FROM patients WHERE profile_id = ${p}),
         svc AS (SELECT id, row_number() OVER (ORDER BY duration_minutes) AS n FROM medical_services WHERE profile_id = ${p})
    INSERT INTO reservation_requests (profile_id, service_id, patient_id, starts_at, ends_at, reason, consent_at, status, expires_at, token_hash, created_at)
    SELECT ${p}, svc.id, pts.id,
           date_trunc('day', now()) + interval '2 days' + ((i / 30) * interval '1 day') + interval '19 hours' + ((i % 30) * interval '10 minutes'),
           date_trunc('day', now()) + interval '2 days' + ((i / 30) * interval '1 day') + interval '19 hours 15 minutes' + ((i % 30) * interval '10 minutes'),
           'Persistent cough and a mild fever for ' || (1 + i % 9) || ' days; would like a check.', now() - interval '2 hours',
           'pending', now() + interval '10 minutes' + i * interval '2 minutes', md5('bench-pending-' || i), now() - interval '2 hours' + i * interval '10 seconds'
    FROM generate_series(0, ${PENDING - 1}) AS i
    JOIN pts ON pts.n = 1 + (i * 13) % ${PATIENTS} JOIN svc ON svc.n = 1 + i % 3`);
  // Some history: rejected and expired requests.
  await db.execute(sql`
    WITH pts AS (SELECT id, row_number() OVER (ORDER BY phone) AS n FROM patients WHERE profile_id = ${p}),
         svc AS (SELECT id FROM medical_services WHERE profile_id = ${p} ORDER BY duration_minutes LIMIT 1)
    INSERT INTO reservation_requests (profile_id, service_id, patient_id, starts_at, ends_at, reason, consent_at, status, expires_at, decided_at, decision_reason, token_hash, created_at)
    SELECT ${p}, svc.id, pts.id, now() - i * interval '3 hours', now() - i * interval '3 hours' + interval '15 minutes', 'Back pain', now() - i * interval '3 hours' - interval '2 days',
           CASE WHEN i % 2 = 0 THEN 'rejected' ELSE 'expired' END::request_status, now() - i * interval '3 hours' - interval '1 day',
           CASE WHEN i % 2 = 0 THEN now() - i * interval '3 hours' - interval '36 hours' END,
           CASE WHEN i % 2 = 0 THEN 'Please book a longer visit for this.' END,
           md5('bench-history-' || i), now() - i * interval '3 hours' - interval '2 days'
    FROM generate_series(1, 300) AS i, svc JOIN pts ON true
    WHERE pts.n = 1 + (i * 29) % ${PATIENTS}`);
  await db.execute(sql`ANALYZE`);
  return { profileId: p, userId: user.id };
}

const noAction = async (): Promise<ActionState> => ({});

async function renderBench(db: Db, profileId: string, userId: string) {
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)].toFixed(1);

  /** The requests page's server work for `shown` cards: the actor, the count, the list, the HTML. */
  const requestsPage = (shown: number) => {
    const parts = { query: [] as number[], render: [] as number[], html: 0 };
    const run = async () => {
      const now = new Date();
      const t0 = performance.now();
      const actor = (await loadActor(db, userId))!;
      // The lib functions read on the handle they are given (the benchmark's own database).
      const [requests, count] = await Promise.all([
        listPendingRequests(actor, profileId, { limit: shown }, { tx: db, now }),
        countPending(actor, profileId, {}, { tx: db, now }),
      ]);
      const t1 = performance.now();
      const html = renderToString(
        // The decision forms are client components reading their words from next-intl's provider.
        // eslint-disable-next-line react/no-children-prop -- the provider's props type requires children
        createElement(NextIntlClientProvider, {
          locale: 'en',
          messages: pickMessages('en', DASHBOARD_CLIENT_MESSAGES),
          timeZone: 'UTC',
          children: createElement(
            DecisionBoard,
            { approveAction: noAction, rejectAction: noAction },
            createElement(PendingRequestList, { requests, timeZone: TZ, now, profileId, canDecide: true }),
          ),
        }),
      );
      parts.query.push(t1 - t0);
      parts.render.push(performance.now() - t1);
      parts.html = html.length;
      if (count !== PENDING || requests.length !== shown) throw new Error(`expected ${shown} of ${PENDING} pending, got ${requests.length} of ${count}`);
    };
    return { run, parts };
  };

  const agenda = { query: [] as number[], render: [] as number[], html: 0, rows: 0 };
  const agendaPage = async () => {
    const t0 = performance.now();
    const actor = (await loadActor(db, userId))!;
    const range = agendaRange({ view: 'week' }, TZ);
    const items = await listAgenda(actor, profileId, { from: range.from, to: range.to }, { tx: db });
    const t1 = performance.now();
    const html = renderToString(createElement(Agenda, { days: groupByDay(range.days, items, TZ), timeZone: TZ, today: range.today }));
    agenda.query.push(t1 - t0);
    agenda.render.push(performance.now() - t1);
    agenda.html = html.length;
    agenda.rows = items.length;
  };

  const firstPage = requestsPage(PENDING_PAGE_SIZE);
  const all = requestsPage(PENDING);
  const bench = async (run: () => Promise<void>, parts: { query: number[]; render: number[] }) => {
    await time(WARMUP, run);
    parts.query.length = parts.render.length = 0;
    return time(ITERATIONS, run);
  };
  const r1 = await bench(firstPage.run, firstPage.parts);
  const r2 = await bench(agendaPage, agenda);
  const r3 = await bench(all.run, all.parts);

  const kib = (n: number) => `${(n / 1024).toFixed(0)} KiB HTML`;
  const split = (p: { query: number[]; render: number[] }) => `; medians ${median(p.query)} ms queries + ${median(p.render)} ms render`;
  console.log('');
  console.log('Server-side render (lib queries + react-dom/server renderToString of the pages\u2019 components):');
  const a = report(`  requests list, as shipped (${PENDING_PAGE_SIZE} nearest of ${PENDING})`, r1, `, ${kib(firstPage.parts.html)}${split(firstPage.parts)}`);
  const b = report(`  agenda, week view (${agenda.rows} of ${APPOINTMENTS})       `, r2, `, ${kib(agenda.html)}${split(agenda)}`);
  report(`  requests list, "show all" (${PENDING} cards)    `, r3, `, ${kib(all.parts.html)}${split(all.parts)}`);
  return Math.max(a, b);
}

async function httpBench(appUrl: string): Promise<number> {
  const env = {
    ...process.env,
    NODE_ENV: 'production' as const,
    NEXT_DIST_DIR: distDir,
    DATABASE_URL: appUrl,
    AUTH_SECRET: 'bench-secret-0123456789abcdef0123',
    AUTH_TRUST_HOST: 'true',
    APP_URL: `http://127.0.0.1:${port}`,
    NEXT_TELEMETRY_DISABLED: '1',
    LOCAL_SWEEP_SECONDS: '3600',
    DEMO_SEED: 'off',
  };
  if (process.env.BENCH_REUSE_BUILD !== '1') {
    console.log(`building the production app into ${distDir} (next build)…`);
    // next build adds its dist folder's types to tsconfig.json; a benchmark leaves the file as it was.
    const tsconfig = readFileSync('tsconfig.json', 'utf8');
    const build = spawnSync('npx', ['next', 'build'], { env, stdio: 'ignore' });
    if (readFileSync('tsconfig.json', 'utf8') !== tsconfig) writeFileSync('tsconfig.json', tsconfig);
    if (build.status !== 0) throw new Error('next build failed');
  }
  let server: ChildProcess | undefined;
  try {
    server = spawn('npx', ['next', 'start', '-p', String(port), '-H', '127.0.0.1'], { env, stdio: 'ignore', detached: true });
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`${base}/api/health`)).ok) break;
      } catch {
        // not up yet
      }
      if (i > 240) throw new Error('server did not start');
      await new Promise((r) => setTimeout(r, 500));
    }
    const cookie = await signIn(base);
    const get = async (path: string) => {
      const res = await fetch(base + path, { headers: { cookie }, redirect: 'manual' });
      const body = await res.text();
      if (res.status !== 200) throw new Error(`GET ${path}: ${res.status}`);
      return body;
    };
    const first = await get('/dashboard/requests');
    if ((first.match(/data-testid="pending-request"/g) ?? []).length !== PENDING_PAGE_SIZE) throw new Error('the requests page did not list the nearest deadlines');
    const everything = await get(`/dashboard/requests?show=${PENDING}`);
    if ((everything.match(/data-testid="pending-request"/g) ?? []).length !== PENDING) throw new Error('"show all" did not list every pending request');
    const week = await get('/dashboard/appointments?view=week');
    await time(WARMUP, () => get('/dashboard/requests'));
    await time(WARMUP, () => get('/dashboard/appointments?view=week'));
    const r = await time(ITERATIONS, () => get('/dashboard/requests'));
    const a = await time(ITERATIONS, () => get('/dashboard/appointments?view=week'));
    await time(5, () => get(`/dashboard/requests?show=${PENDING}`));
    const all = await time(Math.min(ITERATIONS, 50), () => get(`/dashboard/requests?show=${PENDING}`));
    console.log('');
    console.log('Full page over HTTP (next start, signed in; layout, session and RSC included):');
    const p1 = report(`  GET /dashboard/requests (${PENDING_PAGE_SIZE} of ${PENDING})       `, r, `, ${(first.length / 1024).toFixed(0)} KiB`);
    const p2 = report('  GET /dashboard/appointments?view=week   ', a, `, ${(week.length / 1024).toFixed(0)} KiB`);
    report(`  GET /dashboard/requests?show=${PENDING}       `, all, `, ${(everything.length / 1024).toFixed(0)} KiB`);
    return Math.max(p1, p2);
  } finally {
    if (server?.pid) {
      try {
        process.kill(-server.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** The Auth.js credentials flow: CSRF token, then the callback; returns the session cookie header. */
async function signIn(base: string): Promise<string> {
  const jar = new Map<string, string>();
  const keep = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      jar.set(pair.slice(0, i), pair.slice(i + 1));
    }
  };
  const header = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const csrf = await fetch(`${base}/api/auth/csrf`);
  keep(csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await fetch(`${base}/api/auth/callback/credentials`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: header() },
    body: new URLSearchParams({ csrfToken, email: EMAIL, password: PASSWORD, callbackUrl: `${base}/dashboard` }),
    redirect: 'manual',
  });
  keep(res);
  if (![...jar.keys()].some((k) => k.includes('session-token'))) throw new Error(`sign-in failed (${res.status})`);
  return header();
}

async function main() {
  const name = `dap_bench_dash_${Date.now().toString(36)}`;
  const admin = new Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await admin.connect();
  let dropped = false;
  const drop = async () => {
    if (dropped) return;
    dropped = true;
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch((err) => console.error(`could not drop ${name}:`, err));
    await admin.end().catch(() => {});
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void drop().finally(() => process.exit(130)));
  }
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
    const appUrl = withDatabase(serverUrl, name);
    const handle = await openDatabase({ driver: 'pg', url: appUrl });
    let worst: number;
    try {
      await migrateDatabase(handle);
      const t0 = performance.now();
      const { profileId, userId } = await fill(handle.db);
      console.log(`filled ${name}: ${PENDING} pending requests, ${APPOINTMENTS} appointments, ${PATIENTS} patients in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      worst = await renderBench(handle.db, profileId, userId);
    } finally {
      await handle.close();
    }
    if (process.env.BENCH_HTTP === '1') worst = Math.max(worst, await httpBench(appUrl));
    console.log('');
    console.log(`machine: ${os.cpus().length} CPUs, load average ${os.loadavg().map((n) => n.toFixed(1)).join(' / ')} (1 / 5 / 15 min) at the end of the run`);
    console.log(worst < 200 ? `OK: every p95 is under 200 ms.` : `OVER TARGET: a p95 is ${worst.toFixed(1)} ms (target 200 ms).`);
    if (worst >= 200) process.exitCode = 1;
  } finally {
    await drop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
