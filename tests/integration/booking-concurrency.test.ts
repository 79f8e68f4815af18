import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { DbHandle } from '@/db/client';
import { setupTestDb, testDbKind } from '../helpers/db';
import { demoPractice, freeStarts, requestBody } from '../helpers/booking';
import { postRequest } from '../helpers/routes';

// On Postgres the calls really run at once over the pool's connections; on PGlite (one
// connection) they interleave between statements. The guarantees must hold on both.
let handle: DbHandle;
let demo: Awaited<ReturnType<typeof demoPractice>>;

beforeAll(async () => {
  handle = await setupTestDb();
  demo = await demoPractice(handle.db);
});

async function assertSlotTableConsistent() {
  const { db } = handle;
  // Every held slot belongs to a request whose interval covers it and whose state holds slots.
  const orphans = await db.execute<{ n: number }>(sql`
    SELECT count(*)::int AS n FROM time_slots s
    LEFT JOIN reservation_requests r ON r.id = s.request_id
    WHERE s.status IN ('pending_approval', 'reserved')
      AND (r.id IS NULL OR r.status NOT IN ('pending', 'approved') OR s.starts_at < r.starts_at OR s.ends_at > r.ends_at)`);
  expect(Number(orphans.rows[0].n)).toBe(0);
  // Every pending request holds exactly the slots covering its interval.
  const gaps = await db.execute<{ n: number }>(sql`
    SELECT count(*)::int AS n FROM reservation_requests r
    WHERE r.status = 'pending' AND (
      SELECT coalesce(sum(extract(epoch FROM s.ends_at - s.starts_at)), 0) FROM time_slots s WHERE s.request_id = r.id
    ) <> extract(epoch FROM r.ends_at - r.starts_at)`);
  expect(Number(gaps.rows[0].n)).toBe(0);
  // No two live requests of a practice overlap.
  const overlaps = await db.execute<{ n: number }>(sql`
    SELECT count(*)::int AS n FROM reservation_requests a JOIN reservation_requests b
      ON a.profile_id = b.profile_id AND a.id < b.id
     AND tstzrange(a.starts_at, a.ends_at) && tstzrange(b.starts_at, b.ends_at)
    WHERE a.status IN ('pending', 'approved') AND b.status IN ('pending', 'approved')`);
  expect(Number(overlaps.rows[0].n)).toBe(0);
}

describe(`concurrent requests (${testDbKind()})`, () => {
  it('50 requests for the same start: exactly one 201, 49 slot_unavailable', async () => {
    const service = demo.byMinutes(30);
    const [start] = await freeStarts(handle.db, demo.profile.id, 30, 1, 30);
    const answers = await Promise.all(Array.from({ length: 50 }, () => postRequest('demo', requestBody(service.id, start))));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 409 && a.json.error.code === 'slot_unavailable')).toHaveLength(49);
    await assertSlotTableConsistent();
  });

  it('50 requests for overlapping times of different services: no two accepted overlap', async () => {
    // A free stretch of 2 hours; requests of 15, 30 and 60 minutes at every 15-minute start in it.
    const [stretch] = await freeStarts(handle.db, demo.profile.id, 120, 1, 40);
    const bodies = Array.from({ length: 50 }, (_, i) => {
      const service = demo.services[i % 3];
      const offset = (i * 7) % 5; // starts 0, 15, 30, 45, 60 minutes into the stretch
      return requestBody(service.id, new Date(stretch.getTime() + offset * 15 * 60_000));
    });
    const answers = await Promise.all(bodies.map((b) => postRequest('demo', b)));
    const accepted = answers.filter((a) => a.status === 201);
    expect(accepted.length).toBeGreaterThanOrEqual(1);
    expect(answers.every((a) => a.status === 201 || (a.status === 409 && a.json.error.code === 'slot_unavailable'))).toBe(true);
    const intervals = accepted.map((a) => [new Date(a.json.startsAt).getTime(), new Date(a.json.endsAt).getTime()]).sort((x, y) => x[0] - y[0]);
    for (let i = 1; i < intervals.length; i++) expect(intervals[i][0]).toBeGreaterThanOrEqual(intervals[i - 1][1]);
    await assertSlotTableConsistent();
  });
});
