import { sql } from 'drizzle-orm';
import type { Executor } from '@/lib/db';
import { hitRateLimits } from './index';

/**
 * Sign-in throttles. Each attempt is reserved BEFORE its password is checked, in one statement
 * that counts it on every key at once (so 20 attempts sent together cannot all read "4 failures
 * so far"), and refunded when the password was right (only guesses count). Three scopes, each
 * with windows that get longer as the count grows (a progressive slow-down, never a lock that
 * outlasts its window):
 *
 * - the account from this client address: the guesser's own address runs out fastest;
 * - the account from every address except its usual ones (where it signed in before): an attack
 *   spread over many addresses is slowed, while the person at their usual address still gets in;
 * - the client address over every account (unknown e-mails included): one client spraying.
 */
export const SIGN_IN_LIMITS = {
  pair: [
    { limit: 5, windowSeconds: 5 * 60 },
    { limit: 10, windowSeconds: 60 * 60 },
    { limit: 20, windowSeconds: 24 * 60 * 60 },
  ],
  account: [
    { limit: 10, windowSeconds: 15 * 60 },
    { limit: 40, windowSeconds: 24 * 60 * 60 },
  ],
  address: [
    { limit: 30, windowSeconds: 15 * 60 },
    { limit: 200, windowSeconds: 24 * 60 * 60 },
  ],
} as const;

export interface SignInReservation {
  allowed: boolean;
  retryAfterSeconds: number;
  /** When the address scope (every account from this address) refused: how long it will. */
  addressRetryAfterSeconds: number;
  /** The keys counted, to refund after a right password. */
  keys: { key: string; windowStart: Date }[];
}

export async function reserveSignInAttempt(
  db: Executor,
  input: { email: string; address: string; usualAddress: boolean },
  now: Date = new Date(),
): Promise<SignInReservation> {
  const scoped = [
    ...SIGN_IN_LIMITS.pair.map((l) => ({ ...l, key: `sign-in:pair:${l.windowSeconds}:${input.email}|${input.address}` })),
    ...(input.usualAddress ? [] : SIGN_IN_LIMITS.account.map((l) => ({ ...l, key: `sign-in:account:${l.windowSeconds}:${input.email}` }))),
    ...SIGN_IN_LIMITS.address.map((l) => ({ ...l, key: `sign-in:address:${l.windowSeconds}:${input.address}` })),
  ];
  const results = await hitRateLimits(db, scoped, now);
  const refused = results.filter((r) => !r.allowed);
  const addressRefused = results.filter((r, i) => !r.allowed && scoped[i].key.startsWith('sign-in:address:'));
  return {
    allowed: refused.length === 0,
    retryAfterSeconds: Math.max(0, ...refused.map((r) => r.retryAfterSeconds)),
    addressRetryAfterSeconds: Math.max(0, ...addressRefused.map((r) => r.retryAfterSeconds)),
    keys: scoped.map((l) => {
      const ms = l.windowSeconds * 1000;
      return { key: l.key, windowStart: new Date(Math.floor(now.getTime() / ms) * ms) };
    }),
  };
}

/** Gives a reserved attempt back (the password was right): one statement. */
export async function refundSignInAttempt(db: Executor, reservation: SignInReservation): Promise<void> {
  if (!reservation.keys.length) return;
  await db.execute(sql`
    UPDATE rate_limits SET count = GREATEST(count - 1, 0)
    WHERE (key, window_start) IN (${sql.join(
      reservation.keys.map((k) => sql`(${k.key}, ${k.windowStart.toISOString()}::timestamptz)`),
      sql`, `,
    )})`);
}
