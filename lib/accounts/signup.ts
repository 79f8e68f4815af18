import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import { profileMembers, profiles, users, userTokens } from '@/db/schema';
import { audit } from '@/lib/audit';
import { hashPassword } from '@/lib/auth/password';
import { executor, transaction, type CallOptions, type Executor } from '@/lib/db';
import { env } from '@/lib/env';
import { DomainError } from '@/lib/errors';
import { errorText } from '@/lib/i18n/errors';
import { hitRateLimit } from '@/lib/rate-limit';
import { fieldError, parseInput } from '@/lib/validation/fields';
import type { z } from 'zod';
import { sendStaffMail, type StaffMailOutcome } from './mail';
import { insertPractice } from './practice';
import { emailOnlySchema, signUpSchema } from './schemas';
import { EMAIL_VERIFICATION_MS, hashToken, isTokenShape, linkTo, newToken } from './tokens';

export type SignUpInput = z.input<typeof signUpSchema>;

/** Who is calling a public entry point: where links point, and the address limits count. */
export interface PublicCaller {
  baseUrl: string;
  clientAddress?: string;
}

export interface SignUpResult {
  userId: string;
  profileId: string;
  slug: string;
  email: string;
  mail: StaffMailOutcome | 'deferred';
}

/** Sign-ups per client address per hour. */
export const SIGN_UPS_PER_ADDRESS = 10;

/** Whether `/signup` is open (SIGNUP=closed turns it off for operators who onboard by hand). */
export function signUpOpen(): boolean {
  return env().SIGNUP !== 'closed';
}

/**
 * A new practice and its owner's account, from the public sign-up page: the owner is the
 * practice's admin (and its doctor when they say so); the practice stays inactive (no booking
 * page, not in anyone's dashboard) until the owner's e-mail is verified by the link sent after
 * the commit.
 */
export async function signUp(input: SignUpInput, opts: CallOptions & PublicCaller): Promise<SignUpResult> {
  if (!signUpOpen()) throw new DomainError('not_found', 'Sign-up is closed on this server.');
  const data = parseInput(signUpSchema, input);
  const now = opts.now ?? new Date();
  const passwordHash = await hashPassword(data.password);
  const { token, hash } = newToken();
  const created = await transaction(opts, async (tx) => {
    if (opts.clientAddress) {
      const hit = await hitRateLimit(tx, `signup:${opts.clientAddress}`, SIGN_UPS_PER_ADDRESS, 3600, now);
      if (!hit.allowed) throw new DomainError('rate_limited', 'Too many sign-ups from here; try again later.', undefined, hit.retryAfterSeconds);
    }
    const [existing] = await tx.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = ${data.email}`).limit(1);
    if (existing) throw fieldError('email', errorText('account.emailTaken'), 'conflict');
    const practice = await insertPractice(tx, { practiceName: data.practiceName, slug: data.slug, specialty: data.specialty, timeZone: data.timeZone, isActive: false });
    const [user] = await tx.insert(users).values({ name: data.name, email: data.email, passwordHash, passwordChangedAt: now, createdAt: now }).returning({ id: users.id });
    const roles = data.isDoctor ? (['admin', 'doctor'] as const) : (['admin'] as const);
    await tx.insert(profileMembers).values({ profileId: practice.id, userId: user.id, roles: [...roles], createdAt: now });
    await tx.insert(userTokens).values({ userId: user.id, kind: 'email_verification', tokenHash: hash, expiresAt: new Date(now.getTime() + EMAIL_VERIFICATION_MS), createdAt: now });
    await audit(tx, {
      profileId: practice.id,
      actorUserId: user.id,
      actorKind: 'user',
      action: 'practice.signed_up',
      entityType: 'profile',
      entityId: practice.id,
      details: { slug: practice.slug, roles: [...roles] },
    });
    return { userId: user.id, profileId: practice.id, slug: practice.slug };
  });
  const mail = opts.tx
    ? ('deferred' as const)
    : await sendVerificationMail(data.email, data.practiceName, linkTo(opts.baseUrl, '/verify-email', token), created.userId, created.profileId);
  return { ...created, email: data.email, mail };
}

function sendVerificationMail(to: string, practiceName: string, link: string, userId: string, profileId: string | null) {
  return sendStaffMail({
    purpose: 'email_verification',
    to,
    subject: `Confirm your e-mail for ${practiceName}`,
    text: [
      `Confirm your e-mail address to put ${practiceName} online:`,
      '',
      link,
      '',
      `The link works once, for ${EMAIL_VERIFICATION_MS / 3_600_000} hours. If you did not sign up, ignore this message: nothing goes live without it.`,
    ].join('\n'),
    profileId,
    userId,
    entityType: 'user',
    entityId: userId,
  });
}

export interface VerifyEmailResult {
  /** Practices that went live with this verification. */
  activated: { profileId: string; slug: string; displayName: string }[];
  alreadyVerified: boolean;
}

/**
 * Follows a verification link: single use (compare-and-set on `used_at`), within its time. The
 * user's e-mail is verified and every inactive practice they are an admin of goes live.
 */
export async function verifyEmail(token: unknown, _input?: object, opts?: CallOptions): Promise<VerifyEmailResult> {
  const now = opts?.now ?? new Date();
  const expired = new DomainError('verification_expired', 'This link has expired or was already used. Sign in, or ask for a new link.');
  if (!isTokenShape(token)) throw expired;
  return transaction(opts, async (tx) => {
    const [used] = await tx
      .update(userTokens)
      .set({ usedAt: now })
      .where(and(eq(userTokens.tokenHash, hashToken(token)), eq(userTokens.kind, 'email_verification'), isNull(userTokens.usedAt), gt(userTokens.expiresAt, now)))
      .returning({ userId: userTokens.userId });
    if (!used) throw expired;
    const [user] = await tx
      .update(users)
      .set({ emailVerified: now })
      .where(and(eq(users.id, used.userId), isNull(users.emailVerified)))
      .returning({ id: users.id });
    const activated = await tx
      .update(profiles)
      .set({ isActive: true })
      .where(
        and(
          eq(profiles.isActive, false),
          sql`${profiles.id} IN (SELECT profile_id FROM profile_members WHERE user_id = ${used.userId} AND 'admin' = ANY(roles))`,
        ),
      )
      .returning({ profileId: profiles.id, slug: profiles.slug, displayName: profiles.displayName });
    await audit(tx, { profileId: null, actorUserId: used.userId, actorKind: 'user', action: 'user.email_verified', entityType: 'user', entityId: used.userId });
    for (const p of activated) {
      await audit(tx, { profileId: p.profileId, actorUserId: used.userId, actorKind: 'user', action: 'practice.activated', entityType: 'profile', entityId: p.profileId });
    }
    return { activated, alreadyVerified: !user };
  });
}

/** Verification mails per e-mail address per hour. */
export const VERIFICATION_MAILS_PER_HOUR = 5;

/**
 * Sends a new verification link to an account that is not verified yet. The same answer whatever
 * the address (known, unknown, verified): the caller cannot learn which accounts exist.
 */
export async function resendVerification(input: { email?: unknown }, opts: CallOptions & PublicCaller): Promise<void> {
  const { email } = parseInput(emailOnlySchema, input);
  const now = opts.now ?? new Date();
  const { token, hash } = newToken();
  const found = await transaction(opts, async (tx) => {
    const hit = await hitRateLimit(tx, `verify-mail:${email}`, VERIFICATION_MAILS_PER_HOUR, 3600, now);
    if (!hit.allowed) return null;
    const [user] = await tx
      .select({ id: users.id, verified: users.emailVerified })
      .from(users)
      .where(sql`lower(${users.email}) = ${email}`)
      .limit(1);
    if (!user || user.verified) return null;
    await retireTokens(tx, user.id, 'email_verification', now);
    await tx.insert(userTokens).values({ userId: user.id, kind: 'email_verification', tokenHash: hash, expiresAt: new Date(now.getTime() + EMAIL_VERIFICATION_MS), createdAt: now });
    const [practice] = await tx
      .select({ id: profiles.id, name: profiles.displayName })
      .from(profileMembers)
      .innerJoin(profiles, eq(profiles.id, profileMembers.profileId))
      .where(and(eq(profileMembers.userId, user.id), eq(profiles.isActive, false)))
      .limit(1);
    return { userId: user.id, practice };
  });
  if (found && !opts.tx) {
    void sendVerificationMail(email, found.practice?.name ?? 'your practice', linkTo(opts.baseUrl, '/verify-email', token), found.userId, found.practice?.id ?? null);
  }
}

/** Marks a user's unused links of one kind as used: only the newest one works. */
export async function retireTokens(tx: Executor, userId: string, kind: 'email_verification' | 'password_reset', now: Date): Promise<void> {
  await tx
    .update(userTokens)
    .set({ usedAt: now })
    .where(and(eq(userTokens.userId, userId), eq(userTokens.kind, kind), isNull(userTokens.usedAt)));
}

/** Whether an e-mail verification link can still be used (the page asks before showing its button). */
export async function verificationLinkUsable(token: unknown, opts?: CallOptions): Promise<boolean> {
  if (!isTokenShape(token)) return false;
  const db = await executor(opts);
  const now = opts?.now ?? new Date();
  const [row] = await db
    .select({ id: userTokens.id })
    .from(userTokens)
    .where(and(eq(userTokens.tokenHash, hashToken(token)), eq(userTokens.kind, 'email_verification'), isNull(userTokens.usedAt), gt(userTokens.expiresAt, now)))
    .limit(1);
  return Boolean(row);
}
