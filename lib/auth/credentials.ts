import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Executor } from '@/lib/db';
import { users } from '@/db/schema';
import { audit } from '@/lib/audit';
import { hitRateLimit, peekRateLimit } from '@/lib/rate-limit';
import { verifyPassword } from './password';

export const signInSchema = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email({ message: 'Enter a valid e-mail address.' })).pipe(z.string().max(254)),
  password: z.string().min(1, 'Enter your password.').max(200),
});

/**
 * Where to go after signing in: a dashboard path (with an optional plain query), else the
 * dashboard itself. Anything else — another site, a protocol-relative URL, control characters that
 * would split a header — is ignored.
 */
export function safeNextPath(next: unknown): string {
  return typeof next === 'string' && next.length <= 500 && /^\/dashboard(\/[A-Za-z0-9_\-/]*)?(\?[A-Za-z0-9_\-=&%.]*)?$/.test(next) && !next.startsWith('//')
    ? next
    : '/dashboard';
}

/** After this many failed sign-ins for one e-mail in the window, sign-in is refused until it ends. */
export const MAX_FAILED_SIGN_INS = 5;
export const SIGN_IN_WINDOW_SECONDS = 15 * 60;

export type AuthenticateResult =
  | { ok: true; user: { id: string; email: string; name: string | null } }
  | { ok: false; reason: 'invalid' | 'locked'; retryAfterSeconds?: number };

const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0mY5rUjJ3YbR3k3mS0bq3x3b0dGJ7N0vYQ8vJZy9Vnk';

export async function authenticate(db: Executor, rawEmail: string, password: string): Promise<AuthenticateResult> {
  const email = rawEmail.trim().toLowerCase();
  const throttleKey = `sign-in:${email}`;
  const seen = await peekRateLimit(db, throttleKey, SIGN_IN_WINDOW_SECONDS);
  if (seen.count >= MAX_FAILED_SIGN_INS) {
    return { ok: false, reason: 'locked', retryAfterSeconds: seen.retryAfterSeconds };
  }
  const [user] = await db
    .select({ id: users.id, email: users.email, name: users.name, passwordHash: users.passwordHash })
    .from(users)
    .where(sql`lower(${users.email}) = ${email}`)
    .limit(1);
  // Verify against a dummy hash for unknown e-mails so timing does not tell which exist.
  const valid = await verifyPassword(user?.passwordHash ?? DUMMY_HASH, password);
  if (!user || !user.passwordHash || !valid) {
    const hit = await hitRateLimit(db, throttleKey, MAX_FAILED_SIGN_INS, SIGN_IN_WINDOW_SECONDS);
    await audit(db, {
      profileId: null,
      actorUserId: user?.id ?? null,
      actorKind: 'user',
      action: 'auth.sign_in_failed',
      entityType: 'user',
      entityId: user?.id ?? null,
      details: { email, failures: hit.count },
    });
    return hit.count >= MAX_FAILED_SIGN_INS
      ? { ok: false, reason: 'locked', retryAfterSeconds: hit.retryAfterSeconds }
      : { ok: false, reason: 'invalid' };
  }
  await audit(db, {
    profileId: null,
    actorUserId: user.id,
    actorKind: 'user',
    action: 'auth.sign_in',
    entityType: 'user',
    entityId: user.id,
  });
  return { ok: true, user: { id: user.id, email: user.email, name: user.name } };
}
