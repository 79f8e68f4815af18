import { expect, test } from '@playwright/test';
import { screenshot, signIn } from './helpers';

/** The last weekday before today in the practice's zone: where the demo seed puts two appointments. */
function lastWeekday(): string {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Madrid' }).format(new Date());
  const d = new Date(`${today}T12:00:00Z`);
  do d.setUTCDate(d.getUTCDate() - 1);
  while (d.getUTCDay() === 0 || d.getUTCDay() === 6);
  return d.toISOString().slice(0, 10);
}

test('the doctor writes a clinical note, amends it, and sees both versions in the history', async ({ page }, testInfo) => {
  await signIn(page, 'doctor@demo.test');
  await page.goto(`/dashboard/appointments?view=day&date=${lastWeekday()}`);
  await page.getByRole('link', { name: 'Jorge Martín', exact: true }).click();
  await expect(page.getByRole('heading', { name: /Clinical note/ })).toBeVisible();

  await page.getByLabel('Subjective').fill('Sore throat and fever since Monday.');
  await page.getByLabel('Objective').fill('Temp 38.4 °C, tonsils swollen with exudate.');
  await page.getByLabel('Assessment').fill('Acute tonsillitis.');
  await page.getByLabel('Plan').fill('Rapid strep test; paracetamol; review in 3 days.');
  await page.getByRole('button', { name: 'Save note' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved as version 1' })).toBeVisible();

  // Leaving with unsaved text asks first; staying keeps the text.
  await page.getByLabel('Plan').fill('Strep test positive: amoxicillin 500 mg three times a day for 10 days.');
  page.once('dialog', (dialog) => dialog.dismiss());
  await page.getByRole('link', { name: /Agenda of that day/ }).click();
  await expect(page.getByLabel('Plan')).toHaveValue(/amoxicillin/);

  await page.getByRole('button', { name: 'Save as version 2' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved as version 2' })).toBeVisible();

  const versions = page.getByTestId('note-version');
  await expect(versions).toHaveCount(2);
  await expect(versions.nth(0)).toContainText('Version 2 · Dr. Ana García');
  await expect(versions.nth(0)).toContainText('changed: Plan');
  await expect(versions.nth(0)).toContainText('amoxicillin');
  await versions.nth(1).locator('summary').click();
  await expect(versions.nth(1)).toContainText('Version 1 · Dr. Ana García');
  await expect(versions.nth(1)).toContainText('review in 3 days');
  await screenshot(page, testInfo, 'note-history');

  // The admin sees that a note exists, not what it says.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login/);
  await signIn(page, 'admin@demo.test');
  await page.goto(`/dashboard/appointments?view=day&date=${lastWeekday()}`);
  await page.getByRole('link', { name: 'Jorge Martín', exact: true }).click();
  await expect(page.getByText(/A clinical note exists \(2 versions/)).toBeVisible();
  await expect(page.getByText('amoxicillin')).toHaveCount(0);
  await page.goto('/dashboard/audit?what=note');
  await expect(page.getByTestId('audit-row').filter({ hasText: 'note.amended' })).toHaveCount(1);
  await expect(page.getByTestId('audit-row').filter({ hasText: 'note.read' }).first()).toBeVisible();
  await expect(page.getByText('amoxicillin')).toHaveCount(0);
  await screenshot(page, testInfo, 'audit');
});
