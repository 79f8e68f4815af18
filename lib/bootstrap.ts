import { databaseHandle, migrateDatabase } from '@/db/client';
import { seedDemo, seedDemoHistory } from '@/db/seed-data';
import { env, workflowEngineConfigured } from '@/lib/env';
import { runSweeps } from '@/lib/sweeps';

const globalForBoot = globalThis as unknown as { __booted?: Promise<void>; __sweepTimer?: NodeJS.Timeout };

/**
 * Start-up of a server process: on the embedded database, migrate (and seed the demo the first
 * time the data folder is created); without a workflow engine, start the local sweep timer in
 * this same process, the only one that opens the embedded database.
 */
export function bootServer(): Promise<void> {
  globalForBoot.__booted ??= (async () => {
    const e = env();
    const handle = await databaseHandle();
    if (handle.driver === 'pglite') {
      await migrateDatabase(handle);
      if (handle.created && e.DEMO_SEED !== 'off') {
        await seedDemo(handle.db);
        await seedDemoHistory(handle.db);
        console.log('[boot] embedded database created, migrated and seeded with the demo practices');
      }
    }
    if (!workflowEngineConfigured(e) && !globalForBoot.__sweepTimer) {
      const tick = () => runSweeps(handle.db).catch((err) => console.error('[sweep] failed', err));
      globalForBoot.__sweepTimer = setInterval(tick, e.LOCAL_SWEEP_SECONDS * 1000);
      globalForBoot.__sweepTimer.unref();
      void tick();
      console.log(`[boot] no workflow engine configured: sweeps run locally every ${e.LOCAL_SWEEP_SECONDS}s`);
    }
  })();
  return globalForBoot.__booted;
}
