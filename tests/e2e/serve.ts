/**
 * The app server for the browser tests: a fresh database (a new Postgres database when
 * TEST_DATABASE_URL is set, else an embedded PGlite folder), migrated and seeded with the demo
 * (`npm run db:seed`: a production server never seeds by itself), then a production build served
 * on E2E_PORT (3100), built into NEXT_DIST_DIR (.next-e2e), sending its e-mail to the test mailbox
 * (mailbox.ts: a real SMTP server, read over HTTP on E2E_PORT + 99). It drops only its own database when it stops; a database of another run is
 * left alone unless its name says it was created more than STALE_AFTER_MS ago (a killed run).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { withDatabase } from '../helpers/pg-url';
import { startMailbox } from './mailbox';

const port = process.env.E2E_PORT ?? '3100';
// Parallel runs each build into their own folder (the build is shared by nothing else).
const distDir = process.env.NEXT_DIST_DIR || '.next-e2e';
const serverUrl = process.env.TEST_DATABASE_URL;
const DB_PREFIX = 'dap_e2e_';
const STALE_AFTER_MS = 6 * 60 * 60 * 1000;

/** `dap_e2e_<created at, ms in base 36>_<pid>`: the creation time, for the stale-database sweep. */
function databaseName(now: number): string {
  return `${DB_PREFIX}${now.toString(36)}_${process.pid}`;
}

function createdAt(name: string): number | null {
  const match = /^dap_e2e_([0-9a-z]+)(_\d+)?$/.exec(name);
  const ms = match ? parseInt(match[1], 36) : NaN;
  return Number.isFinite(ms) ? ms : null;
}

function seed(env: NodeJS.ProcessEnv) {
  // English defaults: the specs send API requests with no language and read English messages; the
  // Spanish specs (i18n-*.spec.ts) ask in Spanish with Accept-Language or the switcher (issue 17).
  const run = spawnSync('npx', ['tsx', 'lib/demo/seed-cli.ts'], { env: { ...env, NODE_ENV: 'development', DEMO_DEFAULT_LOCALE: 'en' }, stdio: 'inherit' });
  if (run.status !== 0) throw new Error('seeding the e2e database failed');
}


async function main() {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    NEXT_DIST_DIR: distDir,
    PORT: port,
    AUTH_SECRET: process.env.AUTH_SECRET ?? 'e2e-secret-0123456789abcdef0123456789',
    // As behind one reverse proxy: each test client names its own address in X-Forwarded-For.
    TRUSTED_PROXY: '1',
    LOCAL_SWEEP_SECONDS: process.env.LOCAL_SWEEP_SECONDS ?? '5',
    // The booking page honours a moved clock (x-test-now header) in the browser tests only (lib/clock.ts).
    E2E_TEST_CLOCK: '1',
    NEXT_TELEMETRY_DISABLED: '1',
  };
  // The codes and every other message go to the test mailbox (a real SMTP server, plain text).
  const mailbox = await startMailbox();
  env.SMTP_URL = mailbox.smtpUrl;
  let cleanup = async () => {};
  if (serverUrl) {
    const now = Date.now();
    const name = databaseName(now);
    const admin = new Client({ connectionString: withDatabase(serverUrl, 'postgres') });
    await admin.connect();
    // Databases a killed run left behind: only those created long ago (a parallel run's is young).
    const others = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'dap\\_e2e\\_%'`);
    for (const { datname } of others.rows) {
      const created = createdAt(datname);
      if (created !== null && now - created > STALE_AFTER_MS) {
        await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
      }
    }
    await admin.query(`CREATE DATABASE "${name}"`);
    env.DATABASE_URL = withDatabase(serverUrl, name);
    seed(env);
    cleanup = async () => {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => {});
      await admin.end().catch(() => {});
    };
  } else {
    const dir = mkdtempSync(path.join(tmpdir(), 'dap-e2e-'));
    env.PGLITE_DIR = path.join(dir, 'pglite');
    seed(env);
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  }

  if (process.env.E2E_REUSE_BUILD !== '1') {
    const build = spawnSync('npx', ['next', 'build'], { env, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('next build failed');
  }
  const server = spawn('npx', ['next', 'start', '-p', port, '-H', '127.0.0.1'], { env, stdio: 'inherit' });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    server.kill('SIGTERM');
    await cleanup();
    await mailbox.close().catch(() => {});
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  server.on('exit', async (code) => {
    if (!stopping) {
      await cleanup();
      process.exit(code ?? 1);
    }
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
