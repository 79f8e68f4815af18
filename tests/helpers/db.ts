import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Client } from 'pg';
import { afterAll, inject } from 'vitest';
import { openDatabase, installDatabaseHandle, type DbHandle } from '@/db/client';
import { withDatabase } from './pg-url';

/**
 * A fresh database for this test file, migrated and seeded with the demo practices once per run
 * (tests/setup/global.ts): a clone of the run's template on Postgres, or an in-memory PGlite
 * loaded from the template's dump. `{ empty: true }`: migrated only, for a test that seeds itself.
 * It becomes the app's database (getDb()) and is closed after the file.
 */
export async function setupTestDb(opts: { empty?: boolean } = {}): Promise<DbHandle> {
  const config = inject('testDb');
  let handle: DbHandle;
  if (config.kind === 'postgres') {
    const template = opts.empty ? config.templates.empty : config.templates.seeded;
    const name = `${config.prefix}_${randomBytes(4).toString('hex')}`;
    const admin = new Client({ connectionString: withDatabase(config.serverUrl, 'postgres') });
    await admin.connect();
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
        break;
      } catch (err) {
        // Two files cloning the template at the same instant: wait and try again.
        if (attempt > 20) throw err;
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
      }
    }
    await admin.end();
    handle = await openDatabase({ driver: 'pg', url: withDatabase(config.serverUrl, name) });
  } else {
    const dump = readFileSync(opts.empty ? config.empty : config.seeded);
    handle = await openDatabase({ driver: 'pglite', loadDataDir: new Blob([dump]) });
  }
  installDatabaseHandle(handle);
  afterAll(async () => {
    await handle.close();
  });
  return handle;
}

export function testDbKind(): 'pglite' | 'postgres' {
  return inject('testDb').kind;
}
