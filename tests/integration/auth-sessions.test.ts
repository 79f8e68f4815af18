/**
 * Sessions in the database, through Auth.js's own endpoints (in process, the app's options):
 * sign-out revokes, a copied cookie is then refused and not re-issued, idle and absolute limits
 * end a session (moved clock), "sign out everywhere" and revokeUserSessions end the others, and an
 * unreadable cookie is treated as signed out.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { Auth } from '@auth/core';
import { eq } from 'drizzle-orm';
import type { DbHandle } from '@/db/client';
import { staffSessions, users } from '@/db/schema';
import { mySessions, signOutEverywhere } from '@/lib/auth/account';
import { authOptions } from '@/lib/auth/options';
import { checkSession, clearSessionCache, hashSessionToken, revokeUserSessions, SESSION_MAX_AGE_SECONDS } from '@/lib/auth/sessions';
import { DEMO_PASSWORD } from '@/lib/demo/seed';
import { setupTestDb } from '../helpers/db';

let handle: DbHandle;
const BASE = 'http://localhost:3000';
const endpoint = async (req: Request) => Auth(req, await authOptions());
let n = 0;
const address = () => `192.0.2.${100 + (n++ % 100)}`;

beforeAll(async () => {
  handle = await setupTestDb();
});

const cookiesOf = (res: Response) => res.headers.getSetCookie().map((c) => c.split(';')[0]);

async function signIn(email: string, ua = 'Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0 Safari/537.36') {
  const addr = '192.0.2.77';
  const c = await endpoint(new Request(`${BASE}/api/auth/csrf`, { headers: { 'x-forwarded-for': addr } }));
  const { csrfToken } = (await c.json()) as { csrfToken: string };
  const res = await endpoint(
    new Request(`${BASE}/api/auth/callback/credentials`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookiesOf(c).join('; '), 'x-forwarded-for': addr, 'user-agent': ua },
      body: new URLSearchParams({ csrfToken, email, password: DEMO_PASSWORD, callbackUrl: `${BASE}/dashboard` }),
    }),
  );
  const session = cookiesOf(res).find((x) => x.startsWith('authjs.session-token=') && x.length > 'authjs.session-token='.length);
  expect(session, 'signed in').toBeTruthy();
  return { cookie: [session!, ...cookiesOf(c)].join('; '), csrfToken };
}

async function getSession(cookie: string) {
  const res = await endpoint(new Request(`${BASE}/api/auth/session`, { headers: { cookie, 'x-forwarded-for': address() } }));
  const body = (await res.json()) as { user?: { id: string }; sessionId?: string; stage?: string } | null;
  const set = res.headers.getSetCookie().filter((x) => x.startsWith('authjs.session-token='));
  return { body, reissued: set.some((x) => !/^authjs\.session-token=;/.test(x) && !/Max-Age=0|Expires=Thu, 01 Jan 1970/i.test(x)), cleared: set.some((x) => /^authjs\.session-token=;/.test(x) || /Max-Age=0/i.test(x)) };
}

async function userId(email: string) {
  const [u] = await handle.db.select({ id: users.id }).from(users).where(eq(users.email, email));
  return u.id;
}

describe('database sessions', () => {
  it('sign-out revokes the row: the copied cookie is refused by /api/auth/session and no fresh cookie is handed back', async () => {
    const { cookie, csrfToken } = await signIn('doctor@demo.test');
    const live = await getSession(cookie);
    expect(live.body?.user?.id).toBe(await userId('doctor@demo.test'));
    expect(live.body?.stage).toBe('active');
    expect(live.reissued).toBe(true);

    const out = await endpoint(
      new Request(`${BASE}/api/auth/signout`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, 'x-forwarded-for': address() },
        body: new URLSearchParams({ csrfToken, callbackUrl: `${BASE}/login` }),
      }),
    );
    expect(out.status).toBe(302);
    const [row] = await handle.db.select().from(staffSessions).where(eq(staffSessions.id, live.body!.sessionId!));
    expect(row.revokedAt).not.toBeNull();
    expect(row.revokedReason).toBe('signed_out');

    const copied = await getSession(cookie);
    expect(copied.body?.user).toBeUndefined();
    expect(copied.reissued).toBe(false);
    expect(copied.cleared).toBe(true);
  });

  it('an idle session ends after the practice timeout (clock moved in the database and in the check)', async () => {
    const { cookie } = await signIn('doctor@demo.test');
    const { body } = await getSession(cookie);
    // 29 minutes idle: still live (the demo practice's timeout is the default, 30 minutes).
    await handle.db.update(staffSessions).set({ lastSeenAt: new Date(Date.now() - 29 * 60_000) }).where(eq(staffSessions.id, body!.sessionId!));
    clearSessionCache();
    expect((await getSession(cookie)).body?.user).toBeTruthy();
    // Moved on to 31 minutes without activity: refused, the row records why.
    await handle.db.update(staffSessions).set({ lastSeenAt: new Date(Date.now() - 31 * 60_000) }).where(eq(staffSessions.id, body!.sessionId!));
    clearSessionCache();
    const idle = await getSession(cookie);
    expect(idle.body?.user).toBeUndefined();
    expect(idle.reissued).toBe(false);
    const [row] = await handle.db.select().from(staffSessions).where(eq(staffSessions.id, body!.sessionId!));
    expect(row.revokedReason).toBe('idle');
  });

  it('the idle timeout follows the practice setting, and the 12-hour limit holds whatever the activity (moved clock)', async () => {
    const { cookie } = await signIn('admin@demo.test');
    const token = (await getSession(cookie)).body!;
    const [row] = await handle.db.select().from(staffSessions).where(eq(staffSessions.id, token.sessionId!));
    const { profiles } = await import('@/db/schema');
    const { createStaffSession } = await import('@/lib/auth/sessions');
    await handle.db.update(profiles).set({ idleTimeoutMinutes: 10 }).where(eq(profiles.slug, 'demo'));
    try {
      const t0 = new Date();
      const s = await createStaffSession(handle.db, { userId: row.userId, address: '192.0.2.1', userAgent: null, secondFactorDone: true }, t0);
      expect(await checkSession(s.token, { now: new Date(t0.getTime() + 9 * 60_000) })).toMatchObject({ idleTimeoutMinutes: 10 });
      // 11 minutes after that activity: past the practice's 10.
      expect(await checkSession(s.token, { now: new Date(t0.getTime() + 20 * 60_000) })).toBeNull();
    } finally {
      await handle.db.update(profiles).set({ idleTimeoutMinutes: 30 }).where(eq(profiles.slug, 'demo'));
    }

    // Absolute: a session active every few minutes still ends 12 hours after sign-in.
    await handle.db
      .update(staffSessions)
      .set({ expiresAt: new Date(Date.now() - 1000), lastSeenAt: new Date() })
      .where(eq(staffSessions.id, row.id));
    clearSessionCache();
    expect((await getSession(cookie)).body?.user).toBeUndefined();
    expect(SESSION_MAX_AGE_SECONDS).toBe(12 * 3600);
  });

  it('checkSession: idle by the practice timeout and absolute expiry, with `now` moved', async () => {
    const { createStaffSession } = await import('@/lib/auth/sessions');
    const uid = await userId('doctor@demo.test');
    const t0 = new Date();
    const a = await createStaffSession(handle.db, { userId: uid, address: '192.0.2.1', userAgent: null, secondFactorDone: true }, t0);
    expect(await checkSession(a.token, { now: new Date(t0.getTime() + 29 * 60_000) })).toMatchObject({ stage: 'active', idleTimeoutMinutes: 30 });
    // Active at +29 min (recorded), so +58 min is 29 minutes idle: live.
    expect(await checkSession(a.token, { now: new Date(t0.getTime() + 58 * 60_000) })).not.toBeNull();
    expect(await checkSession(a.token, { now: new Date(t0.getTime() + 58 * 60_000 + 30 * 60_000 + 1000) })).toBeNull();
    const b = await createStaffSession(handle.db, { userId: uid, address: '192.0.2.1', userAgent: null, secondFactorDone: true }, t0);
    let t = t0.getTime();
    for (; t < t0.getTime() + 12 * 3600_000 - 20 * 60_000; t += 20 * 60_000) expect(await checkSession(b.token, { now: new Date(t) })).not.toBeNull();
    expect(await checkSession(b.token, { now: new Date(t0.getTime() + 12 * 3600_000) })).toBeNull();
  });

  it('"sign out everywhere" and revokeUserSessions end the other sessions at once; the account page lists device, address and activity', async () => {
    const one = await signIn('doctor2@demo.test', 'Mozilla/5.0 (Windows NT 10.0) Firefox/130.0');
    const two = await signIn('doctor2@demo.test', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) Safari/605.1.15');
    const s1 = (await getSession(one.cookie)).body!;
    const s2 = (await getSession(two.cookie)).body!;
    const ref = { userId: s1.user!.id, sessionId: s1.sessionId!, stage: 'active' as const };
    const list = await mySessions(ref);
    expect(list.map((s) => s.device)).toEqual(expect.arrayContaining(['Firefox on Windows', 'Safari on macOS']));
    expect(list.find((s) => s.current)?.id).toBe(s1.sessionId);
    expect(list.every((s) => s.address === '192.0.2.77')).toBe(true);

    // revokeUserSessions keeps the session that asked for it (a password change).
    expect(await revokeUserSessions(ref.userId, { exceptSessionId: s1.sessionId, reason: 'password_changed' })).toBeGreaterThanOrEqual(1);
    expect((await getSession(two.cookie)).body?.user).toBeUndefined();
    expect((await getSession(one.cookie)).body?.user).toBeTruthy();
    expect(s2.sessionId).not.toBe(s1.sessionId);

    await signOutEverywhere(ref);
    expect((await getSession(one.cookie)).body?.user).toBeUndefined();
  });

  it('an unreadable session cookie is signed out and logged once, in one short line', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      for (let i = 0; i < 5; i++) {
        const r = await getSession(`authjs.session-token=garbage-${i}`);
        expect(r.body?.user).toBeUndefined();
        expect(r.cleared).toBe(true);
      }
      const lines = errors.mock.calls.map((c) => c.join(' '));
      expect(lines).toEqual(['[error] auth.failed error=JWTSessionError']);
    } finally {
      errors.mockRestore();
    }
  });

  it('stores only the hash of the session token', async () => {
    const rows = await handle.db.select({ tokenHash: staffSessions.tokenHash }).from(staffSessions);
    expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.tokenHash))).toBe(true);
    expect(hashSessionToken('x')).toHaveLength(64);
  });
});
