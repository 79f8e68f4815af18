import { expect, test } from '@playwright/test';
import { signIn } from './helpers';

const EXPECTED = {
  'x-content-type-options': /^nosniff$/,
  'x-frame-options': /^DENY$/,
  'referrer-policy': /^strict-origin-when-cross-origin$/,
  'permissions-policy': /camera=\(\).*microphone=\(\).*geolocation=\(\)/,
  // The browser tests run a production build (`next start`): HSTS is on.
  'strict-transport-security': /^max-age=\d{7,}; includeSubDomains$/,
};

function checkCsp(csp: string | undefined, path: string) {
  expect(csp, `${path} CSP`).toBeTruthy();
  for (const directive of ["frame-ancestors 'none'", "object-src 'none'", "base-uri 'self'", "form-action 'self'", "default-src 'self'"]) {
    expect(csp, `${path}: ${directive}`).toContain(directive);
  }
}

test('security headers on /, /book/demo, /dashboard (signed out and in) and /api/v1/profiles/demo', async ({ page, request }) => {
  for (const path of ['/', '/book/demo', '/dashboard', '/api/v1/profiles/demo', '/login']) {
    const res = await request.get(path, { maxRedirects: 0 });
    expect(res.status(), path).toBeLessThan(500);
    const h = res.headers();
    checkCsp(h['content-security-policy'], path);
    for (const [name, value] of Object.entries(EXPECTED)) expect(h[name], `${path} ${name}`).toMatch(value);
  }
  // Signed in, the dashboard page itself.
  await signIn(page, 'admin@demo.test');
  const res = await page.request.get('/dashboard', { maxRedirects: 0 });
  expect(res.status()).toBe(200);
  checkCsp(res.headers()['content-security-policy'], '/dashboard (signed in)');
  for (const [name, value] of Object.entries(EXPECTED)) expect(res.headers()[name], `/dashboard (signed in) ${name}`).toMatch(value);
});

test('the request status page keeps Referrer-Policy same-origin', async ({ request }) => {
  const res = await request.get('/requests/not-a-real-token', { maxRedirects: 0 });
  expect(res.headers()['referrer-policy']).toBe('same-origin');
  checkCsp(res.headers()['content-security-policy'], '/requests/…');
});

test('another site cannot frame the dashboard, and the booking page works under the policy', async ({ page }) => {
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
  });
  await page.goto('/book/demo');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  // The page hydrates (the slot picker reacts) with no policy violation.
  await page.waitForLoadState('networkidle');
  expect(violations).toEqual([]);

  // A page of another origin framing the dashboard gets nothing shown.
  await page.setContent(`<iframe id="f" src="${new URL('/dashboard/requests', page.url()).href}" width="600" height="400"></iframe>`);
  const frame = page.frame({ url: /dashboard/ });
  const blocked = !frame || (await frame.locator('body').innerText().catch(() => '')) === '';
  expect(blocked).toBe(true);
});
