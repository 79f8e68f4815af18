/**
 * The app server for the browser tests: a fresh database (a new Postgres database when
 * TEST_DATABASE_URL is set, else an embedded PGlite folder), migrated and seeded with the demo,
 * then a production build served on E2E_PORT (3100). The database is dropped when it stops.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { withDatabase } from '../helpers/pg-url';

const port = process.env.E2E_PORT ?? '3100';
const distDir = '.next-e2e';
const serverUrl = process.env.TEST_DATABASE_URL;


async function main() {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    NEXT_DIST_DIR: distDir,
    PORT: port,
    AUTH_SECRET: process.env.AUTH_SECRET ?? 'e2e-secret-0123456789abcdef0123456789',
    LOCAL_SWEEP_SECONDS: process.env.LOCAL_SWEEP_SECONDS ?? '5',
    NEXT_TELEMETRY_DISABLED: '1',
  };
  let cleanup = async () => {};
  if (serverUrl) {
    const name = `dap_e2e_${Date.now().toString(36)}`;
    const admin = new Client({ connectionString: withDatabase(serverUrl, 'postgres') });
    await admin.connect();
    // Databases a killed run left behind.
    const stale = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'dap_e2e_%'`);
    for (const { datname } of stale.rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
    env.DATABASE_URL = withDatabase(serverUrl, name);
    const seed = spawnSync('npx', ['tsx', 'db/seed.ts'], { env: { ...env, NODE_ENV: 'development' }, stdio: 'inherit' });
    if (seed.status !== 0) throw new Error('seeding the e2e database failed');
    cleanup = async () => {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => {});
      await admin.end().catch(() => {});
    };
  } else {
    const dir = mkdtempSync(path.join(tmpdir(), 'dap-e2e-'));
    env.PGLITE_DIR = path.join(dir, 'pglite');
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
