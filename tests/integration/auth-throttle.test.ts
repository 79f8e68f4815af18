/**
 * Must show 1 (Auth.js's endpoint, in process): twenty wrong passwords and the right one sent at
 * once; the attempts are reserved before argon2, so at most the limit of them are checked and the
 * right one does not sign in while the account is throttled from that address. The same through
 * the login form's server action runs over HTTP in tests/e2e/auth-throttle.spec.ts.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import type { DbHandle } from '@/db/client';
import { auditLog, staffSessions, users } from '@/db/schema';
import { Auth } from '@auth/core';
import { authOptions } from '@/lib/auth/options';
import { authenticate, MAX_FAILED_SIGN_INS, signInGate } from '@/lib/auth/credentials';
import { ARGON2_CONCURRENCY, passwordWork } from '@/lib/auth/password';
import { frontDoor, MAX_IN_FLIGHT_PER_ADDRESS, SignInBusyError, SignInThrottledError, throughSignInDoor } from '@/lib/auth/sign-in-door';
import { SIGN_IN_LIMITS } from '@/lib/rate-limit/sign-in';
import { DEMO_PASSWORD } from '@/lib/demo/seed';
import { setupTestDb } from '../helpers/db';

let handle: DbHandle;
const BASE = 'http://localhost:3000';

beforeAll(async () => {
  handle = await setupTestDb();
});

/** Auth.js's endpoint with the app's own options (what app/api/auth/[...nextauth] serves). */
const endpoint = async (req: Request) => Auth(req, await authOptions());

async function csrf(address: string) {
  const res = await endpoint(new Request(`${BASE}/api/auth/csrf`, { headers: { 'x-forwarded-for': address } }));
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  return { csrfToken, cookie };
}

/** POST /api/auth/callback/credentials as a browser form would. */
async function postCredentials(email: string, password: string, address: string) {
  const { csrfToken, cookie } = await csrf(address);
  const res = await endpoint(
    new Request(`${BASE}/api/auth/callback/credentials`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, 'x-forwarded-for': address, 'user-agent': 'vitest' },
      body: new URLSearchParams({ csrfToken, email, password, callbackUrl: `${BASE}/dashboard` }),
    }),
  );
  const setCookies = res.headers.getSetCookie();
  return {
    location: res.headers.get('location') ?? '',
    sessionCookie: setCookies.find((c) => /authjs\.session-token=[^;]+/.test(c) && !/authjs\.session-token=;/.test(c)),
  };
}

async function sessionsOf(email: string) {
  const [u] = await handle.db.select({ id: users.id }).from(users).where(eq(users.email, email));
  return handle.db.select({ id: staffSessions.id }).from(staffSessions).where(eq(staffSessions.userId, u.id));
}

describe('sign-in under parallel attempts', () => {
  it('Auth.js endpoint: 20 wrong + the right one at once → at most the limit checked by argon2, no sign-in while throttled', async () => {
    const address = '192.0.2.10';
    const before = { ...passwordWork };
    const attempts = [...Array(20).fill('wrong-password'), DEMO_PASSWORD].map((p) => postCredentials('doctor@demo.test', p, address));
    const results = await Promise.all(attempts);
    const checked = passwordWork.verifications - before.verifications;
    const busy = passwordWork.refusedBusy - before.refusedBusy;
    const right = results[20];
    const throttled = results.filter((r) => /code=throttled/.test(r.location)).length;
    const refusedBusy = results.filter((r) => /code=busy/.test(r.location)).length;
    console.log(`[auth-throttle] endpoint: argon2 checks ${checked} (limit ${MAX_FAILED_SIGN_INS}), throttled ${throttled}, busy ${busy}, right one: ${right.sessionCookie ? 'signed in (reserved before the limit)' : right.location.replace(BASE, '')}`);
    expect(checked).toBeLessThanOrEqual(MAX_FAILED_SIGN_INS);
    // Every other attempt was refused before argon2: throttled, or "busy" (the process's bound).
    expect(throttled + refusedBusy).toBeGreaterThanOrEqual(21 - MAX_FAILED_SIGN_INS);
    const sessions = await sessionsOf('doctor@demo.test');
    // The right password signs in only if its attempt was among the first `limit` reserved.
    expect(sessions.length).toBe(right.sessionCookie ? 1 : 0);
    if (!right.sessionCookie) expect(right.location).toMatch(/code=(throttled|busy)/);

    // Still throttled: the right password alone does not sign in from that address, and costs no argon2.
    const again = { ...passwordWork };
    const alone = await postCredentials('doctor@demo.test', DEMO_PASSWORD, address);
    expect(alone.sessionCookie).toBeUndefined();
    expect(alone.location).toMatch(/code=throttled/);
    expect(passwordWork.verifications - again.verifications).toBe(0);
    expect((await sessionsOf('doctor@demo.test')).length).toBe(sessions.length);
  });

  it('lib entry (what the login action runs): 20 wrong + right at once → at most the limit checked', async () => {
    const address = '192.0.2.11';
    const before = passwordWork.verifications;
    const results = await Promise.all(
      [...Array(20).fill('wrong-password'), DEMO_PASSWORD].map((p) => authenticate(handle.db, 'admin@demo.test', p, { address, userAgent: 'vitest' })),
    );
    expect(passwordWork.verifications - before).toBeLessThanOrEqual(MAX_FAILED_SIGN_INS);
    expect(results.filter((r) => !r.ok && (r.reason === 'throttled' || r.reason === 'busy')).length).toBeGreaterThanOrEqual(21 - MAX_FAILED_SIGN_INS);
    expect(await authenticate(handle.db, 'admin@demo.test', DEMO_PASSWORD, { address, userAgent: 'vitest' })).toMatchObject({ ok: false, reason: 'throttled' });
  });

  it('a flood from many addresses: argon2 never runs more than its bound at once, the excess answers "busy" quickly', async () => {
    const before = { ...passwordWork };
    const busyAudited = async () =>
      Number(
        (await handle.db.select({ n: sql<number>`count(*)::int` }).from(auditLog).where(and(eq(auditLog.action, 'auth.sign_in_failed'), sql`${auditLog.details}->>'outcome' = 'busy'`)))[0].n,
      );
    const busyBefore = await busyAudited();
    const started = Date.now();
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) => authenticate(handle.db, `nobody-${i}@flood.test`, 'x', { address: `198.18.${i >> 8}.${i & 255}`, userAgent: null })),
    );
    const elapsed = Date.now() - started;
    const busy = results.filter((r) => !r.ok && r.reason === 'busy').length;
    console.log(`[auth-throttle] flood of 60 unknown e-mails from 60 addresses: ${passwordWork.verifications - before.verifications} checked, ${busy} busy, ${elapsed} ms (bound ${ARGON2_CONCURRENCY} at once)`);
    expect(busy).toBeGreaterThan(0);
    expect(results.every((r) => !r.ok)).toBe(true);
    // Attempts refused at argon2's bound are audited as "busy" (and not counted as guesses); those
    // refused at the sign-in gate never touched the database.
    expect((await busyAudited()) - busyBefore).toBe(passwordWork.refusedBusy - before.refusedBusy);
    expect(signInGate.refused).toBeGreaterThan(0);
  });

  it('an attack from elsewhere does not lock the person out of their usual address', async () => {
    const usual = '192.0.2.50';
    expect((await authenticate(handle.db, 'doctor2@demo.test', DEMO_PASSWORD, { address: usual, userAgent: null })).ok).toBe(true);
    // 60 wrong passwords from 12 other addresses (5 each: every pair limit reached).
    for (let a = 0; a < 12; a++) {
      for (let i = 0; i < 5; i++) await authenticate(handle.db, 'doctor2@demo.test', 'guess', { address: `203.0.113.${a}`, userAgent: null });
    }
    // A new address is slowed down (the account's limit for unknown addresses is spent)...
    expect(await authenticate(handle.db, 'doctor2@demo.test', DEMO_PASSWORD, { address: '192.0.2.99', userAgent: null })).toMatchObject({ ok: false, reason: 'throttled' });
    // ...the usual address still gets in.
    expect((await authenticate(handle.db, 'doctor2@demo.test', DEMO_PASSWORD, { address: usual, userAgent: null })).ok).toBe(true);
  });

  it('Must show 3, the door: once Postgres refuses an address, its attempts are refused before Auth.js with no database work; other addresses are not', async () => {
    const flooder = '198.51.100.77';
    const limit = SIGN_IN_LIMITS.address[0].limit;
    const countRows = async () => ({
      audit: Number((await handle.db.select({ n: sql<number>`count(*)::int` }).from(auditLog))[0].n),
      hits: Number((await handle.db.execute<{ n: number }>(sql`SELECT coalesce(sum(count), 0)::int AS n FROM rate_limits WHERE key LIKE ${`sign-in:address:%:${flooder}`}`)).rows[0].n),
    });
    // Unknown e-mails from one address (what the benchmark floods with): the address scope refuses
    // the attempt after its limit, in Postgres.
    for (let i = 0; i < limit; i++) {
      expect(await authenticate(handle.db, `nobody-${i}@door.test`, 'x', { address: flooder, userAgent: null })).toMatchObject({ ok: false, reason: 'invalid' });
    }
    const refused = await authenticate(handle.db, 'nobody-next@door.test', 'x', { address: flooder, userAgent: null });
    expect(refused).toMatchObject({ ok: false, reason: 'throttled' });

    // From then on, nothing from that address reaches the database or argon2 (no audit line, no hit).
    const before = { rows: await countRows(), checks: passwordWork.verifications };
    for (let i = 0; i < 10; i++) {
      expect(await authenticate(handle.db, `again-${i}@door.test`, 'x', { address: flooder, userAgent: null })).toMatchObject({ ok: false, reason: 'throttled' });
    }
    expect(await countRows()).toEqual(before.rows);
    expect(passwordWork.verifications).toBe(before.checks);

    // Auth.js's route and the login action: refused before their own work runs.
    let ran = false;
    const attempt = throughSignInDoor(new Headers({ 'x-forwarded-for': flooder }), async () => (ran = true));
    await expect(attempt).rejects.toBeInstanceOf(SignInThrottledError);
    await attempt.catch((err: SignInThrottledError) => expect(err.retryAfterSeconds).toBeGreaterThan(0));
    expect(ran).toBe(false);

    // The server's request hook (lib/bootstrap): Auth.js's own answer with Retry-After and the
    // security headers, before Next; another address passes through to Next.
    const server = http.createServer((req, res) => {
      if (!frontDoor(req, res)) res.end('passed to Next');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const post = (address: string) =>
        fetch(`${base}/api/auth/callback/credentials`, { method: 'POST', redirect: 'manual', headers: { 'x-forwarded-for': address, 'content-type': 'application/x-www-form-urlencoded' }, body: 'email=a%40b.c&password=x' });
      const atDoor = await post(flooder);
      expect(atDoor.status).toBe(302);
      expect(atDoor.headers.get('location')).toBe('/login?error=CredentialsSignin&code=throttled');
      expect(Number(atDoor.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(atDoor.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(await (await post('198.51.100.78')).text()).toBe('passed to Next');
    } finally {
      server.close();
    }

    // Someone else (the demo doctor from another address) still signs in meanwhile.
    expect((await authenticate(handle.db, 'doctor@demo.test', DEMO_PASSWORD, { address: '192.0.2.60', userAgent: null })).ok).toBe(true);
  });

  it('the door: at most MAX_IN_FLIGHT_PER_ADDRESS sign-ins in flight from one address, the next answers "busy" at once; other addresses are not held up', async () => {
    const address = '198.51.100.90';
    const headers = new Headers({ 'x-forwarded-for': address });
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const inFlight = Array.from({ length: MAX_IN_FLIGHT_PER_ADDRESS }, () => throughSignInDoor(headers, () => held));
    await expect(throughSignInDoor(headers, async () => 'ran')).rejects.toBeInstanceOf(SignInBusyError);
    expect(await throughSignInDoor(new Headers({ 'x-forwarded-for': '198.51.100.91' }), async () => 'ran')).toBe('ran');
    release();
    await Promise.all(inFlight);
    expect(await throughSignInDoor(headers, async () => 'ran')).toBe('ran');
  });
});
