import { and, asc, eq, gt, sql } from 'drizzle-orm';
import type { Executor } from '@/db/client';
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
