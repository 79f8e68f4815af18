import { sql } from 'drizzle-orm';
import type { Executor } from '@/lib/db';

export interface RateLimitResult {
  allowed: boolean;
  count: number;
  retryAfterSeconds: number;
}

/**
 * Counts one hit for `key` in the current fixed window, in Postgres so the limit holds across
 * every app instance. Allowed while the count stays within `limit`.
 */
export async function hitRateLimit(
  db: Executor,
  key: string,
  limit: number,
  windowSeconds: number,
  now: Date = new Date(),
): Promise<RateLimitResult> {
  const windowMs = windowSeconds * 1000;
  const windowStart = new Date(Math.floor(now.getTime() / windowMs) * windowMs);
  const result = await db.execute<{ count: number }>(sql`
    INSERT INTO rate_limits (key, window_start, count) VALUES (${key}, ${windowStart.toISOString()}, 1)
    ON CONFLICT (key, window_start) DO UPDATE SET count = rate_limits.count + 1
    RETURNING count`);
  const count = Number(result.rows[0]?.count ?? 1);
  const retryAfterSeconds = Math.max(1, Math.ceil((windowStart.getTime() + windowMs - now.getTime()) / 1000));
  return { allowed: count <= limit, count, retryAfterSeconds };
}

/**
 * Several limits counted in one statement (one round trip, one commit): the booking counts its
 * address and its phone together. Results in the order of `limits`.
 */
export async function hitRateLimits(
  db: Executor,
  limits: { key: string; limit: number; windowSeconds: number }[],
  now: Date = new Date(),
): Promise<RateLimitResult[]> {
  const windows = limits.map((l) => {
    const windowMs = l.windowSeconds * 1000;
    return { ...l, windowMs, start: new Date(Math.floor(now.getTime() / windowMs) * windowMs) };
  });
  const result = await db.execute<{ key: string; count: number }>(sql`
    INSERT INTO rate_limits (key, window_start, count)
    VALUES ${sql.join(windows.map((w) => sql`(${w.key}, ${w.start.toISOString()}, 1)`), sql`, `)}
    ON CONFLICT (key, window_start) DO UPDATE SET count = rate_limits.count + 1
    RETURNING key, count`);
  return windows.map((w) => {
    const count = Number(result.rows.find((r) => r.key === w.key)?.count ?? 1);
    const retryAfterSeconds = Math.max(1, Math.ceil((w.start.getTime() + w.windowMs - now.getTime()) / 1000));
    return { allowed: count <= w.limit, count, retryAfterSeconds };
  });
}

/** The count in the current window without adding a hit. */
export async function peekRateLimit(
  db: Executor,
  key: string,
  windowSeconds: number,
  now: Date = new Date(),
): Promise<RateLimitResult & { allowed: true }> {
  const windowMs = windowSeconds * 1000;
  const windowStart = new Date(Math.floor(now.getTime() / windowMs) * windowMs);
  const result = await db.execute<{ count: number }>(
    sql`SELECT count FROM rate_limits WHERE key = ${key} AND window_start = ${windowStart.toISOString()}`,
  );
  const count = Number(result.rows[0]?.count ?? 0);
  const retryAfterSeconds = Math.max(1, Math.ceil((windowStart.getTime() + windowMs - now.getTime()) / 1000));
  return { allowed: true, count, retryAfterSeconds };
}

/** Old windows are only history; the sweep drops them (and the integration keys' call counts). */
export async function pruneRateLimits(db: Executor, now: Date = new Date()): Promise<void> {
  const before = new Date(now.getTime() - 86_400_000).toISOString();
  await db.execute(sql`DELETE FROM rate_limits WHERE window_start < ${before}`);
  await db.execute(sql`DELETE FROM call_counts WHERE window_start < ${before}`);
}
