import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, randomInt } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';
import { z } from 'zod';
import { recoveryCodes, users } from '@/db/schema';
import { audit } from '@/lib/audit';
import { executor, transaction, type CallOptions, type Executor } from '@/lib/db';
import { secret } from '@/lib/env';
import { DomainError } from '@/lib/errors';
import { errorText } from '@/lib/i18n/errors';
import { hitRateLimits } from '@/lib/rate-limit';
import { parseInput } from '@/lib/validation/fields';
import { markSecondFactor, type SessionStage } from './sessions';

/**
 * Two-factor sign-in with TOTP (RFC 6238: SHA-1, 6 digits, 30-second steps) through `otpauth`,
 * QR codes through `qrcode`. The secret is stored sealed (AES-256-GCM, key derived from the app
 * secret); ten single-use recovery codes are stored as HMACs. A code is accepted one step either
 * side of the server's clock (±30 s of skew) and only once.
 */

export const TOTP_WINDOW = 1;
export const RECOVERY_CODE_COUNT = 10;
const ISSUER = 'Consulta';
/** Wrong second-factor codes per account before it must wait (15 minutes). */
export const MAX_SECOND_FACTOR_TRIES = 5;
const SECOND_FACTOR_WINDOW_SECONDS = 15 * 60;

/** Who is acting on their own two-factor settings: the checked session, in any stage. */
export interface SessionRef {
  userId: string;
  sessionId: string;
  stage: SessionStage;
}

// --- sealing ---

function sealingKey(): Buffer {
  return Buffer.from(hkdfSync('sha256', secret(), 'consulta-totp', 'totp-secret-v1', 32));
}

export function sealSecret(plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealingKey(), iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
}

export function unsealSecret(sealed: string): string {
  const [version, iv, tag, body] = sealed.split('.');
  if (version !== 'v1' || !iv || !tag || !body) throw new Error('unreadable sealed secret');
  const decipher = createDecipheriv('aes-256-gcm', sealingKey(), Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
}

// --- codes ---

function totpFor(base32: string, label: string): TOTP {
  return new TOTP({ issuer: ISSUER, label, algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(base32) });
}

/** The time step a code matches within the skew window, or null. */
export function matchTotp(base32: string, code: string, now: Date = new Date()): number | null {
  const totp = totpFor(base32, 'x');
  const delta = totp.validate({ token: code, timestamp: now.getTime(), window: TOTP_WINDOW });
  return delta === null ? null : totp.counter({ timestamp: now.getTime() }) + delta;
}

const RECOVERY_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

function newRecoveryCode(): string {
  let out = '';
  for (let i = 0; i < 10; i++) out += RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)];
  return `${out.slice(0, 5)}-${out.slice(5)}`;
}

function normalizeRecoveryCode(code: string): string {
  return code.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

export function hashRecoveryCode(code: string): string {
  const key = Buffer.from(hkdfSync('sha256', secret(), 'consulta-recovery', 'recovery-code-v1', 32));
  return createHmac('sha256', key).update(normalizeRecoveryCode(code)).digest('hex');
}

const codeSchema = z.object({
  code: z
    .string({ error: 'Enter the 6-digit code from your app, or a recovery code.' })
    .trim()
    .min(6, 'Enter the 6-digit code from your app, or a recovery code.')
    .max(40, 'Enter the 6-digit code from your app, or a recovery code.'),
});

// --- entry points ---

export interface TwoFactorStatus {
  enabled: boolean;
  recoveryCodesLeft: number;
  /** Names of the practices that require it. */
  requiredBy: string[];
}

export async function twoFactorStatus(session: SessionRef | null, _input?: object, opts?: CallOptions): Promise<TwoFactorStatus> {
  const who = requireSession(session);
  const db = await executor(opts);
  const result = await db.execute<{ enabled: boolean; left: number | string; required_by: string[] | null }>(sql`
    SELECT u.totp_enabled_at IS NOT NULL AS enabled,
      (SELECT count(*) FROM recovery_codes r WHERE r.user_id = u.id AND r.used_at IS NULL) AS left,
      (SELECT array_agg(p.display_name ORDER BY p.display_name) FROM profile_members m JOIN profiles p ON p.id = m.profile_id
        WHERE m.user_id = u.id AND p.is_active AND p.require_two_factor) AS required_by
    FROM users u WHERE u.id = ${who.userId}`);
  const row = result.rows[0];
  return { enabled: Boolean(row?.enabled), recoveryCodesLeft: Number(row?.left ?? 0), requiredBy: row?.required_by ?? [] };
}

export interface Enrolment {
  /** The secret as typed into an app (base32). */
  secret: string;
  /** The otpauth:// URI the QR code holds. */
  uri: string;
  /** The QR code as a data: URL (PNG). */
  qrDataUrl: string;
}

/**
 * Starts (or resumes) turning two-factor sign-in on: a new secret is stored sealed, not yet
 * enabled, and shown as a QR code and as text.
 */
export async function beginEnrolment(session: SessionRef | null, _input?: object, opts?: CallOptions): Promise<Enrolment> {
  const who = requireSession(session, ['active', 'enrol']);
  return transaction(opts, async (tx) => {
    const [user] = await tx
      .select({ email: users.email, sealed: users.totpSecretSealed, enabledAt: users.totpEnabledAt })
      .from(users)
      .where(eq(users.id, who.userId))
      .for('update');
    if (!user) throw new DomainError('unauthorized', errorText('account.sessionEnded'));
    if (user.enabledAt) throw new DomainError('conflict', 'Two-factor sign-in is already on.');
    let base32: string | null = null;
    if (user.sealed) {
      try {
        base32 = unsealSecret(user.sealed);
      } catch {
        base32 = null;
      }
    }
    if (!base32) {
      base32 = new Secret({ size: 20 }).base32;
      await tx.update(users).set({ totpSecretSealed: sealSecret(base32) }).where(eq(users.id, who.userId));
    }
    const uri = totpFor(base32, user.email).toString();
    return { secret: base32, uri, qrDataUrl: await QRCode.toDataURL(uri, { margin: 1, width: 220 }) };
  });
}

/**
 * Turns two-factor sign-in on once a code from the app matches the pending secret; returns the ten
 * recovery codes (shown once). The session that did it counts as having given its second factor.
 */
export async function confirmEnrolment(session: SessionRef | null, input: unknown, opts?: CallOptions): Promise<{ recoveryCodes: string[] }> {
  const who = requireSession(session, ['active', 'enrol']);
  const { code } = parseInput(codeSchema, input);
  const now = opts?.now ?? new Date();
  // Counted outside the transaction: a wrong code rolls back everything else.
  await reserveTry(await executor(opts), who.userId, now);
  return transaction(opts, async (tx) => {
    const [user] = await tx
      .select({ sealed: users.totpSecretSealed, enabledAt: users.totpEnabledAt })
      .from(users)
      .where(eq(users.id, who.userId))
      .for('update');
    if (!user?.sealed) throw new DomainError('conflict', 'Start again: open the two-factor page to get a new QR code.');
    if (user.enabledAt) throw new DomainError('conflict', 'Two-factor sign-in is already on.');
    const step = matchTotp(unsealSecret(user.sealed), code.replace(/\s/g, ''), now);
    if (step === null || !(await claimStep(tx, who.userId, step))) {
      throw new DomainError('wrong_code', errorText('account.codeMismatchLong'), { code: errorText('account.codeMismatch') });
    }
    await tx.update(users).set({ totpEnabledAt: now }).where(eq(users.id, who.userId));
    await refundTry(tx, who.userId, now);
    const codes = await replaceRecoveryCodes(tx, who.userId);
    await markSecondFactor(tx, who.sessionId, now);
    await audit(tx, { profileId: null, actorUserId: who.userId, actorKind: 'user', action: 'auth.two_factor_enabled', entityType: 'user', entityId: who.userId });
    return { recoveryCodes: codes };
  });
}

/**
 * The second step of sign-in: a current TOTP code or an unused recovery code (which is then used
 * up). Tries are reserved before the check, per account.
 */
export async function verifySecondFactor(
  session: SessionRef | null,
  input: unknown,
  opts?: CallOptions & { address?: string },
): Promise<{ method: 'totp' | 'recovery_code' }> {
  const who = requireSession(session, ['second_factor']);
  const { code } = parseInput(codeSchema, input);
  const now = opts?.now ?? new Date();
  const db = await executor(opts);
  await reserveTry(db, who.userId, now);
  const method = await checkCode(db, who.userId, code, now);
  await audit(db, {
    profileId: null,
    actorUserId: who.userId,
    actorKind: 'user',
    action: method ? 'auth.second_factor' : 'auth.second_factor_failed',
    entityType: 'user',
    entityId: who.userId,
    details: { outcome: method ?? 'wrong_code', address: opts?.address ?? null },
  });
  if (!method) throw new DomainError('wrong_code', errorText('account.codeWrong'), { code: errorText('account.codeWrong') });
  await refundTry(db, who.userId, now);
  await markSecondFactor(db, who.sessionId, now);
  return { method };
}

/** Turns two-factor sign-in off (a current code is asked); refused while a practice requires it. */
export async function disableTwoFactor(session: SessionRef | null, input: unknown, opts?: CallOptions): Promise<void> {
  const who = requireSession(session, ['active']);
  const { code } = parseInput(codeSchema, input);
  const now = opts?.now ?? new Date();
  const status = await twoFactorStatus(session, {}, opts);
  if (!status.enabled) return;
  if (status.requiredBy.length) {
    throw new DomainError('forbidden', `${status.requiredBy.join(', ')} requires two-factor sign-in for every member.`);
  }
  await reserveTry(await executor(opts), who.userId, now);
  await transaction(opts, async (tx) => {
    if (!(await checkCode(tx, who.userId, code, now))) {
      throw new DomainError('wrong_code', errorText('account.codeWrong'), { code: errorText('account.codeWrong') });
    }
    await tx.update(users).set({ totpEnabledAt: null, totpSecretSealed: null }).where(eq(users.id, who.userId));
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, who.userId));
    await audit(tx, { profileId: null, actorUserId: who.userId, actorKind: 'user', action: 'auth.two_factor_disabled', entityType: 'user', entityId: who.userId });
  });
}

// --- helpers ---

function requireSession(session: SessionRef | null, stages: SessionStage[] = ['active', 'enrol', 'second_factor']): SessionRef {
  if (!session) throw new DomainError('unauthorized', errorText('account.sessionEnded'));
  if (!stages.includes(session.stage)) throw new DomainError('forbidden', 'Finish signing in first.');
  return session;
}

/** Counts a try before its code is checked (tries sent together cannot all pass the limit). */
async function reserveTry(db: Executor, userId: string, now: Date): Promise<void> {
  const [hit] = await hitRateLimits(db, [{ key: `second-factor:${userId}`, limit: MAX_SECOND_FACTOR_TRIES, windowSeconds: SECOND_FACTOR_WINDOW_SECONDS }], now);
  if (!hit.allowed) {
    throw new DomainError('rate_limited', `Too many codes tried. Wait ${Math.ceil(hit.retryAfterSeconds / 60)} minutes and try again.`, undefined, hit.retryAfterSeconds);
  }
}

/** A right code gives its try back: only wrong codes count. */
async function refundTry(db: Executor, userId: string, now: Date): Promise<void> {
  const windowMs = SECOND_FACTOR_WINDOW_SECONDS * 1000;
  const start = new Date(Math.floor(now.getTime() / windowMs) * windowMs);
  await db.execute(sql`UPDATE rate_limits SET count = GREATEST(count - 1, 0) WHERE key = ${`second-factor:${userId}`} AND window_start = ${start.toISOString()}`);
}

/** A code is good for one use: its time step is claimed (a row per user and step). */
async function claimStep(db: Executor, userId: string, step: number): Promise<boolean> {
  const result = await db.execute(sql`
    INSERT INTO rate_limits (key, window_start, count) VALUES (${`totp-used:${userId}`}, ${new Date(step * 30_000).toISOString()}, 1)
    ON CONFLICT (key, window_start) DO NOTHING RETURNING count`);
  return result.rows.length > 0;
}

async function checkCode(db: Executor, userId: string, code: string, now: Date): Promise<'totp' | 'recovery_code' | null> {
  const compact = code.replace(/[\s-]/g, '');
  if (/^\d{6}$/.test(compact)) {
    const [user] = await db.select({ sealed: users.totpSecretSealed, enabledAt: users.totpEnabledAt }).from(users).where(eq(users.id, userId));
    if (!user?.sealed || !user.enabledAt) return null;
    const step = matchTotp(unsealSecret(user.sealed), compact, now);
    return step !== null && (await claimStep(db, userId, step)) ? 'totp' : null;
  }
  const used = await db
    .update(recoveryCodes)
    .set({ usedAt: now })
    .where(and(eq(recoveryCodes.userId, userId), eq(recoveryCodes.codeHash, hashRecoveryCode(code)), isNull(recoveryCodes.usedAt)))
    .returning({ id: recoveryCodes.id });
  return used.length ? 'recovery_code' : null;
}

async function replaceRecoveryCodes(tx: Executor, userId: string): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
  await tx.insert(recoveryCodes).values(codes.map((c) => ({ userId, codeHash: hashRecoveryCode(c) })));
  return codes;
}
