import { profiles } from '@/db/schema';
import { databaseHandle, migrateDatabase } from '@/lib/db';
import { seedDemo, seedDemoHistory } from './seed';

/**
 * `npm run db:seed`: migrates the database the environment selects (DATABASE_URL, else the
 * embedded one in PGLITE_DIR), then adds the demo practices and sign-ins unless present. Seeding
 * is always asked for: nothing else seeds a database that is not a new `npm run dev` one.
 */
async function main() {
  const handle = await databaseHandle();
  await migrateDatabase(handle);
  const seeded = await seedDemo(handle.db);
  if (seeded) await seedDemoHistory(handle.db);
  // The browser tests' harness (tests/e2e/serve.ts) keeps English as the practices' default: its
  // specs make requests through the API with no language and read English messages (issue 17).
  const locale = process.env.DEMO_DEFAULT_LOCALE;
  if (seeded && (locale === 'en' || locale === 'es')) await handle.db.update(profiles).set({ defaultLocale: locale });
  console.log(seeded ? 'Demo practices seeded.' : 'Demo practices already present; nothing to do.');
  await handle.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
