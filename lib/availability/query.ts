import { and, asc, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { medicalServices, profiles, reservationRequests, timeSlots } from '@/db/schema';
import { DomainError, notFound } from '@/lib/errors';
import { MAX_SLOT_RANGE_DAYS, SLUG_PATTERN } from '@/lib/validation/api';
import { bookableStarts, type BookableStart } from './generate';
import { addDays, localMsToUtcMs, parseDateMs, todayIn, tzOffsetMs } from './time';

export interface FindBookableStartsInput {
  profileId: string;
  serviceId: string;
  /** Local dates of the practice, both inclusive. */
  fromDate: string;
  toDate: string;
  now?: Date;
}

export interface BookableStartsResult {
  profileId: string;
  timeZone: string;
  serviceId: string;
  durationMinutes: number;
  /** Sorted by startsAt; endsAt = startsAt + the service's duration. */
  starts: BookableStart[];
}

/** The practice settings that decide what may be booked when. */
export interface BookingSettings {
  timeZone: string;
  minNoticeMinutes: number;
  horizonDays: number;
}

/**
 * Every start between two local dates (inclusive) at which the service fits in consecutive free
 * slots of an active practice, honouring minimum notice, horizon and the service restrictions of
 * the rules that made the slots. Public: no actor, it only reveals what the booking page shows.
 * A slot held by a pending request past its `expires_at` counts as free even before any sweep.
 * An unknown or inactive practice, or a service that is not an active service of THAT practice,
 * is not_found.
 */
export async function findBookableStarts(db: Executor, input: FindBookableStartsInput): Promise<BookableStartsResult> {
  if (!UUID.test(input.profileId)) throw notFound('No such practice.');
  return findFor(db, eq(profiles.id, input.profileId), input);
}

/** findBookableStarts for the practice at a public slug (the API and the booking page). */
export async function findBookableStartsBySlug(
  db: Executor,
  input: Omit<FindBookableStartsInput, 'profileId'> & { slug: string },
): Promise<BookableStartsResult> {
  if (!SLUG_PATTERN.test(input.slug)) throw notFound('No such practice.');
  return findFor(db, eq(profiles.slug, input.slug), input);
}

/**
 * The instants between which a start may be booked at `now`: from now + minimum notice to the
 * end of the horizon's last local date (today + horizonDays, the last date slots are made for).
 */
export function bookingWindow(settings: BookingSettings, now: Date): { earliestStart: Date; latestStart: Date } {
  const today = todayIn(settings.timeZone, now);
  return {
    earliestStart: new Date(now.getTime() + settings.minNoticeMinutes * MINUTE_MS),
    latestStart: new Date(startOfLocalDay(addDays(today, settings.horizonDays + 1), settings.timeZone) - 1),
  };
}

/** The first instant of a local date: its midnight, or the end of a DST gap that swallows it. */
export function startOfLocalDay(date: string, timeZone: string): number {
  const localMs = parseDateMs(date);
  // In a gap, the wall-clock time minus the offset in force before it is the moment of the change.
  return localMsToUtcMs(localMs, timeZone) ?? localMs - tzOffsetMs(localMs - DAY_MS, timeZone);
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function findFor(
  db: Executor,
  practiceIs: SQL,
  input: Omit<FindBookableStartsInput, 'profileId'>,
): Promise<BookableStartsResult> {
  const { serviceId, fromDate, toDate } = input;
  const now = input.now ?? new Date();
  checkRange(fromDate, toDate);

  const [row] = await db
    .select({
      profileId: profiles.id,
      timeZone: profiles.timeZone,
      slotMinutes: profiles.slotMinutes,
      minNoticeMinutes: profiles.minNoticeMinutes,
      horizonDays: profiles.horizonDays,
      serviceId: medicalServices.id,
      durationMinutes: medicalServices.durationMinutes,
    })
    .from(profiles)
    .leftJoin(
      medicalServices,
      and(
        eq(medicalServices.profileId, profiles.id),
        // A malformed id names no service (and Postgres would refuse to cast it).
        UUID.test(serviceId) ? eq(medicalServices.id, serviceId) : sql`false`,
        eq(medicalServices.isActive, true),
      ),
    )
    .where(and(practiceIs, eq(profiles.isActive, true)))
    .limit(1);
  if (!row) throw notFound('No such practice.');
  if (row.serviceId === null || row.durationMinutes === null) throw notFound('No such service at this practice.');
  const result = {
    profileId: row.profileId,
    timeZone: row.timeZone,
    serviceId: row.serviceId,
    durationMinutes: row.durationMinutes,
    starts: [] as BookableStart[],
  };

  // Starts are bounded by the dates asked for and by the booking window; clamping the dates first
  // keeps far-away dates out of the time-zone arithmetic and the query.
  const { earliestStart, latestStart } = bookingWindow(row, now);
  const today = todayIn(row.timeZone, now);
  const lastDay = addDays(today, row.horizonDays);
  if (toDate < today || fromDate > lastDay) return result;
  const from = Math.max(startOfLocalDay(fromDate < today ? today : fromDate, row.timeZone), earliestStart.getTime());
  const until = Math.min(startOfLocalDay(addDays(toDate > lastDay ? lastDay : toDate, 1), row.timeZone), latestStart.getTime() + 1);
  if (from >= until) return result;
  const durationMs = row.durationMinutes * MINUTE_MS;

  const slots = await freeSlotsQuery(db, {
    profileId: row.profileId,
    serviceId: row.serviceId,
    from: new Date(from),
    // Slots a start in range may run into are read too.
    until: new Date(until + durationMs),
    now,
  });

  result.starts = bookableStarts({
    slots: slots.map((s) => ({ startsAt: s.startsAt, endsAt: s.endsAt, free: s.free === true, serviceIds: null })),
    serviceId: row.serviceId,
    durationMinutes: row.durationMinutes,
    slotMinutes: row.slotMinutes,
    earliestStart: new Date(from),
    latestStart: new Date(until - 1),
  });
  return result;
}

/**
 * The one query behind findBookableStarts: the slots of a practice starting in [from, until), each
 * marked free when it is available, or held by a pending request whose deadline has passed (reads
 * treat that request as expired before any sweep runs), and its rule was open to every service or
 * named this one. Exported for the benchmark's EXPLAIN (`.toSQL()`).
 */
export function freeSlotsQuery(
  db: Executor,
  q: { profileId: string; serviceId: string; from: Date; until: Date; now: Date },
) {
  const nowIso = q.now.toISOString();
  return db
    .select({
      startsAt: timeSlots.startsAt,
      endsAt: timeSlots.endsAt,
      free: sql<boolean>`(${timeSlots.serviceIds} IS NULL OR ${q.serviceId}::uuid = ANY(${timeSlots.serviceIds}))
        AND (${timeSlots.status} = 'available'
          OR (${timeSlots.status} = 'pending_approval' AND ${reservationRequests.status} = 'pending'
            AND ${reservationRequests.expiresAt} <= ${nowIso}::timestamptz))`,
    })
    .from(timeSlots)
    .leftJoin(
      reservationRequests,
      and(eq(reservationRequests.id, timeSlots.requestId), eq(timeSlots.status, 'pending_approval')),
    )
    .where(and(eq(timeSlots.profileId, q.profileId), gte(timeSlots.startsAt, q.from), lt(timeSlots.startsAt, q.until)))
    .orderBy(asc(timeSlots.startsAt));
}

/** Dates as the API validates them; callers that skipped validation get a 422, never a 500. */
function checkRange(fromDate: string, toDate: string): void {
  let from: number;
  let to: number;
  try {
    from = parseDateMs(fromDate);
    to = parseDateMs(toDate);
  } catch {
    throw new DomainError('invalid_request', 'Dates must be real dates as YYYY-MM-DD.');
  }
  if (to < from) throw new DomainError('invalid_request', 'to must not be before from.', { to: 'to must not be before from.' });
  if ((to - from) / DAY_MS > MAX_SLOT_RANGE_DAYS - 1) {
    const message = `At most ${MAX_SLOT_RANGE_DAYS} days from from to to, both included.`;
    throw new DomainError('invalid_request', message, { to: message });
  }
}
