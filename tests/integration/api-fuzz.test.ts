import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import type { DbHandle } from '@/db/client';
import { GET as profileRoute } from '@/app/api/v1/profiles/[slug]/route';
import { GET as slotsRoute } from '@/app/api/v1/profiles/[slug]/slots/route';
import { POST as createRoute } from '@/app/api/v1/profiles/[slug]/requests/route';
import { GET as readRoute } from '@/app/api/v1/requests/[token]/route';
import { POST as cancelRoute } from '@/app/api/v1/requests/[token]/cancel/route';
import { setupTestDb } from '../helpers/db';
import { demoPractice, freeStarts } from '../helpers/booking';

// Random and hostile input to every public route: never a 5xx, and a rejected call changes no
// row of the domain tables (the rate-limit counters count attempts by design and are left out).
let handle: DbHandle;
let serviceId = "";
let start = "";

const DOMAIN_TABLES = ['time_slots', 'reservation_requests', 'reservations', 'patients', 'event_outbox', 'notifications', 'audit_log', 'medical_services', 'profiles'];

async function fingerprint(): Promise<string> {
  const parts = await Promise.all(
    DOMAIN_TABLES.map((t) =>
      handle.db.execute<{ h: string | null }>(sql.raw(`SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS h FROM ${t} t`)),
    ),
  );
  return parts.map((p) => p.rows[0].h).join(',');
}

beforeAll(async () => {
  handle = await setupTestDb();
  const demo = await demoPractice(handle.db);
  serviceId = demo.byMinutes(30).id;
  [start] = (await freeStarts(handle.db, demo.profile.id, 30, 1)).map((d) => d.toISOString());
});

const hostileString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom('', ' ', '\u0000', '../../etc/passwd', "' OR 1=1 --", '<script>alert(1)</script>', '__proto__', 'constructor', '%00', '💥'.repeat(50), 'a'.repeat(5000), 'NaN', '-1', '1e309', '2030-02-30', '2030-01-07T25:00:00Z', '+00000000000000000'),
);

const jsonValue = fc.oneof(hostileString, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }));

/** A body close to a valid one with one or more fields broken, or something else entirely. */
const requestBodies = () => fc.oneof(
  fc.record({
    serviceId: fc.oneof(fc.constant(serviceId as unknown), jsonValue),
    startsAt: fc.oneof(fc.constant(start as unknown), jsonValue),
    patient: fc.oneof(
      fc.record({ name: fc.oneof(fc.constant('Ana' as unknown), jsonValue), phone: fc.oneof(fc.constant('+34600111222' as unknown), jsonValue), email: jsonValue, dateOfBirth: jsonValue }, { requiredKeys: [] }),
      jsonValue,
    ),
    reason: jsonValue,
    consent: fc.oneof(fc.constant(false as unknown), jsonValue),
  }, { requiredKeys: [] }).map((b) => JSON.stringify(b)),
  fc.json().map((s) => s),
  hostileString,
  fc.constantFrom('{', '[', 'null', '"text"', '{"__proto__": {"admin": true}}', '{"serviceId": 1e999}', JSON.stringify({ a: 'x'.repeat(20_000) })),
);

const headerValue = fc.string({ maxLength: 300 }).filter((s) => /^[\x20-\x7e]*$/.test(s));

async function call(fn: () => Promise<Response>): Promise<number> {
  const res = await fn();
  await res.text();
  return res.status;
}

describe('hostile input to the public API', () => {
  it('never answers 5xx and never changes a row on a rejected call (600 runs)', async () => {
    let runs = 0;
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.record({ kind: fc.constant('create' as const), slug: fc.oneof(fc.constant('demo'), hostileString), body: requestBodies(), key: fc.option(headerValue), xff: fc.option(headerValue) }),
          fc.record({ kind: fc.constant('slots' as const), slug: fc.oneof(fc.constant('demo'), hostileString), query: fc.oneof(
            fc.record({ serviceId: fc.oneof(fc.constant(serviceId), hostileString), from: hostileString, to: hostileString }, { requiredKeys: [] }).map((q) => new URLSearchParams(q as Record<string, string>).toString()),
            hostileString,
          ) }),
          fc.record({ kind: fc.constant('profile' as const), slug: hostileString }),
          fc.record({ kind: fc.constantFrom('read' as const, 'cancel' as const), token: hostileString }),
        ),
        async (input) => {
          runs++;
          const before = await fingerprint();
          let status: number;
          switch (input.kind) {
            case 'create': {
              const headers: Record<string, string> = { 'content-type': 'application/json' };
              if (input.key !== null) headers['idempotency-key'] = input.key;
              if (input.xff !== null) headers['x-forwarded-for'] = input.xff;
              status = await call(() =>
                createRoute(new Request('http://localhost/api/v1/profiles/x/requests', { method: 'POST', headers, body: input.body }), { params: Promise.resolve({ slug: input.slug }) }),
              );
              break;
            }
            case 'slots':
              status = await call(() => slotsRoute(new Request(`http://localhost/api/v1/profiles/x/slots?${input.query}`), { params: Promise.resolve({ slug: input.slug }) }));
              break;
            case 'profile':
              status = await call(() => profileRoute(new Request('http://localhost/api/v1/profiles/x'), { params: Promise.resolve({ slug: input.slug }) }));
              break;
            default: {
              const route = input.kind === 'read' ? readRoute : cancelRoute;
              status = await call(() => route(new Request('http://localhost/api/v1/requests/x', { method: input.kind === 'read' ? 'GET' : 'POST' }), { params: Promise.resolve({ token: input.token }) }));
            }
          }
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          expect(status).toBeLessThan(500);
          if (status >= 400) expect(await fingerprint()).toBe(before);
        },
      ),
      { numRuns: 600, seed: Number(process.env.FUZZ_SEED ?? 20261124) },
    );
    expect(runs).toBe(600);
    // The run must exercise the rejections it is about, not only one kind.
    for (const code of [400, 404, 422]) expect(statuses.get(code) ?? 0).toBeGreaterThan(0);
    // A busy two-core machine (a parallel build) makes 600 fingerprinted runs slow, not wrong.
  }, 240_000);
});
