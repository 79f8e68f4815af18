import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { afterAll, inject } from 'vitest';
import { migrateDatabase, openDatabase, installDatabaseHandle, type DbHandle } from '@/db/client';
import { withDatabase } from './pg-url';

/**
 * A fresh, migrated database for this test file: a clone of the run's template on Postgres, or an
 * in-memory PGlite. It becomes the app's database (getDb()) and is closed after the file.
 */
export async function setupTestDb(): Promise<DbHandle> {
  const config = inject('testDb');
  let handle: DbHandle;
  if (config.kind === 'postgres') {
    const name = `${config.prefix}_${randomBytes(4).toString('hex')}`;
    const admin = new Client({ connectionString: withDatabase(config.serverUrl, 'postgres') });
    await admin.connect();
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${config.template}"`);
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
    handle = await openDatabase({ driver: 'pglite' });
    await migrateDatabase(handle);
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
