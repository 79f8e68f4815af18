import { expect, test } from '@playwright/test';
import { screenshot, signIn } from './helpers';
import { card, createRequest, expectAccessible, freeTimes, localDate, localTime, markTaken, statusOf } from './practice-day-kit';

/**
 * Issue 16 (the practice's day), must-show 1: the doctor proposes two other times; the patient
 * accepts one on the status page; the appointment is at the accepted time and the other proposed
 * time is free again (the races with cancel and expiry are integration tests).
 */

test('the doctor proposes two other times; the patient takes one; the other is free again', async ({ page, browser, request }, testInfo) => {
  const name = `Irene Propose ${Date.now() % 100_000}`;
  const created = await createRequest(request, name);
  await signIn(page, 'doctor@demo.test');
  await page.goto('/dashboard/requests');
  await expect(card(page, name)).toBeVisible({ timeout: 20_000 });

  // axe with the reject form open (the toggle's name matches its text).
  await card(page, name).getByTestId('reject-toggle').click();
  await expect(card(page, name).getByTestId('reject-form')).toBeVisible();
  await expectAccessible(page, testInfo, 'requests-reject-open');
  await card(page, name).getByRole('button', { name: 'Keep the request' }).click();

  await card(page, name).getByTestId('propose-link').click();
  await expect(page.getByRole('heading', { level: 1, name: `Propose other times to ${name}` })).toBeVisible();
  await expectAccessible(page, testInfo, 'propose');
  const boxes = page.getByTestId('propose-form').getByRole('checkbox');
  expect(await boxes.count()).toBeGreaterThan(3);
  const values = await boxes.evaluateAll((els) => (els as HTMLInputElement[]).map((e) => e.value));
  const choices = values.filter((v) => v !== created.startsAt).slice(-2);
  for (const v of choices) {
    markTaken(v);
    await page.locator(`input[type=checkbox][value="${v}"]`).check();
  }
  await screenshot(page, testInfo, 'propose');
  await page.getByRole('button', { name: /Offer these 2 times/ }).click();
  await expect(page.getByTestId('proposal-sent')).toContainText(`Offered to ${name}`);

  await page.goto('/dashboard/requests');
  await expect(card(page, name).getByTestId('offered-times').getByRole('listitem')).toHaveCount(2);
  await expect(card(page, name).getByRole('button', { name: /^Approve/ })).toHaveCount(0);

  // The patient, in a browser of their own, on a phone.
  const patient = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const phone = await patient.newPage();
  await phone.goto(`/requests/${created.token}`);
  const offered = phone.getByTestId('offered-times');
  await expect(offered.getByRole('button')).toHaveCount(2);
  await expectAccessible(phone, testInfo, 'status-offered');
  await screenshot(phone, testInfo, 'status-offered');
  const chosen = choices[1];
  await offered.getByRole("button", { name: new RegExp(`at ${localTime(new Date(chosen))}–`) }).click();
  await expect(phone.getByRole('heading', { name: /Confirmed/ })).toBeVisible();
  await patient.close();

  const after = await statusOf(request, created.token);
  expect(after.status).toBe('approved');
  expect(new Date(after.startsAt).getTime()).toBe(new Date(chosen).getTime());

  // The other offered time (and the one asked for) is free again on the public page's API.
  const { starts } = await freeTimes(request, 0, 12, true);
  expect(starts.map((s) => new Date(s).getTime())).toContain(new Date(choices[0]).getTime());
  expect(starts.map((s) => new Date(s).getTime())).toContain(new Date(created.startsAt).getTime());
  expect(starts.map((s) => new Date(s).getTime())).not.toContain(new Date(chosen).getTime());

  await page.goto(`/dashboard/appointments?view=day&date=${localDate(new Date(chosen))}`);
  await expect(page.getByTestId('agenda-item').filter({ hasText: name })).toContainText('Confirmed');
});
