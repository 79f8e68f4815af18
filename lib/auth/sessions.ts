import { createHash, randomBytes } from 'node:crypto';
import { and, desc, eq, gt, isNull, ne, sql } from 'drizzle-orm';
import { staffSessions } from '@/db/schema';
import { executor, type Executor } from '@/lib/db';

/**
 * Staff sessions live in the database (`staff_sessions`). The Auth.js cookie (an encrypted JWT)
 * carries only a random session token; its SHA-256 is the row's `token_hash`. Every request checks
 * the row (through a cache of CACHE_MS), so a revoked, expired or idle session stops working within
 * seconds, in every process.
 *
 * Why a JWT around a database row rather than Auth.js's `database` strategy: Auth.js v5's
 * Credentials provider refuses the database strategy (nextauthjs/next-auth#9636, #10966), so the
 * JWT stays as the envelope and the session itself is this table.
 */

/** The absolute lifetime of a session, whatever its activity. */
export const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;
/** The idle timeout when the user belongs to no practice that sets one. */
export const DEFAULT_IDLE_TIMEOUT_MINUTES = 30;
/** How long a password-only session may wait for its second factor. */
export const SECOND_FACTOR_WINDOW_SECONDS = 10 * 60;
/** How long a checked session is trusted in this process before the row is read again. */
export const CACHE_MS = 5_000;
/** Activity is written at most this often per session. */
const TOUCH_EVERY_MS = 30_000;
/** An address the account signed in from within this period is one of its usual addresses. */
const USUAL_ADDRESS_DAYS = 90;

/**
 * What a session allows: `active` is signed in; `second_factor` waits for a TOTP or recovery code
 * (nothing else works); `enrol` belongs to a member of a practice that requires two-factor sign-in
 * who has not turned it on yet (only the enrolment page works).
 */
export type SessionStage = 'active' | 'second_factor' | 'enrol';

export interface SessionState {
  sessionId: string;
  userId: string;
  stage: SessionStage;
  idleTimeoutMinutes: number;
  lastSeenAt: Date;
  expiresAt: Date;
}

export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Opens a session after a right password; its token goes into the cookie, only its hash is kept. */
export async function createStaffSession(
  db: Executor,
  input: { userId: string; address: string; userAgent: string | null; secondFactorDone: boolean },
  now: Date = new Date(),
): Promise<{ token: string; sessionId: string }> {
  const token = newSessionToken();
  const [row] = await db
    .insert(staffSessions)
    .values({
      userId: input.userId,
      tokenHash: hashSessionToken(token),
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + SESSION_MAX_AGE_SECONDS * 1000),
      secondFactorAt: input.secondFactorDone ? now : null,
      userAgent: input.userAgent?.slice(0, 300) ?? null,
      clientAddress: input.address.slice(0, 64),
    })
    .returning({ id: staffSessions.id });
  return { token, sessionId: row.id };
}

/**
 * The state of the session a cookie's token names, or null when there is none, or it was revoked,
 * has expired (12 h), has been idle longer than the practice's timeout, or waited too long for its
 * second factor. Records activity. `now` (tests) bypasses the cache.
 */
export async function checkSession(token: string, opts?: { tx?: Executor; now?: Date }): Promise<SessionState | null> {
  const tokenHash = hashSessionToken(token);
  const now = opts?.now ?? new Date();
  if (!opts?.now) {
    const hit = cache.get(tokenHash);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.state;
  }
  const db = await executor(opts);
  const result = await db.execute<{
    id: string;
    user_id: string;
    created_at: string | Date;
    expires_at: string | Date;
    last_seen_at: string | Date;
    second_factor_at: string | Date | null;
    revoked_at: string | Date | null;
    totp_enabled_at: string | Date | null;
    idle_minutes: number | string;
    required: boolean;
  }>(sql`
    SELECT s.id, s.user_id, s.created_at, s.expires_at, s.last_seen_at, s.second_factor_at, s.revoked_at, u.totp_enabled_at,
      COALESCE((SELECT min(p.idle_timeout_minutes) FROM profile_members m JOIN profiles p ON p.id = m.profile_id
                WHERE m.user_id = s.user_id AND p.is_active), ${DEFAULT_IDLE_TIMEOUT_MINUTES}) AS idle_minutes,
      EXISTS (SELECT 1 FROM profile_members m JOIN profiles p ON p.id = m.profile_id
              WHERE m.user_id = s.user_id AND p.is_active AND p.require_two_factor) AS required
    FROM staff_sessions s JOIN users u ON u.id = s.user_id
    WHERE s.token_hash = ${tokenHash}`);
  const row = result.rows[0];
  if (!row || row.revoked_at) {
    cache.delete(tokenHash);
    return null;
  }
  const idleTimeoutMinutes = Number(row.idle_minutes);
  const lastSeenAt = new Date(row.last_seen_at);
  const expiresAt = new Date(row.expires_at);
  const twoFactorOn = row.totp_enabled_at !== null;
  const waitingForSecondFactor = twoFactorOn && row.second_factor_at === null;
  let ended: string | null = null;
  if (expiresAt <= now) ended = 'expired';
  else if (lastSeenAt.getTime() + idleTimeoutMinutes * 60_000 <= now.getTime()) ended = 'idle';
  else if (waitingForSecondFactor && new Date(row.created_at).getTime() + SECOND_FACTOR_WINDOW_SECONDS * 1000 <= now.getTime()) ended = 'second_factor_timeout';
  if (ended) {
    await db
      .update(staffSessions)
      .set({ revokedAt: now, revokedReason: ended })
      .where(and(eq(staffSessions.id, row.id), isNull(staffSessions.revokedAt)));
    cache.delete(tokenHash);
    return null;
  }
  let seen = lastSeenAt;
  if (now.getTime() - lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    await db.update(staffSessions).set({ lastSeenAt: now }).where(eq(staffSessions.id, row.id));
    seen = now;
  }
  const state: SessionState = {
    sessionId: row.id,
    userId: row.user_id,
    stage: waitingForSecondFactor ? 'second_factor' : row.required && !twoFactorOn ? 'enrol' : 'active',
    idleTimeoutMinutes,
    lastSeenAt: seen,
    expiresAt,
  };
  if (!opts?.now) {
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(tokenHash, { at: Date.now(), state });
  }
  return state;
}

/** Ends one session (sign-out, or "sign out" beside it on the account page). */
export async function revokeSession(
  sessionId: string,
  opts?: { userId?: string; reason?: string; tx?: Executor; now?: Date },
): Promise<boolean> {
  const db = await executor(opts);
  const conditions = [eq(staffSessions.id, sessionId), isNull(staffSessions.revokedAt)];
  if (opts?.userId) conditions.push(eq(staffSessions.userId, opts.userId));
  const rows = await db
    .update(staffSessions)
    .set({ revokedAt: opts?.now ?? new Date(), revokedReason: (opts?.reason ?? 'signed_out').slice(0, 60) })
    .where(and(...conditions))
    .returning({ id: staffSessions.id });
  forgetCachedSessions([sessionId]);
  return rows.length > 0;
}

/** Ends the session a cookie token names (Auth.js's sign-out event). */
export async function revokeSessionToken(token: string, reason = 'signed_out'): Promise<void> {
  const db = await executor();
  await db
    .update(staffSessions)
    .set({ revokedAt: new Date(), revokedReason: reason })
    .where(and(eq(staffSessions.tokenHash, hashSessionToken(token)), isNull(staffSessions.revokedAt)));
  cache.delete(hashSessionToken(token));
}

/**
 * Revokes every live session of a user (a password change or reset, a removal from a practice,
 * "sign out everywhere"), except `exceptSessionId` (the session that made the change). Returns the
 * number revoked. Runs on `opts.tx` when given, so it commits with the change that caused it.
 */
export async function revokeUserSessions(
  userId: string,
  opts?: { exceptSessionId?: string; reason?: string; tx?: Executor; now?: Date },
): Promise<number> {
  const db = await executor(opts);
  const now = opts?.now ?? new Date();
  const conditions = [eq(staffSessions.userId, userId), isNull(staffSessions.revokedAt)];
  if (opts?.exceptSessionId) conditions.push(ne(staffSessions.id, opts.exceptSessionId));
  const rows = await db
    .update(staffSessions)
    .set({ revokedAt: now, revokedReason: (opts?.reason ?? 'revoked').slice(0, 60) })
    .where(and(...conditions))
    .returning({ id: staffSessions.id });
  forgetCachedSessions(rows.map((r) => r.id));
  return rows.length;
}

/** Records that the session's second factor was given. */
export async function markSecondFactor(db: Executor, sessionId: string, now: Date = new Date()): Promise<void> {
  await db.update(staffSessions).set({ secondFactorAt: now }).where(eq(staffSessions.id, sessionId));
  forgetCachedSessions([sessionId]);
}

/** Whether the account signed in from this address before (its sessions of the last 90 days). */
export async function isUsualAddress(db: Executor, userId: string, address: string, now: Date = new Date()): Promise<boolean> {
  if (!address || address === 'unknown') return false;
  const since = new Date(now.getTime() - USUAL_ADDRESS_DAYS * 86_400_000);
  const [row] = await db
    .select({ id: staffSessions.id })
    .from(staffSessions)
    .where(and(eq(staffSessions.userId, userId), eq(staffSessions.clientAddress, address), gt(staffSessions.createdAt, since)))
    .limit(1);
  return Boolean(row);
}

/** The live sessions of a user, newest activity first (the account page's list). */
export async function listUserSessions(userId: string, opts?: { tx?: Executor; now?: Date }) {
  const db = await executor(opts);
  const now = opts?.now ?? new Date();
  return db
    .select({
      id: staffSessions.id,
      createdAt: staffSessions.createdAt,
      lastSeenAt: staffSessions.lastSeenAt,
      userAgent: staffSessions.userAgent,
      clientAddress: staffSessions.clientAddress,
      secondFactorAt: staffSessions.secondFactorAt,
    })
    .from(staffSessions)
    .where(and(eq(staffSessions.userId, userId), isNull(staffSessions.revokedAt), gt(staffSessions.expiresAt, now)))
    .orderBy(desc(staffSessions.lastSeenAt));
}

// --- the in-process cache (filled by checkSession; emptied on revocation in this process) ---

// On globalThis: Next bundles route handlers, pages and actions separately, each with its own copy
// of this module; one map per process lets a revocation anywhere in it take effect at once.
const globalCache = globalThis as unknown as { __staffSessionCache?: Map<string, { at: number; state: SessionState }> };
const cache = (globalCache.__staffSessionCache ??= new Map());
const MAX_CACHED = 10_000;

export function forgetCachedSessions(sessionIds: string[]): void {
  if (!sessionIds.length) return;
  const ids = new Set(sessionIds);
  for (const [key, value] of cache) if (ids.has(value.state.sessionId)) cache.delete(key);
}

/** Empties the cache (tests that move the clock in the database). */
export function clearSessionCache(): void {
  cache.clear();
}
