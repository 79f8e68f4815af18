/**
 * Must show 1, over HTTP on the production build: twenty wrong passwords and the right one sent at
 * once through Auth.js's endpoint and through the login form's server action. The spec runs its
 * own server on its own embedded database (the attack's throttles must not touch the suite's
 * accounts), with TRUSTED_PROXY=1 so each burst comes from its own client address.
 *
 * The server's argon2 work is bounded by the answers: a throttled or busy attempt is refused before
 * argon2 (lib/auth/credentials.ts, lib/auth/sign-in-door.ts), so every other attempt is at most one check;
 * tests/integration/auth-throttle.test.ts counts the argon2 calls themselves.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { DEMO_PASSWORD } from './helpers';
import { callAction, listServerActions, rawRequest, type RawResponse } from './hostile-kit';

const PORT = process.env.AUTH_THROTTLE_PORT ?? String(Number(process.env.E2E_PORT ?? '3100') + 17);
const BASE = `http://127.0.0.1:${PORT}`;
const LIMIT = 5;

const cookiesFrom = (res: RawResponse) => (res.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
const hasSession = (res: RawResponse) => (res.headers['set-cookie'] ?? []).some((c) => /authjs\.session-token=[^;]+/.test(c));

test('20 wrong passwords and the right one at once: at most the limit checked, no sign-in while throttled (endpoint and action)', async () => {
  test.setTimeout(240_000);
  const dir = mkdtempSync(path.join(tmpdir(), 'dap-auth-throttle-'));
  let server: ChildProcess | undefined;
  let log = '';
  try {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'production',
      NEXT_DIST_DIR: process.env.NEXT_DIST_DIR || '.next-e2e',
      PORT,
      AUTH_SECRET: 'e2e-secret-0123456789abcdef0123456789',
      TRUSTED_PROXY: '1',
      NEXT_TELEMETRY_DISABLED: '1',
      PGLITE_DIR: path.join(dir, 'pglite'),
      DATABASE_URL: '',
    };
    delete env.DATABASE_URL;
    const seed = spawnSync('npx', ['tsx', 'lib/demo/seed-cli.ts'], { env: { ...env, NODE_ENV: 'development' }, encoding: 'utf8' });
    expect(seed.status, `seeding: ${seed.stderr}`).toBe(0);
    server = spawn('npx', ['next', 'start', '-p', PORT, '-H', '127.0.0.1'], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    server.stdout!.on('data', (d: Buffer) => (log += d.toString('utf8')));
    server.stderr!.on('data', (d: Buffer) => (log += d.toString('utf8')));
    const deadline = Date.now() + 90_000;
    while ((await rawRequest(BASE, { method: 'GET', path: '/api/health', timeoutMs: 5000 })).status !== 200) {
      if (Date.now() > deadline) throw new Error(`the server did not start:\n${log.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 500));
    }

    // Through Auth.js's endpoint: each attempt with its own CSRF pair, all from one address.
    const viaEndpoint = async (password: string, address: string) => {
      const csrf = await rawRequest(BASE, { method: 'GET', path: '/api/auth/csrf', headers: { 'x-forwarded-for': address } });
      const { csrfToken } = JSON.parse(csrf.body) as { csrfToken: string };
      return rawRequest(BASE, {
        method: 'POST',
        path: '/api/auth/callback/credentials',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookiesFrom(csrf), 'x-forwarded-for': address, origin: BASE },
        body: new URLSearchParams({ csrfToken, email: 'doctor@demo.test', password, callbackUrl: `${BASE}/dashboard` }).toString(),
      });
    };
    // The doctor's usual address: signed in from there before the attack.
    expect(hasSession(await viaEndpoint(DEMO_PASSWORD, '198.51.100.40'))).toBe(true);
    const endpointAddress = '203.0.113.21';
    const endpoint = await Promise.all([...Array(20).fill('wrong-password'), DEMO_PASSWORD].map((p) => viaEndpoint(p, endpointAddress)));
    const endpointRight = endpoint[20];
    const endpointThrottled = endpoint.filter((r) => /code=(throttled|busy)/.test(String(r.headers.location))).length;

    // Through the login form's server action.
    const signInAction = listServerActions().find((a) => a.name === 'signInAction')!;
    const actionAddress = '203.0.113.22';
    const viaAction = (password: string) =>
      callAction(BASE, signInAction, '/login', [['email', 'admin@demo.test'], ['password', password], ['next', '/dashboard']], { headers: { 'x-forwarded-for': actionAddress } });
    const action = await Promise.all([...Array(20).fill('wrong-password'), DEMO_PASSWORD].map(viaAction));
    const actionRight = action[20];
    const actionThrottled = action.filter((r) => /Too many sign-in attempts|Many people are signing in/.test(r.body)).length;

    // The sign-in door lets at most two attempts per address be in flight (the rest answer "busy"
    // without a check), so a burst may leave the pair under its limit: the remaining guesses, one at
    // a time, until the throttle answers.
    for (let i = 0; i < LIMIT; i++) {
      if (/code=throttled/.test(String((await viaEndpoint('wrong-password', endpointAddress)).headers.location))) break;
    }
    for (let i = 0; i < LIMIT; i++) {
      if (/Too many sign-in attempts/.test((await viaAction('wrong-password')).body)) break;
    }

    // Then throttled: the right password alone does not sign in from those addresses.
    const laterEndpoint = await viaEndpoint(DEMO_PASSWORD, endpointAddress);
    const laterAction = await viaAction(DEMO_PASSWORD);

    // A throttled or busy answer says so and never ran argon2: every other attempt may have. The
    // limit bounds the guesses: a right password checked before the throttle is a sign-in, whose
    // reservation is given back (lib/auth/credentials.ts), so it is not counted against it.
    const checkedEndpoint = 21 - endpointThrottled - (hasSession(endpointRight) ? 1 : 0);
    const checkedAction = 21 - actionThrottled - (hasSession(actionRight) ? 1 : 0);
    console.log(
      `[auth-throttle e2e] endpoint: ${endpointThrottled} throttled or busy, ≤${checkedEndpoint} argon2 checks of wrong guesses (limit ${LIMIT}), right one ${hasSession(endpointRight) ? 'signed in (reserved before the limit)' : 'refused'}; ` +
        `action: ${actionThrottled} throttled or busy, ≤${checkedAction} argon2 checks, right one ${hasSession(actionRight) ? 'signed in (reserved before the limit)' : 'refused'}`,
    );
    expect(checkedEndpoint).toBeLessThanOrEqual(LIMIT);
    expect(checkedAction).toBeLessThanOrEqual(LIMIT);
    if (!hasSession(endpointRight)) expect(String(endpointRight.headers.location)).toMatch(/code=(throttled|busy)/);
    if (!hasSession(actionRight)) expect(actionRight.body).toMatch(/Too many sign-in attempts|Many people are signing in/);
    expect(hasSession(laterEndpoint)).toBe(false);
    expect(String(laterEndpoint.headers.location)).toMatch(/code=throttled/);
    expect(hasSession(laterAction)).toBe(false);
    expect(laterAction.body).toContain('Too many sign-in attempts');

    // The person at their usual address is not locked out by it.
    const elsewhere = await viaEndpoint(DEMO_PASSWORD, '198.51.100.40');
    expect(hasSession(elsewhere)).toBe(true);
  } finally {
    if (server?.pid) {
      try {
        process.kill(-server.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
    await new Promise((r) => setTimeout(r, 500));
    rmSync(dir, { recursive: true, force: true });
  }
});
