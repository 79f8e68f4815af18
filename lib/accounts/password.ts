import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import { users, userTokens } from '@/db/schema';
import { audit } from '@/lib/audit';
import type { Actor } from '@/lib/auth/actor';
import { hashPassword, verifyPassword } from '@/lib/auth/password';
import { revokeUserSessions } from '@/lib/auth/sessions';
import { executor, transaction, type CallOptions } from '@/lib/db';
import { DomainError } from '@/lib/errors';
import { errorText } from '@/lib/i18n/errors';
import { hitRateLimit } from '@/lib/rate-limit';
import { fieldError, parseInput } from '@/lib/validation/fields';
import type { z } from 'zod';
import { sendStaffMail } from './mail';
import { changePasswordSchema, emailOnlySchema, resetPasswordSchema } from './schemas';
import { retireTokens, type PublicCaller } from './signup';
import { PASSWORD_RESET_MS, hashToken, isTokenShape, linkTo, newToken } from './tokens';

export type ChangePasswordInput = z.input<typeof changePasswordSchema>;

/** Reset mails per e-mail address per hour, and reset requests per client address per hour. */
export const RESET_MAILS_PER_HOUR = 5;
export const RESET_REQUESTS_PER_ADDRESS = 30;

/** What the page says, whether or not the address has an account. */
export const RESET_REQUESTED =
  'If an account uses this e-mail, we sent it a link to choose a new password. The link works once, for 1 hour.';

/**
 * Someone forgot their password: a single-use link (hashed token, 1 hour) is mailed to the
 * account's address. The answer is the same whether or not the address has an account, and the
 * mail is sent without the caller waiting for it, so neither the words nor the time tell.
 * Returns the mail's promise for tests; callers ignore it.
 */
export async function requestPasswordReset(input: { email?: unknown }, opts: CallOptions & PublicCaller): Promise<{ message: string; mail: Promise<unknown> }> {
  const { email } = parseInput(emailOnlySchema, input);
  const now = opts.now ?? new Date();
  const { token, hash } = newToken();
  const found = await transaction(opts, async (tx) => {
    if (opts.clientAddress) {
      const byAddress = await hitRateLimit(tx, `reset-ip:${opts.clientAddress}`, RESET_REQUESTS_PER_ADDRESS, 3600, now);
      if (!byAddress.allowed) throw new DomainError('rate_limited', 'Too many requests from here; try again later.', undefined, byAddress.retryAfterSeconds);
    }
    const byEmail = await hitRateLimit(tx, `reset-mail:${email}`, RESET_MAILS_PER_HOUR, 3600, now);
    const [user] = await tx.select({ id: users.id, email: users.email }).from(users).where(sql`lower(${users.email}) = ${email}`).limit(1);
    if (!user || !byEmail.allowed) return null;
    await retireTokens(tx, user.id, 'password_reset', now);
    await tx.insert(userTokens).values({ userId: user.id, kind: 'password_reset', tokenHash: hash, expiresAt: new Date(now.getTime() + PASSWORD_RESET_MS), createdAt: now });
    await audit(tx, { profileId: null, actorUserId: user.id, actorKind: 'user', action: 'password.reset_requested', entityType: 'user', entityId: user.id });
    return user;
  });
  const mail =
    found && !opts.tx
      ? sendStaffMail({
          purpose: 'password_reset',
          to: found.email,
          subject: 'Choose a new password',
          text: [
            'Someone (we hope you) asked to reset the password of your account. Choose a new one here:',
            '',
            linkTo(opts.baseUrl, '/reset-password', token),
            '',
            'The link works once, for 1 hour. If you did not ask, ignore this message: your password stays as it is.',
          ].join('\n'),
          profileId: null,
          userId: found.id,
          entityType: 'user',
          entityId: found.id,
        })
      : Promise.resolve(null);
  return { message: RESET_REQUESTED, mail };
}

const RESET_UNUSABLE = 'This link has expired or was already used. Ask for a new one.';

function liveResetToken(token: string, now: Date) {
  return and(eq(userTokens.tokenHash, hashToken(token)), eq(userTokens.kind, 'password_reset'), isNull(userTokens.usedAt), gt(userTokens.expiresAt, now));
}

/** Whether a reset link can still be used (the page asks before showing its form). Public. */
export async function resetLinkUsable(token: unknown, opts?: CallOptions): Promise<boolean> {
  if (!isTokenShape(token)) return false;
  const db = await executor(opts);
  const [row] = await db.select({ id: userTokens.id }).from(userTokens).where(liveResetToken(token, opts?.now ?? new Date())).limit(1);
  return Boolean(row);
}

/**
 * Sets a new password from a reset link: the token is used up (compare-and-set), the password
 * changes and every session of the account ends. Public: the token is the credential.
 */
export async function resetPassword(token: unknown, input: { password?: unknown }, opts?: CallOptions): Promise<{ userId: string; sessionsEnded: number }> {
  const { password } = parseInput(resetPasswordSchema, input);
  if (!isTokenShape(token)) throw new DomainError('verification_expired', RESET_UNUSABLE);
  const now = opts?.now ?? new Date();
  const passwordHash = await hashPassword(password);
  return transaction(opts, async (tx) => {
    const [used] = await tx.update(userTokens).set({ usedAt: now }).where(liveResetToken(token, now)).returning({ userId: userTokens.userId });
    if (!used) throw new DomainError('verification_expired', RESET_UNUSABLE);
    await tx.update(users).set({ passwordHash, passwordChangedAt: now }).where(eq(users.id, used.userId));
    await retireTokens(tx, used.userId, 'password_reset', now);
    const sessionsEnded = await revokeUserSessions(used.userId, { reason: 'password_reset', tx, now });
    await audit(tx, { profileId: null, actorUserId: used.userId, actorKind: 'user', action: 'password.reset', entityType: 'user', entityId: used.userId, details: { sessionsEnded } });
    return { userId: used.userId, sessionsEnded };
  });
}

/** Wrong current passwords per account per 15 minutes before the change page refuses. */
export const PASSWORD_CHANGE_TRIES = 5;

/**
 * The signed-in person changes their password (the current one is asked again); every other
 * session of theirs ends, the one making the change (`opts.sessionId`) stays.
 */
export async function changePassword(
  actor: Actor | null,
  input: ChangePasswordInput,
  opts?: CallOptions & { sessionId?: string },
): Promise<{ sessionsEnded: number }> {
  if (!actor) throw new DomainError('unauthorized', errorText('account.sessionEnded'));
  const data = parseInput(changePasswordSchema, input);
  const now = opts?.now ?? new Date();
  const db = await executor(opts);
  const [user] = await db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, actor.userId)).limit(1);
  if (!user) throw new DomainError('unauthorized', errorText('account.sessionEnded'));
  const ok = user.passwordHash ? await verifyPassword(user.passwordHash, data.currentPassword) : false;
  if (!ok) {
    const hit = await hitRateLimit(db, `password-change:${actor.userId}`, PASSWORD_CHANGE_TRIES, 15 * 60, now);
    if (!hit.allowed) throw new DomainError('rate_limited', 'Too many wrong passwords; wait 15 minutes and try again.', undefined, hit.retryAfterSeconds);
    throw fieldError('currentPassword', errorText('account.wrongCurrentPassword'));
  }
  if (data.currentPassword === data.newPassword) throw fieldError('newPassword', errorText('account.samePassword'));
  const passwordHash = await hashPassword(data.newPassword);
  return transaction(opts, async (tx) => {
    await tx.update(users).set({ passwordHash, passwordChangedAt: now }).where(eq(users.id, actor.userId));
    await retireTokens(tx, actor.userId, 'password_reset', now);
    const sessionsEnded = await revokeUserSessions(actor.userId, { exceptSessionId: opts?.sessionId, reason: 'password_changed', tx, now });
    await audit(tx, { profileId: null, actorUserId: actor.userId, actorKind: 'user', action: 'password.changed', entityType: 'user', entityId: actor.userId, details: { sessionsEnded } });
    return { sessionsEnded };
  });
}
