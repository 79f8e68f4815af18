import { expect, test, type BrowserContext } from '@playwright/test';
import { signIn } from './helpers';

/** The last weekday before today in the practice's zone: where the demo seed puts two appointments. */
function lastWeekday(): string {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Madrid' }).format(new Date());
  const d = new Date(`${today}T12:00:00Z`);
  do d.setUTCDate(d.getUTCDate() - 1);
  while (d.getUTCDay() === 0 || d.getUTCDay() === 6);
  return d.toISOString().slice(0, 10);
}

async function sessionCookieSet(context: BrowserContext, path: string) {
  const res = await context.request.get(path, { maxRedirects: 0 });
  const set = res.headersArray().filter((h) => h.name.toLowerCase() === 'set-cookie' && /authjs\.session-token=/.test(h.value));
  return { res, fresh: set.some((h) => !/authjs\.session-token=;/.test(h.value) && !/Max-Age=0/i.test(h.value)) };
}

test('after sign-out, a copied cookie is refused on a dashboard page, a note page and /api/auth/session', async ({ browser }) => {
  const original = await browser.newContext();
  const page = await original.newPage();
  await signIn(page, 'doctor@demo.test');
  await page.goto(`/dashboard/appointments?view=day&date=${lastWeekday()}`);
  await page.getByRole('link', { name: 'Jorge Martín', exact: true }).click();
  await expect(page.getByRole('heading', { name: /Clinical note/ })).toBeVisible();
  const notePath = new URL(page.url()).pathname;
  const copied = await original.cookies();
  expect(copied.some((c) => c.name === 'authjs.session-token')).toBe(true);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login/);

  const thief = await browser.newContext();
  await thief.addCookies(copied);
  for (const path of ['/dashboard', notePath]) {
    const res = await thief.request.get(path, { maxRedirects: 0 });
    expect(res.status(), path).toBe(307);
    expect(res.headers().location, path).toMatch(/\/login/);
    const body = await res.text();
    expect(body).not.toContain('Clinical note');
  }
  const thiefPage = await thief.newPage();
  await thiefPage.goto(notePath);
  await expect(thiefPage).toHaveURL(/\/login/);
  await expect(thiefPage.getByText('Jorge Martín')).toHaveCount(0);

  const { res, fresh } = await sessionCookieSet(thief, '/api/auth/session');
  expect(res.status()).toBe(200);
  const body = await res.json();
  expect(body?.user).toBeUndefined();
  expect(fresh).toBe(false);
  await original.close();
  await thief.close();
});

test('"Sign out everywhere" ends the session of another browser', async ({ browser }) => {
  const a = await browser.newContext();
  const b = await browser.newContext();
  const pageA = await a.newPage();
  const pageB = await b.newPage();
  await signIn(pageA, 'admin@demo.test');
  await signIn(pageB, 'admin@demo.test');
  expect((await (await b.request.get('/api/auth/session')).json())?.user).toBeTruthy();

  await pageA.goto('/dashboard/account');
  await expect(pageA.getByRole('heading', { name: 'Sessions' })).toBeVisible();
  const rows = pageA.getByTestId('session-row');
  expect(await rows.count()).toBeGreaterThanOrEqual(2);
  await expect(rows.filter({ hasText: 'this browser' })).toHaveCount(1);
  await expect(rows.first()).toContainText(/Chrome on Linux|Chrome on/);
  await pageA.getByRole('button', { name: 'Sign out everywhere' }).click();
  await expect(pageA).toHaveURL(/\/login/);

  // The other browser: its next page load and its session endpoint find it signed out.
  await pageB.goto('/dashboard/requests');
  await expect(pageB).toHaveURL(/\/login/);
  expect((await (await b.request.get('/api/auth/session')).json())?.user).toBeUndefined();
  await a.close();
  await b.close();
});

test('a minute before the idle timeout the dashboard warns, and "Stay signed in" keeps the session', async ({ page }) => {
  await page.clock.install();
  await signIn(page, 'admin@demo.test');
  await expect(page.getByRole('alertdialog')).toHaveCount(0);
  // The demo practice's idle timeout is 30 minutes: at 29 minutes the warning shows.
  await page.clock.fastForward('29:05');
  await expect(page.getByRole('alertdialog', { name: 'Are you still there?' })).toBeVisible();
  await page.getByRole('button', { name: 'Stay signed in' }).click();
  await expect(page.getByRole('alertdialog')).toHaveCount(0);
  await expect(page).toHaveURL(/\/dashboard/);
});
