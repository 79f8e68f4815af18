import { sql, type SQL } from 'drizzle-orm';
import { executePrepared, executor, type CallOptions, type Executor } from '@/lib/db';
import { DomainError, notFound } from '@/lib/errors';
import { z } from 'zod';
import { MAX_SLOT_RANGE_DAYS, SLUG_PATTERN, slotsQuerySchema } from '@/lib/validation/api';
import { parseInput } from '@/lib/validation/fields';
import { bookableStarts, type BookableSlot, type BookableStart } from './generate';
import { addDays, parseDateMs, startOfLocalDay, todayIn } from './time';

/** `{ serviceId, from, to }`: local dates of the practice, both inclusive (the API's query). */
export type FindBookableStartsInput = z.input<typeof slotsQuerySchema>;

/** A practice by its public slug (the API and the booking page) or by its id. */
export type PracticeKey = { profileId: string } | { slug: string };

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
export async function findBookableStarts(practice: PracticeKey, input: FindBookableStartsInput, opts?: CallOptions): Promise<BookableStartsResult> {
  if ('slug' in practice ? !SLUG_PATTERN.test(String(practice.slug)) : !UUID.test(String(practice.profileId))) throw notFound('No such practice.');
  const { serviceId, from, to } = parseInput(slotsQuerySchema, input, 'The query is not valid.');
  return findFor(await executor(opts), { ...practice, serviceId, fromDate: from, toDate: to, now: opts?.now ?? new Date() });
}

/**
 * The instants between which a start may be booked at `now`: from now + minimum notice to the
 * end of the horizon's last local date (today + horizonDays, the last date slots are made for).
 */
export function bookingWindow(settings: BookingSettings, now: Date): { earliestStart: Date; latestStart: Date } {
  const today = todayIn(settings.timeZone, now);
  return {
    earliestStart: new Date(now.getTime() + settings.minNoticeMinutes * MINUTE_MS),
    latestStart: new Date(startOfLocalDay(addDays(today, settings.horizonDays + 1), settings.timeZone).getTime() - 1),
  };
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type QueryInput = PracticeKey & { serviceId: string; fromDate: string; toDate: string };

async function findFor(db: Executor, input: QueryInput & { now: Date }): Promise<BookableStartsResult> {
  const { fromDate, toDate, now } = input;
  checkRange(fromDate, toDate);

  const result = await executePrepared<BookableSlotsRow>(db, bookableSlotsStatement({ ...input, now }));
  const row = result.rows[0];
  if (!row) throw notFound('No such practice.');
  if (row.serviceId === null || row.durationMinutes === null) throw notFound('No such service at this practice.');
  const found = {
    profileId: row.profileId,
    timeZone: row.timeZone,
    serviceId: row.serviceId,
    durationMinutes: row.durationMinutes,
    starts: [] as BookableStart[],
  };

  // The exact bounds, now that the practice's time zone is known: the dates asked for within the
  // booking window. Clamping the dates first keeps far-away dates out of the time-zone arithmetic.
  const { earliestStart, latestStart } = bookingWindow(row, now);
  const today = todayIn(row.timeZone, now);
  const lastDay = addDays(today, row.horizonDays);
  if (toDate < today || fromDate > lastDay) return found;
  const from = Math.max(startOfLocalDay(fromDate < today ? today : fromDate, row.timeZone).getTime(), earliestStart.getTime());
  const until = Math.min(startOfLocalDay(addDays(toDate > lastDay ? lastDay : toDate, 1), row.timeZone).getTime(), latestStart.getTime() + 1);
  if (from >= until) return found;

  const [starts, ends, free] = row.slots ?? [];
  const slots: BookableSlot[] = (starts ?? []).map((startsAt, i) => ({ startsAt: new Date(startsAt), endsAt: new Date(ends![i]), free: free![i], serviceIds: null }));
  found.starts = bookableStarts({
    slots,
    serviceId: row.serviceId,
    durationMinutes: row.durationMinutes,
    slotMinutes: row.slotMinutes,
    earliestStart: new Date(from),
    latestStart: new Date(until - 1),
  });
  return found;
}

/** What bookableSlotsStatement answers: one row (the slots as JSON), or none for no such practice. */
type BookableSlotsRow = {
  profileId: string;
  timeZone: string;
  slotMinutes: number;
  minNoticeMinutes: number;
  horizonDays: number;
  serviceId: string | null;
  durationMinutes: number | null;
  /** The slots in start order as three lists: starts and ends in epoch milliseconds, and whether each is free for the service (null lists for none). */
  slots: [number[] | null, number[] | null, boolean[] | null] | null;
};

/**
 * The one statement behind findBookableStarts, one round trip: the practice's settings and the
 * service (null when it is not an active service of that practice), with every slot that a start
 * in the dates asked for could hold as one JSON array, each marked free when it is available, or
 * held by a pending request whose deadline has passed (reads treat that request as expired before
 * any sweep runs), and its rule was open to every service or named this one. One row: a week of
 * 15-minute slots as rows cost the client more than the query (each row parsed and mapped).
 *
 * The practice's time zone is not known before the query, so the slot range is a little wider
 * than the dates (UTC offsets lie within −12 h … +14 h) and cut to [now, now + horizon + 2 days];
 * findFor applies the exact bounds. Exported for the benchmark's EXPLAIN.
 */
export function bookableSlotsStatement(input: QueryInput & { now: Date }): SQL {
  const { serviceId, fromDate, toDate, now } = input;
  const nowMs = now.getTime();
  // Past the longest horizon (366 days, a check constraint) nothing is bookable: the clamp also
  // keeps instants inside the years Postgres and toISOString agree on.
  const ceiling = nowMs + 370 * DAY_MS;
  const low = new Date(Math.min(Math.max(parseDateMs(fromDate) - 15 * HOUR_MS, nowMs), ceiling)).toISOString();
  const high = new Date(Math.min(parseDateMs(toDate) + DAY_MS + 13 * HOUR_MS, ceiling)).toISOString();
  const nowIso = now.toISOString();
  const practice = 'profileId' in input ? sql`p.id = ${input.profileId}` : sql`p.slug = ${input.slug}`;
  // A malformed id names no service (and Postgres would refuse to cast it).
  const service = UUID.test(serviceId) ? sql`s.id = ${serviceId}` : sql`false`;
  return sql`
    SELECT p.id AS "profileId", p.time_zone AS "timeZone", p.slot_minutes AS "slotMinutes",
      p.min_notice_minutes AS "minNoticeMinutes", p.horizon_days AS "horizonDays",
      s.id AS "serviceId", s.duration_minutes AS "durationMinutes",
      -- In start order from the index scan of an ordered subquery: an ORDER BY inside the
      -- aggregates would sort the rows again (Postgres 15), a third of the statement's time.
      -- Three lists of plain values, not a JSON array per slot: about 40 % less of the
      -- statement's server time (pgbench), and less text to send and parse.
      (SELECT json_build_array(array_agg(x.st), array_agg(x.en), array_agg(x.free)) FROM (
        SELECT
          -- Epoch milliseconds as integers, cut to the millisecond as a Date keeps them (printed
          -- faster than date_part's double precision; extract is numeric: slower still).
          floor(date_part('epoch', t.starts_at) * 1000)::bigint AS st,
          floor(date_part('epoch', t.ends_at) * 1000)::bigint AS en,
          (t.service_ids IS NULL OR s.id = ANY(t.service_ids))
            AND (t.status = 'available'
              -- EXISTS, not a join: only the few held slots look their request up.
              OR (t.status = 'pending_approval' AND EXISTS (
                SELECT 1 FROM reservation_requests r
                WHERE r.id = t.request_id AND r.status = 'pending' AND r.expires_at <= ${nowIso}::timestamptz))) AS free
        FROM time_slots t
        WHERE s.id IS NOT NULL AND t.profile_id = p.id AND t.starts_at >= ${low}::timestamptz
          AND t.starts_at < LEAST(${high}::timestamptz + s.duration_minutes * interval '1 minute',
            ${nowIso}::timestamptz + (p.horizon_days + 2) * interval '1 day')
        ORDER BY t.starts_at) x) AS slots
    FROM profiles p
    LEFT JOIN medical_services s ON s.profile_id = p.id AND ${service} AND s.is_active
    WHERE ${practice} AND p.is_active
    LIMIT 1`;
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
