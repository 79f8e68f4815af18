import { and, eq, gte, lte, sql } from 'drizzle-orm';
import { rowCount, type Executor } from '@/lib/db';
import { availabilityExceptions, availabilityRules, profiles } from '@/db/schema';
import { generateSlots } from './generate';
import { addDays, todayIn } from './time';

export interface MaterializeResult {
  generated: number;
  inserted: number;
  removed: number;
}

/** What a weekly rule says about the hours (what slot generation reads). */
export const ruleHoursColumns = {
  weekday: availabilityRules.weekday,
  startTime: availabilityRules.startTime,
  endTime: availabilityRules.endTime,
  serviceIds: availabilityRules.serviceIds,
  validFrom: availabilityRules.validFrom,
  validUntil: availabilityRules.validUntil,
};

const pgArray = (items: (string | null)[]) =>
  `{${items.map((v) => (v === null ? 'NULL' : `"${v.replace(/["\\]/g, '\\$&')}"`)).join(',')}}`;

/**
 * Makes a practice's future `available` slots match its rules, exceptions and settings across
 * the booking horizon. Only future available slots are removed or added: a held, reserved,
 * blocked or expired slot is never touched, and a new slot that would overlap one is skipped
 * (the exclusion constraint decides, ON CONFLICT DO NOTHING). Running it twice changes nothing.
 */
export async function materializeSlots(db: Executor, profileId: string, now: Date = new Date()): Promise<MaterializeResult> {
  const [profile] = await db
    .select({ timeZone: profiles.timeZone, slotMinutes: profiles.slotMinutes, horizonDays: profiles.horizonDays })
    .from(profiles)
    .where(eq(profiles.id, profileId))
    .limit(1);
  if (!profile) return { generated: 0, inserted: 0, removed: 0 };
  const fromDate = todayIn(profile.timeZone, now);
  const toDate = addDays(fromDate, profile.horizonDays);
  const [rules, exceptions] = await Promise.all([
    db
      .select(ruleHoursColumns)
      .from(availabilityRules)
      .where(and(eq(availabilityRules.profileId, profileId), eq(availabilityRules.isActive, true))),
    db
      .select({
        date: availabilityExceptions.date,
        closed: availabilityExceptions.closed,
        startTime: availabilityExceptions.startTime,
        endTime: availabilityExceptions.endTime,
      })
      .from(availabilityExceptions)
      .where(
        and(
          eq(availabilityExceptions.profileId, profileId),
          gte(availabilityExceptions.date, fromDate),
          lte(availabilityExceptions.date, toDate),
        ),
      ),
  ]);
  const slots = generateSlots({
    rules,
    exceptions,
    timeZone: profile.timeZone,
    slotMinutes: profile.slotMinutes,
    fromDate,
    toDate,
  }).filter((s) => s.startsAt > now);

  const starts = pgArray(slots.map((s) => s.startsAt.toISOString()));
  const ends = pgArray(slots.map((s) => s.endsAt.toISOString()));
  const services = pgArray(slots.map((s) => (s.serviceIds ? [...s.serviceIds].sort().join(',') : null)));
  const generatedRows = sql`
    SELECT g.s, g.e, CASE WHEN g.sv IS NULL THEN NULL ELSE string_to_array(g.sv, ',')::uuid[] END AS sv
    FROM unnest(${starts}::timestamptz[], ${ends}::timestamptz[], ${services}::text[]) AS g(s, e, sv)`;

  const removed = await db.execute(sql`
    WITH g AS (${generatedRows})
    DELETE FROM time_slots t
    WHERE t.profile_id = ${profileId} AND t.status = 'available' AND t.starts_at > ${now.toISOString()}
      AND NOT EXISTS (
        SELECT 1 FROM g WHERE g.s = t.starts_at AND g.e = t.ends_at AND g.sv IS NOT DISTINCT FROM t.service_ids
      )`);
  const inserted = await db.execute(sql`
    INSERT INTO time_slots (profile_id, starts_at, ends_at, service_ids)
    SELECT ${profileId}, g.s, g.e, g.sv FROM (${generatedRows}) AS g
    ON CONFLICT DO NOTHING`);
  return { generated: slots.length, inserted: rowCount(inserted), removed: rowCount(removed) };
}

/** Marks unbooked slots whose start has passed as `expired`. */
export async function expirePassedSlots(db: Executor, now: Date = new Date()): Promise<number> {
  const result = await db.execute(
    sql`UPDATE time_slots SET status = 'expired', updated_at = now() WHERE status = 'available' AND starts_at <= ${now.toISOString()}`,
  );
  return rowCount(result);
}

/** Rolls every active practice's horizon forward (the daily sweep). */
export async function rollHorizons(db: Executor, now: Date = new Date()): Promise<number> {
  const active = await db.select({ id: profiles.id }).from(profiles).where(eq(profiles.isActive, true));
  for (const p of active) await materializeSlots(db, p.id, now);
  return active.length;
}

