import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { Client } from 'pg';
import { openDatabase, migrateDatabase, type DbHandle } from '../../db/client';
import { profiles } from '../../db/schema';
import { seedDemo } from '../../lib/demo/seed';
import { withDatabase } from '../helpers/pg-url';

/**
 * The run's template databases, made once: one migrated (`empty`), one migrated and seeded with
 * the demo practices (`seeded`). Each test file starts from a copy of one (setupTestDb).
 * With TEST_DATABASE_URL (a Postgres server URL) they are two template databases that each file
 * clones (all dropped at the end); without it, two PGlite data-folder dumps in a temporary folder
 * that each file loads into its own in-memory PGlite.
 */
export default async function setup(project: TestProject) {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    const dir = mkdtempSync(path.join(tmpdir(), 'dap-test-'));
    const handle = await openDatabase({ driver: 'pglite' });
    await migrateDatabase(handle);
    const empty = await dump(handle, path.join(dir, 'empty.tar'));
    await seedDemo(handle.db);
    await englishDefaults(handle.db);
    const seeded = await dump(handle, path.join(dir, 'seeded.tar'));
    await handle.close();
    project.provide('testDb', { kind: 'pglite' as const, empty, seeded });
    return () => rmSync(dir, { recursive: true, force: true });
  }
  const prefix = `dap_test_${Date.now().toString(36)}_${process.pid}`;
  const empty = `${prefix}_tmpl`;
  const seeded = `${prefix}_seed`;
  const admin = new Client({ connectionString: adminUrl(serverUrl) });
  await admin.connect();
  assertLocal(serverUrl);
  await admin.query(`CREATE DATABASE "${empty}"`);
  let handle = await openDatabase({ driver: 'pg', url: withDatabase(serverUrl, empty) });
  await migrateDatabase(handle);
  await handle.close();
  await admin.query(`CREATE DATABASE "${seeded}" TEMPLATE "${empty}"`);
  handle = await openDatabase({ driver: 'pg', url: withDatabase(serverUrl, seeded) });
  await seedDemo(handle.db);
  await englishDefaults(handle.db);
  await handle.close();
  project.provide('testDb', { kind: 'postgres' as const, serverUrl, templates: { empty, seeded }, prefix });

  return async () => {
    const { rows } = await admin.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE $1`,
      [`${prefix}%`],
    );
    for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    await admin.end();
  };
}

async function dump(handle: DbHandle, file: string): Promise<string> {
  const client = (handle.db as unknown as { $client: { dumpDataDir(c: 'none'): Promise<Blob> } }).$client;
  writeFileSync(file, Buffer.from(await (await client.dumpDataDir('none')).arrayBuffer()));
  return file;
}

function adminUrl(url: string): string {
  return withDatabase(url, 'postgres');
}

/** Like dub's assert-local-database: the suite creates and drops databases, so never a remote one. */
function assertLocal(url: string) {
  const host = new URL(url).hostname;
  if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host)) {
    throw new Error(`TEST_DATABASE_URL must point at a local Postgres, not ${host}`);
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    testDb:
      | { kind: 'pglite'; empty: string; seeded: string }
      | { kind: 'postgres'; serverUrl: string; templates: { empty: string; seeded: string }; prefix: string };
  }
}

/**
 * The demo practice's default language is Spanish (db/seed-data.ts, issue 17); the integration
 * tests were written against English messages to requests that carry no language of their own, so
 * their template keeps English as the default. The i18n tests set Spanish where they test it.
 */
async function englishDefaults(db: DbHandle['db']): Promise<void> {
  await db.update(profiles).set({ defaultLocale: 'en' });
}
