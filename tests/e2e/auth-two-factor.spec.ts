import { expect, test, type Page } from '@playwright/test';
import { Secret, TOTP } from 'otpauth';
import { DEMO_PASSWORD } from './helpers';

const EMAIL = 'doctor2@demo.test';

/** The code an authenticator app shows, `stepsAhead` 30-second steps from now (the server allows one). */
function code(secret: string, stepsAhead = 0): string {
  return new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: Date.now() + stepsAhead * 30_000 });
}

async function password(page: Page) {
  await page.goto('/login');
  await page.getByLabel('E-mail').fill(EMAIL);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login/);
}

test('a doctor turns on two-factor sign-in, then signs in with a TOTP code and with a recovery code (used once)', async ({ page }) => {
  test.setTimeout(120_000);
  await password(page);
  await expect(page).toHaveURL(/\/dashboard/);
  await page.goto('/dashboard/account');
  await expect(page.getByTestId('two-factor-status')).toContainText('Off');
  await page.getByRole('link', { name: 'Turn on two-factor sign-in' }).click();
  await expect(page.getByRole('img', { name: 'QR code for your authenticator app' })).toBeVisible();
  // "Scanning": the key under the QR code is what the QR code holds.
  const secret = (await page.getByTestId('totp-secret').textContent())!.trim();
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await page.getByLabel('Code from the app').fill(code(secret));
  await page.getByRole('button', { name: 'Turn on two-factor sign-in' }).click();
  await expect(page.getByTestId('recovery-codes').locator('li')).toHaveCount(10);
  const codes = (await page.getByTestId('recovery-codes').locator('li').allTextContents()).map((c) => c.trim());
  expect(codes).toHaveLength(10);
  await page.getByRole('link', { name: 'Continue to the dashboard' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await signOut(page);

  // Password, then a code computed here (the next step: the enrolment's step was used up).
  await password(page);
  await expect(page).toHaveURL(/\/two-factor/);
  // The password alone opens nothing.
  expect((await page.request.get('/dashboard/requests', { maxRedirects: 0 })).headers().location).toMatch(/\/two-factor/);
  await page.getByLabel('Code').fill(code(secret, 1));
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page).toHaveURL(/\/dashboard/);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await signOut(page);

  // A recovery code instead.
  await password(page);
  await page.getByLabel('Code').fill(codes[0]);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page).toHaveURL(/\/dashboard/);
  await signOut(page);

  // The same recovery code again: refused.
  await password(page);
  await page.getByLabel('Code').fill(codes[0]);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.locator('form [role="alert"]')).toContainText('not right, or was already used');
  await expect(page).toHaveURL(/\/two-factor/);

  // Leave the demo account as it was: another recovery code in, then turn it off with a third.
  await page.getByLabel('Code').fill(codes[1]);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page).toHaveURL(/\/dashboard/);
  await page.goto('/dashboard/account');
  await expect(page.getByTestId('two-factor-status')).toContainText('8 of 10 recovery codes left');
  await page.getByLabel('Code to turn it off').fill(codes[2]);
  await page.getByRole('button', { name: 'Turn off two-factor sign-in' }).click();
  await expect(page.getByTestId('two-factor-status')).toContainText('Off');
});
