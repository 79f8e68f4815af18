/**
 * Two-factor sign-in: enrolment stores the secret sealed, a code is accepted within one 30-second
 * step of skew and only once, recovery codes are single-use and stored hashed, a password-only
 * session cannot act until the second step, and a practice's requirement sends members to enrolment.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { Secret, TOTP } from 'otpauth';
import type { DbHandle } from '@/db/client';
import { profiles, recoveryCodes, users } from '@/db/schema';
import { authenticate } from '@/lib/auth/credentials';
import { checkSession } from '@/lib/auth/sessions';
import { beginEnrolment, confirmEnrolment, MAX_SECOND_FACTOR_TRIES, disableTwoFactor, matchTotp, unsealSecret, verifySecondFactor, type SessionRef } from '@/lib/auth/two-factor';
import { DEMO_PASSWORD } from '@/lib/demo/seed';
import { setupTestDb } from '../helpers/db';

let handle: DbHandle;
beforeAll(async () => {
  handle = await setupTestDb();
});

const codeAt = (secret: string, ms: number) => new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({ timestamp: ms });

async function signedIn(email: string, address = '192.0.2.200') {
  const r = await authenticate(handle.db, email, DEMO_PASSWORD, { address, userAgent: null });
  if (!r.ok) throw new Error(`sign-in failed: ${r.reason}`);
  const state = await checkSession(r.sessionToken, { now: new Date() });
  return { ref: { userId: r.user.id, sessionId: r.sessionId, stage: state!.stage } as SessionRef, token: r.sessionToken, secondFactor: r.secondFactor };
}

describe('TOTP', () => {
  it('accepts a code one step either side of the clock, not two (clock skew window)', () => {
    const secret = new Secret({ size: 20 }).base32;
    const now = Date.UTC(2026, 0, 1, 12, 0, 15);
    expect(matchTotp(secret, codeAt(secret, now), new Date(now))).not.toBeNull();
    expect(matchTotp(secret, codeAt(secret, now - 30_000), new Date(now))).not.toBeNull();
    expect(matchTotp(secret, codeAt(secret, now + 30_000), new Date(now))).not.toBeNull();
    expect(matchTotp(secret, codeAt(secret, now - 60_000), new Date(now))).toBeNull();
    expect(matchTotp(secret, codeAt(secret, now + 60_000), new Date(now))).toBeNull();
  });

  it('enrols with a sealed secret, then sign-in needs a code; a code works once; recovery codes work once', async () => {
    const first = await signedIn('doctor@demo.test');
    expect(first.ref.stage).toBe('active');
    const enrolment = await beginEnrolment(first.ref);
    expect(enrolment.uri).toMatch(/^otpauth:\/\/totp\/Consulta:doctor%40demo\.test\?/);
    expect(enrolment.qrDataUrl).toMatch(/^data:image\/png;base64,/);
    const [stored] = await handle.db.select({ sealed: users.totpSecretSealed, enabledAt: users.totpEnabledAt }).from(users).where(eq(users.id, first.ref.userId));
    expect(stored.sealed).not.toContain(enrolment.secret);
    expect(unsealSecret(stored.sealed!)).toBe(enrolment.secret);
    expect(stored.enabledAt).toBeNull();

    await expect(confirmEnrolment(first.ref, { code: '000000' })).rejects.toMatchObject({ code: 'wrong_code' });
    const t = Date.now();
    const { recoveryCodes: codes } = await confirmEnrolment(first.ref, { code: codeAt(enrolment.secret, t) }, { now: new Date(t) });
    expect(codes).toHaveLength(10);
    const hashed = await handle.db.select({ codeHash: recoveryCodes.codeHash }).from(recoveryCodes).where(eq(recoveryCodes.userId, first.ref.userId));
    expect(hashed).toHaveLength(10);
    expect(hashed.some((h) => codes.some((c) => h.codeHash.includes(c.replace('-', ''))))).toBe(false);

    // Next sign-in: the password alone gives a session that cannot act yet.
    const second = await signedIn('doctor@demo.test');
    expect(second.secondFactor).toBe(true);
    expect(second.ref.stage).toBe('second_factor');
    // A code from 30 seconds ago (skew) works; the same code again does not (single use).
    const step = Date.now() + 30_000;
    const code = codeAt(enrolment.secret, step);
    expect(await verifySecondFactor(second.ref, { code }, { now: new Date(step + 30_000) })).toEqual({ method: 'totp' });
    expect((await checkSession(second.token, { now: new Date() }))?.stage).toBe('active');
    const third = await signedIn('doctor@demo.test');
    await expect(verifySecondFactor(third.ref, { code }, { now: new Date(step + 30_000) })).rejects.toMatchObject({ code: 'wrong_code' });

    // A recovery code (typed in lower case, without the dash) works once.
    expect(await verifySecondFactor(third.ref, { code: codes[0].toLowerCase().replace('-', '') })).toEqual({ method: 'recovery_code' });
    const fourth = await signedIn('doctor@demo.test');
    await expect(verifySecondFactor(fourth.ref, { code: codes[0] })).rejects.toMatchObject({ code: 'wrong_code' });
    expect(await verifySecondFactor(fourth.ref, { code: codes[1] })).toEqual({ method: 'recovery_code' });

    // Turning it off asks for a code.
    const active = { ...fourth.ref, stage: 'active' as const };
    await expect(disableTwoFactor(active, { code: '999999' })).rejects.toMatchObject({ code: 'wrong_code' });
    await disableTwoFactor(active, { code: codes[2] });
    expect((await signedIn('doctor@demo.test')).secondFactor).toBe(false);
  });

  it('limits wrong second-factor codes, counted before the check', async () => {
    const s = await signedIn('admin@demo.test');
    const enrolment = await beginEnrolment(s.ref);
    await confirmEnrolment(s.ref, { code: codeAt(enrolment.secret, Date.now()) });
    const next = await signedIn('admin@demo.test');
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => verifySecondFactor(next.ref, { code: '000000' })));
    const codes = results.map((r) => (r.status === 'rejected' ? (r.reason as { code: string }).code : 'ok'));
    expect(codes.filter((c) => c === 'wrong_code').length).toBeLessThanOrEqual(MAX_SECOND_FACTOR_TRIES);
    expect(codes.filter((c) => c === 'rate_limited').length).toBeGreaterThanOrEqual(8 - MAX_SECOND_FACTOR_TRIES);
  });

  it('a practice that requires two-factor sign-in sends a member without it to enrolment, and the member cannot act until then', async () => {
    await handle.db.update(profiles).set({ requireTwoFactor: true }).where(eq(profiles.slug, 'demo-2'));
    const s = await signedIn('doctor2@demo.test');
    expect(s.ref.stage).toBe('enrol');
    const enrolment = await beginEnrolment(s.ref);
    await confirmEnrolment(s.ref, { code: codeAt(enrolment.secret, Date.now()) });
    expect((await checkSession(s.token, { now: new Date() }))?.stage).toBe('active');
    // Required: it cannot be turned off.
    await expect(disableTwoFactor({ ...s.ref, stage: 'active' }, { code: codeAt(enrolment.secret, Date.now() + 30_000) })).rejects.toMatchObject({ code: 'forbidden' });
  });
});
