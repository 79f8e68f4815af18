import { expect, test } from '@playwright/test';
import { screenshot, signIn } from './helpers';

test('signed out, the dashboard redirects to the sign-in page', async ({ page }) => {
  await page.goto('/dashboard');
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
});

test('the demo doctor signs in, lands on the dashboard and signs out', async ({ page }, testInfo) => {
  await signIn(page, 'doctor@demo.test');
  await expect(page.getByRole('heading', { name: 'Dr. Ana García' })).toBeVisible();
  await screenshot(page, testInfo, 'dashboard');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto('/dashboard');
  await expect(page).toHaveURL(/\/login/);
});

test('a wrong password is refused with a clear message', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('E-mail').fill('doctor2@demo.test');
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.locator('form [role="alert"]')).toHaveText(/e-mail or the password is not right/);
  await expect(page.getByLabel('Password')).toHaveValue('');
});
