import { parseArgs } from 'node:util';
import { databaseHandle, migrateDatabase } from '@/lib/db';
import { env } from '@/lib/env';
import { isDomainError } from '@/lib/errors';
import { createPracticeForOperator } from './practice';

const USAGE = `Usage: npm run practice:create -- --slug <slug> --name <practice name> --admin-email <e-mail>
         [--specialty <text>] [--time-zone <IANA zone, default Europe/Madrid>] [--doctor] [--base-url <https://…>]

Creates a live practice and prints an invitation link for its first admin (valid 7 days, once).
--doctor makes the first admin the practice's doctor too. Links use --base-url, else APP_URL.`;

/**
 * `npm run practice:create`: for deployments with SIGNUP=closed and for scripts. Migrates the
 * database the environment selects (DATABASE_URL, else the embedded one in PGLITE_DIR), creates
 * the practice and its first admin's invitation in one transaction, and prints the link.
 * Exit codes: 0 created, 1 refused (taken slug, bad e-mail, …), 2 usage.
 */
async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        slug: { type: 'string' },
        name: { type: 'string' },
        'admin-email': { type: 'string' },
        specialty: { type: 'string' },
        'time-zone': { type: 'string' },
        doctor: { type: 'boolean' },
        'base-url': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (err) {
    console.error(`${err instanceof Error ? err.message : String(err)}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const missing = (['slug', 'name', 'admin-email'] as const).filter((k) => !values[k]);
  if (missing.length) {
    console.error(`Missing ${missing.map((k) => `--${k}`).join(', ')}.\n\n${USAGE}`);
    return 2;
  }
  const baseUrl = values['base-url'] ?? env().APP_URL ?? 'http://localhost:3000';
  const handle = await databaseHandle();
  try {
    await migrateDatabase(handle);
    const created = await createPracticeForOperator(
      {
        slug: values.slug!,
        name: values.name!,
        adminEmail: values['admin-email']!,
        specialty: values.specialty ?? '',
        timeZone: values['time-zone'],
        doctor: values.doctor ?? false,
      },
      { baseUrl },
    );
    console.log(`Practice created (${handle.driver}): ${created.slug} (${created.profileId})`);
    console.log(`Booking page: ${baseUrl.replace(/\/$/, '')}/book/${created.slug}`);
    console.log(`Invitation for its first admin, valid until ${created.expiresAt.toISOString()} (once):`);
    console.log(created.invitationUrl);
    return 0;
  } catch (err) {
    if (isDomainError(err)) {
      const fields = Object.entries(err.fields ?? {}).map(([field, message]) => `  --${cliName(field)}: ${message}`);
      console.error(`Not created: ${fields.length ? '\n' + fields.join('\n') : err.message}`);
      return 1;
    }
    throw err;
  } finally {
    await handle.close();
  }
}

function cliName(field: string): string {
  return { adminEmail: 'admin-email', timeZone: 'time-zone' }[field] ?? field;
}

main()
  .then((code) => process.exit(code))
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
