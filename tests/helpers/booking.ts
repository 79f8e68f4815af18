import { and, asc, eq, gt, sql } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { bookableService, createVerifiedRequest, practiceBySlug, type CreatedRequest } from '@/lib/booking/create';
import { hashBody } from '@/lib/booking/tokens';
import type { CallOptions } from '@/lib/db';
import { parseInput } from '@/lib/validation/fields';
import { createRequestBodySchema } from '@/lib/validation/requests';
import { medicalServices, profiles, timeSlots } from '@/db/schema';

export async function demoPractice(db: Executor, slug = 'demo') {
  const [profile] = await db.select().from(profiles).where(eq(profiles.slug, slug));
  const services = await db
    .select()
    .from(medicalServices)
    .where(eq(medicalServices.profileId, profile.id))
    .orderBy(asc(medicalServices.durationMinutes));
  return { profile, services, byMinutes: (m: number) => services.find((s) => s.durationMinutes === m)! };
}

/**
 * Starts of `count` available slots at least `hoursAhead` from now, each followed by enough free
 * slots for `minutes`, no two overlapping.
 */
export async function freeStarts(db: Executor, profileId: string, minutes: number, count: number, hoursAhead = 3): Promise<Date[]> {
  const rows = await db
    .select({ startsAt: timeSlots.startsAt, endsAt: timeSlots.endsAt })
    .from(timeSlots)
    .where(
      and(
        eq(timeSlots.profileId, profileId),
        eq(timeSlots.status, 'available'),
        gt(timeSlots.startsAt, new Date(Date.now() + hoursAhead * 3_600_000)),
        sql`${timeSlots.startsAt} < now() + interval '50 days'`,
      ),
    )
    .orderBy(asc(timeSlots.startsAt))
    .limit(5000);
  const out: Date[] = [];
  let i = 0;
  while (out.length < count && i < rows.length) {
    const start = rows[i].startsAt.getTime();
    let cursor = start;
    let j = i;
    while (j < rows.length && rows[j].startsAt.getTime() === cursor && cursor < start + minutes * 60_000) {
      cursor = rows[j].endsAt.getTime();
      j++;
    }
    if (cursor >= start + minutes * 60_000) {
      out.push(new Date(start));
      i = j;
    } else {
      i++;
    }
  }
  if (out.length < count) throw new Error(`only ${out.length} free starts found`);
  return out;
}

let phoneCounter = 0;
/** A distinct valid E.164 phone per call. */
export function testPhone(): string {
  phoneCounter++;
  return `+3460${String(process.pid % 1000).padStart(3, '0')}${String(phoneCounter).padStart(4, '0')}`;
}

let addressCounter = 0;
export function testAddress(): string {
  addressCounter++;
  return `10.${(process.pid >> 8) & 255}.${(addressCounter >> 8) & 255}.${addressCounter & 255}`;
}

export function requestBody(serviceId: string, startsAt: Date, overrides: Record<string, unknown> = {}) {
  return {
    serviceId,
    startsAt: startsAt.toISOString(),
    patient: { name: 'Lucía Fernández', phone: testPhone(), email: 'lucia@example.com' },
    reason: 'Persistent cough for two weeks',
    consent: true,
    ...overrides,
  };
}

/**
 * A request created as an integration that verified the patient's phone would create it (the
 * keyed API path, no code step): for tests whose subject is what happens after a request exists.
 */
export async function createTestRequest(
  caller: { clientAddress: string; baseUrl: string; idempotencyKey?: string },
  slug: string,
  input: unknown,
  opts?: CallOptions,
): Promise<CreatedRequest> {
  const practice = await practiceBySlug(slug, opts);
  const body = parseInput(createRequestBodySchema, input);
  const service = await bookableService(practice, body, opts?.now ?? new Date(), opts);
  return createVerifiedRequest(
    practice,
    {
      service,
      body,
      bodyHash: hashBody(body),
      contact: { kind: 'phone', value: body.patient.phone, by: 'integration' },
      baseUrl: caller.baseUrl,
      idempotencyKey: caller.idempotencyKey,
      actorKind: 'api',
    },
    opts,
  );
}
