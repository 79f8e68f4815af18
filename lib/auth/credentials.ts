import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Executor } from '@/lib/db';
import { users } from '@/db/schema';
import { audit } from '@/lib/audit';
import { refundSignInAttempt, reserveSignInAttempt, SIGN_IN_LIMITS } from '@/lib/rate-limit/sign-in';
import { Bound, Busy } from './bound';
import { PasswordWorkBusy, passwordWorkSaturated, verifyPassword } from './password';
import { createStaffSession, isUsualAddress } from './sessions';
import { forgetAddressRefusal, knownAddressRefusal, registerSignInSaturation, rememberAddressRefusal } from './sign-in-door';

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

/** Wrong passwords for one account from one address before that address must wait (5 minutes). */
export const MAX_FAILED_SIGN_INS = SIGN_IN_LIMITS.pair[0].limit;

export interface SignInContext {
  /** `clientAddress(req)` / `clientAddressFromHeaders(headers)`. */
  address: string;
  userAgent: string | null;
  now?: Date;
}

export type AuthenticateResult =
  | {
      ok: true;
      user: { id: string; email: string; name: string | null };
      /** The new session's token (for the cookie) and id. */
      sessionToken: string;
      sessionId: string;
      /** The session waits for a TOTP or recovery code before it is usable. */
      secondFactor: boolean;
    }
  | { ok: false; reason: 'invalid' | 'throttled' | 'busy'; retryAfterSeconds?: number };

/** Outcomes as audited: `details.outcome`. */
type Outcome = 'signed_in' | 'wrong_password' | 'unknown_account' | 'throttled' | 'busy';

const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0mY5rUjJ3YbR3k3mS0bq3x3b0dGJ7N0vYQ8vJZy9Vnk';

/**
 * Checks an e-mail and password and opens a session. The attempt is reserved in the throttles
 * before the password is checked (lib/rate-limit/sign-in), argon2 runs inside the process-wide
 * bound (lib/auth/password), an unknown e-mail costs the same check as a known one, and every
 * attempt is audited with its client address and outcome.
 */
export async function authenticate(db: Executor, rawEmail: string, password: string, ctx: SignInContext): Promise<AuthenticateResult> {
  try {
    return await signInGate.run(() => attempt(db, rawEmail, password, ctx));
  } catch (err) {
    // Too many sign-ins in flight in this process: refused before any database work, so a flood
    // holds at most SIGN_IN_CONCURRENCY of the pool's connections. Not audited (that would be
    // database work); counted in `signInGate.refused`.
    if (err instanceof Busy) return { ok: false, reason: 'busy', retryAfterSeconds: 2 };
    throw err;
  }
}

/** Sign-ins handled at once per process, and how many may wait (briefly) for a turn. */
export const SIGN_IN_CONCURRENCY = 4;
export const signInGate = new Bound(SIGN_IN_CONCURRENCY, 16, 1000);
// The door in front of Auth.js and the login action answers "busy" while either bound is full.
registerSignInSaturation(() => signInGate.saturated);
registerSignInSaturation(passwordWorkSaturated);

/**
 * Refusals already known in this process: (e-mail, address) → until when, and (lib/auth/sign-in-door)
 * address → until when for the address scope. A flood from one address is then refused without
 * database work; the first refusal of each period is audited, the rest only counted
 * (`throttledInProcess`, the door's `signInDoorStats`). Postgres stays the authority across processes.
 */
const knownRefusals = new Map<string, number>();
export let throttledInProcess = 0;

async function attempt(db: Executor, rawEmail: string, password: string, ctx: SignInContext): Promise<AuthenticateResult> {
  const email = rawEmail.trim().toLowerCase();
  const now = ctx.now ?? new Date();
  const refusalKey = `${email}|${ctx.address}`;
  const addressRefusal = knownAddressRefusal(ctx.address, now.getTime());
  if (addressRefusal) {
    throttledInProcess++;
    return { ok: false, ...addressRefusal };
  }
  const refusedUntil = knownRefusals.get(refusalKey);
  if (refusedUntil !== undefined) {
    if (refusedUntil > now.getTime()) {
      throttledInProcess++;
      return { ok: false, reason: 'throttled', retryAfterSeconds: Math.ceil((refusedUntil - now.getTime()) / 1000) };
    }
    knownRefusals.delete(refusalKey);
  }
  const [user] = await db
    .select({ id: users.id, email: users.email, name: users.name, passwordHash: users.passwordHash, totpEnabledAt: users.totpEnabledAt })
    .from(users)
    .where(sql`lower(${users.email}) = ${email}`)
    .limit(1);
  const usual = user ? await isUsualAddress(db, user.id, ctx.address, now) : false;
  const reservation = await reserveSignInAttempt(db, { email, address: ctx.address, usualAddress: usual }, now);
  const record = (outcome: Outcome) =>
    audit(db, {
      profileId: null,
      actorUserId: user?.id ?? null,
      actorKind: 'user',
      action: outcome === 'signed_in' ? 'auth.sign_in' : 'auth.sign_in_failed',
      entityType: 'user',
      entityId: user?.id ?? null,
      details: { outcome, address: ctx.address, ...(outcome === 'signed_in' ? {} : { email }) },
    });
  if (!reservation.allowed) {
    if (knownRefusals.size >= 10_000) knownRefusals.clear();
    knownRefusals.set(refusalKey, now.getTime() + reservation.retryAfterSeconds * 1000);
    if (reservation.addressRetryAfterSeconds > 0) rememberAddressRefusal(ctx.address, now.getTime() + reservation.addressRetryAfterSeconds * 1000);
    await record('throttled');
    return { ok: false, reason: 'throttled', retryAfterSeconds: reservation.retryAfterSeconds };
  }
  let valid: boolean;
  try {
    // Verify against a dummy hash for unknown e-mails so timing does not tell which exist.
    valid = await verifyPassword(user?.passwordHash ?? DUMMY_HASH, password);
  } catch (err) {
    if (!(err instanceof PasswordWorkBusy)) throw err;
    // Not a guess that was checked: the reservation goes back.
    await refundSignInAttempt(db, reservation);
    await record('busy');
    return { ok: false, reason: 'busy', retryAfterSeconds: 2 };
  }
  if (!user || !user.passwordHash || !valid) {
    await record(user ? 'wrong_password' : 'unknown_account');
    return { ok: false, reason: 'invalid' };
  }
  await refundSignInAttempt(db, reservation);
  // Its attempt given back, the address may be under its limit again: Postgres decides next time.
  forgetAddressRefusal(ctx.address);
  const session = await createStaffSession(
    db,
    { userId: user.id, address: ctx.address, userAgent: ctx.userAgent, secondFactorDone: !user.totpEnabledAt },
    now,
  );
  await record('signed_in');
  return {
    ok: true,
    user: { id: user.id, email: user.email, name: user.name },
    sessionToken: session.token,
    sessionId: session.sessionId,
    secondFactor: Boolean(user.totpEnabledAt),
  };
}
