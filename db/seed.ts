import { databaseHandle, migrateDatabase } from './client';
import { seedDemo, seedDemoHistory } from './seed-data';

/** `npm run db:seed`: migrates, then adds the demo practices and sign-ins unless present. */
async function main() {
  const handle = await databaseHandle();
  await migrateDatabase(handle);
  const seeded = await seedDemo(handle.db);
  if (seeded) await seedDemoHistory(handle.db);
  console.log(seeded ? 'Demo practices seeded.' : 'Demo practices already present; nothing to do.');
  await handle.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
