import { sql } from 'drizzle-orm';
import { executor, type CallOptions } from '@/lib/db';
import { SLUG_PATTERN } from '@/lib/validation/api';
import type { PracticeKey } from './query';

/** The first (or last) time a service can start, as the booking page would offer it. */
export interface FreeStart {
  serviceId: string;
  startsAt: Date;
  endsAt: Date;
}

export interface FreeStartsInput {
  /** Services to look at; absent: every active service of the practice. Ids that are not uuids name none. */
  serviceIds?: readonly string[];
  /** Only starts at or after this instant (besides the minimum notice). */
  after?: Date;
  /** Only starts before this instant (besides the horizon). */
  before?: Date;
  /** The last such start instead of the first (the calendar's "previous month with free times"). */
  last?: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The first free start of each service (or of the services asked for) of an active practice, by
 * the same rules as findBookableStarts (lib/availability/query.ts): enough back-to-back slots that
 * are free (available, or held by a pending request whose deadline has passed) and open to the
 * service, starting no sooner than now + minimum notice and no later than the last day of the
 * horizon in the practice's time zone. Public, like findBookableStarts: it reveals only what the
 * booking page shows. A service without any such start is absent from the map; so is everything
 * of an unknown or inactive practice.
 *
 * One SQL statement, one round trip: per service, a lateral scan of the practice's slots in start
 * order (the (profile_id, starts_at) index) marks runs of usable slots (a new run where a slot does
 * not begin where the previous usable one ended) and keeps the first slot whose run goes on for
 * the service's slots (`lead` over the same order, so the scan stops at the first hit).
 */
export async function findFirstFreeStarts(practice: PracticeKey, input: FreeStartsInput = {}, opts?: CallOptions): Promise<Map<string, FreeStart>> {
  const found = new Map<string, FreeStart>();
  const byPractice =
    'slug' in practice
      ? SLUG_PATTERN.test(String(practice.slug)) && sql`p.slug = ${practice.slug}`
      : UUID.test(String(practice.profileId)) && sql`p.id = ${practice.profileId}::uuid`;
  if (!byPractice) return found;
  const ids = input.serviceIds?.filter((id) => UUID.test(id));
  if (ids && !ids.length) return found;
  const now = opts?.now ?? new Date();
  const nowIso = now.toISOString();
  const after = validInstant(input.after)?.toISOString() ?? null;
  const before = validInstant(input.before)?.toISOString() ?? null;
  const order = input.last ? sql`DESC` : sql`ASC`;

  const result = await (await executor(opts)).execute<{ service_id: string; starts_at: string | Date; duration_minutes: number }>(sql`
    WITH p AS (
      SELECT p.id, p.slot_minutes,
        GREATEST(${nowIso}::timestamptz + p.min_notice_minutes * interval '1 minute', COALESCE(${after}::timestamptz, '-infinity')) AS earliest,
        LEAST(
          (date_trunc('day', ${nowIso}::timestamptz AT TIME ZONE p.time_zone) + (p.horizon_days + 1) * interval '1 day') AT TIME ZONE p.time_zone,
          COALESCE(${before}::timestamptz, 'infinity')) AS latest
      FROM profiles p
      WHERE ${byPractice} AND p.is_active
    ),
    svc AS (
      SELECT s.id, s.duration_minutes, ceil(s.duration_minutes::numeric / p.slot_minutes)::int AS needed
      FROM medical_services s JOIN p ON s.profile_id = p.id
      WHERE s.is_active ${ids ? sql`AND s.id = ANY(${`{${ids.join(',')}}`}::uuid[])` : sql``}
    )
    SELECT svc.id AS service_id, svc.duration_minutes, hit.starts_at
    FROM p CROSS JOIN svc
    CROSS JOIN LATERAL (
      SELECT run.starts_at
      FROM (
        SELECT runs.starts_at,
          lead(runs.grp, svc.needed - 1) OVER w AS last_grp,
          lead(runs.ends_at, svc.needed - 1) OVER w AS last_ends_at,
          runs.grp
        FROM (
          SELECT usable.starts_at, usable.ends_at,
            sum(usable.breaks) OVER (ORDER BY usable.starts_at) AS grp
          FROM (
            SELECT t.starts_at, t.ends_at,
              (lag(t.ends_at) OVER (ORDER BY t.starts_at) IS DISTINCT FROM t.starts_at)::int AS breaks
            FROM time_slots t
            WHERE t.profile_id = p.id
              AND t.starts_at >= p.earliest
              AND t.starts_at < p.latest + svc.duration_minutes * interval '1 minute'
              AND (t.service_ids IS NULL OR svc.id = ANY(t.service_ids))
              AND (t.status = 'available'
                OR (t.status = 'pending_approval' AND EXISTS (
                  SELECT 1 FROM reservation_requests r
                  WHERE r.id = t.request_id AND r.status = 'pending' AND r.expires_at <= ${nowIso}::timestamptz)))
          ) usable
        ) runs
        WINDOW w AS (ORDER BY runs.starts_at)
      ) run
      WHERE run.starts_at < p.latest
        AND run.last_grp = run.grp
        AND run.last_ends_at >= run.starts_at + svc.duration_minutes * interval '1 minute'
      ORDER BY run.starts_at ${order}
      LIMIT 1
    ) hit`);
  for (const row of result.rows) {
    const startsAt = new Date(row.starts_at);
    found.set(row.service_id, { serviceId: row.service_id, startsAt, endsAt: new Date(startsAt.getTime() + row.duration_minutes * 60_000) });
  }
  return found;
}

function validInstant(d: Date | undefined): Date | undefined {
  return d instanceof Date && !Number.isNaN(d.getTime()) ? d : undefined;
}
