import { createHash, randomBytes } from 'node:crypto';
import { and, desc, eq, isNull, ne, sql } from 'drizzle-orm';
import { staffSessions } from '@/db/schema';
import { executor, type Executor } from '@/lib/db';

/**
 * Staff sessions live in the database (`staff_sessions`). The Auth.js cookie (a JWT) carries only
 * a random session token; its SHA-256 is the row's `token_hash`. Every request checks the row
 * (through a cache of a few seconds), so a revoked, expired or idle session stops working at once.
 *
 * Why a JWT around a database row rather than Auth.js's `database` strategy: Auth.js v5's
 * Credentials provider refuses the database strategy (nextauthjs/next-auth#9636, #10966), so the
 * JWT is kept as the envelope and the session itself is this table.
 */

/** The absolute lifetime of a session, whatever its activity. */
export const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;
/** The idle timeout when the practice has none set. */
export const DEFAULT_IDLE_TIMEOUT_MINUTES = 30;

export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
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
    .where(and(eq(staffSessions.userId, userId), isNull(staffSessions.revokedAt), sql`${staffSessions.expiresAt} > ${now.toISOString()}`))
    .orderBy(desc(staffSessions.lastSeenAt));
}

// --- the in-process cache (filled by the request check; emptied on revocation in this process) ---

const cache = new Map<string, { at: number; sessionId: string }>();

export function forgetCachedSessions(sessionIds: string[]): void {
  if (!sessionIds.length) return;
  const ids = new Set(sessionIds);
  for (const [key, value] of cache) if (ids.has(value.sessionId)) cache.delete(key);
}

export const sessionCache = cache;
