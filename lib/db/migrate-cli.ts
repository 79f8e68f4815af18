import { databaseHandle, migrateDatabase } from './index';

/** `npm run db:migrate`: applies the committed migrations to the database DATABASE_URL selects. */
async function main() {
  const handle = await databaseHandle();
  await migrateDatabase(handle);
  console.log(`Migrations applied (${handle.driver}).`);
  await handle.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
