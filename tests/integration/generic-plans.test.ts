import { beforeAll, describe, expect, it } from 'vitest';
import type { Pool } from 'pg';
import type { DbHandle } from '@/db/client';
import { approveRequest, rejectRequest } from '@/lib/approval';
import { createVerifiedRequest, practiceBySlug } from '@/lib/booking/create';
import { cancelRequestByToken } from '@/lib/booking/status';
import { hashBody } from '@/lib/booking/tokens';
import { parseInput } from '@/lib/validation/fields';
import { createRequestBodySchema } from '@/lib/validation/requests';
import { actorByEmail } from '../helpers/actors';
import { demoPractice, freeStarts, requestBody } from '../helpers/booking';
import { setupTestDb, testDbKind } from '../helpers/db';

// The hot paths' named statements (lib/db executePrepared) are planned once per connection and
// then run on that plan. Left to plan_cache_mode `auto`, Postgres re-planned the claim's write on
// every booking, and its read for every time far ahead: a third of such a booking's database
// CPU. lockedTransaction's own transactions ask for the generic plan with their BEGIN.
let handle: DbHandle;

beforeAll(async () => {
  handle = await setupTestDb();
});

/** Every named statement of every connection of the app's pool, with how often each kind of plan was made. */
async function preparedStatements(pool: Pool) {
  const conns = await Promise.all(Array.from({ length: pool.totalCount }, () => pool.connect()));
  try {
    const rows: { name: string; statement: string; generic_plans: string; custom_plans: string }[] = [];
    for (const conn of conns) {
      rows.push(...(await conn.query(`SELECT name, statement, generic_plans, custom_plans FROM pg_prepared_statements WHERE name LIKE 'dap\\_%'`)).rows);
    }
    return rows.map((r) => ({ name: r.name, text: r.statement, generic: Number(r.generic_plans), custom: Number(r.custom_plans) }));
  } finally {
    for (const conn of conns) conn.release();
  }
}

describe.skipIf(testDbKind() !== 'postgres')('the hot paths’ named statements', () => {
  it('run on their generic plan: booked near and far ahead, approved, rejected, cancelled', async () => {
    const { db } = handle;
    const { profile, byMinutes } = await demoPractice(db);
    const practice = await practiceBySlug('demo');
    const service = byMinutes(30);
    // Near times and the practice's last free ones (beyond the slot statistics' common values).
    const near = await freeStarts(db, profile.id, 30, 6);
    const far = (await freeStarts(db, profile.id, 30, 40, 24 * 30)).slice(-6);
    const made = [];
    for (const startsAt of [...near, ...far]) {
      const body = parseInput(createRequestBodySchema, requestBody(service.id, startsAt));
      made.push(
        await createVerifiedRequest(practice, {
          service,
          body,
          bodyHash: hashBody(body),
          contact: { kind: 'phone', value: body.patient.phone, by: 'integration' },
          baseUrl: 'http://localhost',
          actorKind: 'api',
        }),
      );
    }
    const doctor = await actorByEmail(db, 'doctor@demo.test');
    for (const r of made.slice(0, 4)) await approveRequest(doctor, profile.id, { requestId: r.id });
    for (const r of made.slice(4, 8)) await rejectRequest(doctor, profile.id, { requestId: r.id, reason: 'Please book a longer visit.' });
    for (const r of made.slice(8)) await cancelRequestByToken(r.token);

    const statements = await preparedStatements((db as unknown as { $client: Pool }).$client);
    // The claim's read and write, approve's, reject's and the cancel's writes at least.
    expect(statements.length).toBeGreaterThanOrEqual(5);
    expect(statements.filter((s) => s.custom > 0).map((s) => `${s.name} (${s.custom} custom plans): ${s.text.replace(/\s+/g, ' ').slice(0, 80)}`)).toEqual([]);
    expect(statements.every((s) => s.generic > 0)).toBe(true);
  });
});
