import { afterAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { sql } from 'drizzle-orm';
import { migrateDatabase, openDatabase, type DbHandle } from '@/db/client';
import { profiles, timeSlots } from '@/db/schema';
import { pgErrorCode } from '@/lib/errors';
import { setupTestDb } from '../helpers/db';

// The database, not the code, keeps one practice's slots from overlapping: checked on PGlite
// always, and on the run's Postgres when TEST_DATABASE_URL is set.
const engines: [string, () => Promise<DbHandle>][] = [
  [
    'PGlite',
    async () => {
      const h = await openDatabase({ driver: 'pglite' });
      await migrateDatabase(h);
      return h;
    },
  ],
];
if (inject('testDb').kind === 'postgres') engines.push(['Postgres', () => setupTestDb({ empty: true })]);

describe.each(engines)('slot exclusion constraint on %s', (_name, open) => {
  let handle: DbHandle;
  afterAll(async () => {
    if (_name === 'PGlite') await handle?.close();
  });

  it('refuses two overlapping slots of one practice and allows the same times for two practices', async () => {
    handle = await open();
    const { db } = handle;
    const [a, b] = await db
      .insert(profiles)
      .values([
        { slug: `excl-a-${Date.now()}`, displayName: 'A' },
        { slug: `excl-b-${Date.now()}`, displayName: 'B' },
      ])
      .returning({ id: profiles.id });
    const start = new Date('2030-01-07T09:00:00Z');
    const end = new Date('2030-01-07T09:30:00Z');
    await db.insert(timeSlots).values({ profileId: a.id, startsAt: start, endsAt: end });

    // Overlapping, not identical: only the exclusion constraint can catch it.
    const overlapping = db
      .insert(timeSlots)
      .values({ profileId: a.id, startsAt: new Date('2030-01-07T09:15:00Z'), endsAt: new Date('2030-01-07T09:45:00Z') });
    const err = await overlapping.then(() => null, (e: unknown) => e);
    expect(pgErrorCode(err)).toBe('23P01'); // exclusion_violation

    // Adjacent is fine ([09:30, 10:00) touches [09:00, 09:30) without overlapping).
    await db.insert(timeSlots).values({ profileId: a.id, startsAt: end, endsAt: new Date('2030-01-07T10:00:00Z') });
    // The same time for another practice is fine.
    await db.insert(timeSlots).values({ profileId: b.id, startsAt: start, endsAt: end });

    const counts = await db.execute<{ profile_id: string; n: number }>(
      sql`SELECT profile_id, count(*)::int AS n FROM time_slots WHERE profile_id IN (${a.id}, ${b.id}) GROUP BY profile_id`,
    );
    const byProfile = Object.fromEntries(counts.rows.map((r) => [r.profile_id, Number(r.n)]));
    expect(byProfile).toEqual({ [a.id]: 2, [b.id]: 1 });
  });
});
