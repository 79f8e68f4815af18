import type { TestProject } from 'vitest/node';
import { Client } from 'pg';
import { openDatabase, migrateDatabase } from '../../db/client';
import { withDatabase } from '../helpers/pg-url';

/**
 * With TEST_DATABASE_URL (a Postgres server URL), the run creates a template database, migrates
 * it once, and each test file clones its own database from it; all are dropped at the end.
 * Without it, each test file migrates its own in-memory PGlite.
 */
export default async function setup(project: TestProject) {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    project.provide('testDb', { kind: 'pglite' as const });
    return;
  }
  const prefix = `dap_test_${Date.now().toString(36)}_${process.pid}`;
  const template = `${prefix}_tmpl`;
  const admin = new Client({ connectionString: adminUrl(serverUrl) });
  await admin.connect();
  assertLocal(serverUrl);
  await admin.query(`CREATE DATABASE "${template}"`);
  const handle = await openDatabase({ driver: 'pg', url: withDatabase(serverUrl, template) });
  await migrateDatabase(handle);
  await handle.close();
  project.provide('testDb', { kind: 'postgres' as const, serverUrl, template, prefix });

  return async () => {
    const { rows } = await admin.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE $1`,
      [`${prefix}%`],
    );
    for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    await admin.end();
  };
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
    testDb: { kind: 'pglite' } | { kind: 'postgres'; serverUrl: string; template: string; prefix: string };
  }
}
