import { writeFile } from 'node:fs/promises';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { screenshot } from './helpers';

// A phone: the booking page is mobile first.
test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

/** A distinct client address and phone per test and run: the rate limits (30 per address, 5 per phone) then never meet. */
const run = Date.now() % 1_000_000;
let seq = 0;
function uniquePhone(): { typed: string; e164: string } {
  const digits = String((run * 10 + seq++) % 100_000_000).padStart(8, '0');
  return { typed: `+34 6${digits.slice(0, 2)} ${digits.slice(2, 5)} ${digits.slice(5)}`, e164: `+346${digits}` };
}
function uniqueAddress(): string {
  return `198.51.${(run >> 8) % 256}.${(run + seq++) % 256}`;
}

/** axe-core on the page as it is: no violation of impact serious or critical. */
async function expectAccessible(page: Page, testInfo: TestInfo, step: string) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const file = testInfo.outputPath(`axe-${step}.json`);
  await writeFile(file, JSON.stringify(violations, null, 2));
  await testInfo.attach(`axe-${step}`, { path: file, contentType: 'application/json' });
  const serious = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`);
  expect(serious, `axe on step "${step}"`).toEqual([]);
}

interface Chosen {
  serviceId: string;
  day: string;
  startsAt: string;
  timeLabel: string;
}

/** Service → day → time, as a patient taps through them; returns what was chosen. */
async function firstRoomyDay(page: Page, days: ReturnType<Page['locator']>) {
  for (let month = 0; month < 3; month++) {
    const names = await days.evaluateAll((links) => links.map((l) => l.textContent ?? ''));
    const index = names.findIndex((name) => Number(/(\d+) free time/.exec(name)?.[1] ?? 0) >= 4);
    if (index >= 0) return days.nth(index);
    const next = page.getByRole('link', { name: 'Next month' });
    if (!(await next.count())) break;
    const href = new URL((await next.getAttribute('href'))!, 'http://x');
    await next.click();
    await page.waitForURL((url) => url.searchParams.get('month') === href.searchParams.get('month'));
    await expect(days.first()).toBeVisible();
  }
  return days.first();
}

async function chooseTime(page: Page, opts: { service: string; day: 'first' | 'last'; time: 'first' | 'last' }, shots?: { testInfo: TestInfo }): Promise<Chosen> {
  await page.goto('/book/demo');
  await expect(page.getByRole('heading', { level: 1, name: 'Book with Dr. Ana García' })).toBeVisible();
  await expect(page.getByRole('link', { name: /Quick consultation/ })).toContainText('€30.00');
  if (shots) {
    await expectAccessible(page, shots.testInfo, '1-service');
    await screenshot(page, shots.testInfo, '1-service');
  }

  await page.getByRole('link', { name: new RegExp(opts.service) }).click();
  await expect(page.getByRole('heading', { name: 'Choose a day' })).toBeVisible();
  const days = page.locator('#day').getByRole('link', { name: /free time/ });
  await expect(days.first()).toBeVisible();
  if (shots) {
    await expectAccessible(page, shots.testInfo, '2-day');
    await screenshot(page, shots.testInfo, '2-day');
  }

  // 'first': the first day with a few free times, so that holding one (or the clock passing the
  // minimum notice late in the day) still leaves that day with times to offer.
  const dayLink = opts.day === 'first' ? await firstRoomyDay(page, days) : days.last();
  const dayHref = new URL((await dayLink.getAttribute('href'))!, 'http://x');
  await dayLink.click();
  await expect(page.getByRole('heading', { name: /^Choose a time on / })).toBeVisible();
  await expect(page.getByText('Times in Europe/Madrid')).toBeVisible();
  if (shots) {
    await expectAccessible(page, shots.testInfo, '3-time');
    await screenshot(page, shots.testInfo, '3-time');
  }

  const times = page.locator('#times').getByRole('link');
  const timeLink = opts.time === 'first' ? times.first() : times.last();
  const timeLabel = (await timeLink.textContent())!.trim();
  const timeHref = new URL((await timeLink.getAttribute('href'))!, 'http://x');
  await timeLink.click();
  await expect(page.getByRole('heading', { name: 'Your details' })).toBeVisible();
  await expect(page.locator('main')).toContainText(timeLabel);
  return {
    serviceId: dayHref.searchParams.get('service')!,
    day: dayHref.searchParams.get('day')!,
    startsAt: timeHref.searchParams.get('time')!,
    timeLabel,
  };
}

function dayUrl(c: Chosen): string {
  return `/book/demo?service=${c.serviceId}&day=${c.day}`;
}

test('a patient requests a time, follows it, cancels, and the time is offered again', async ({ page }, testInfo) => {
  await page.setExtraHTTPHeaders({ 'x-forwarded-for': uniqueAddress() });
  const chosen = await chooseTime(page, { service: 'General consultation', day: 'first', time: 'first' }, { testInfo });
  await expectAccessible(page, testInfo, '4-details');
  await screenshot(page, testInfo, '4-details');

  const phone = uniquePhone();
  await page.getByLabel('Full name').fill('Lucía Fernández');
  await page.getByLabel('Mobile phone').fill(phone.typed);
  await page.getByLabel('E-mail (optional)').fill('lucia@example.test');
  await page.getByLabel('Reason for the visit (optional)').fill('A persistent cough for two weeks.');
  await page.getByLabel('I consent to the processing of my health data for this appointment').check();
  await page.getByRole('button', { name: 'Send request' }).click();

  await expect(page).toHaveURL(/\/requests\/[A-Za-z0-9_-]{43}/);
  const statusUrl = new URL(page.url()).pathname;
  await expect(page.getByRole('heading', { level: 1, name: 'Your appointment request' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Waiting for the practice to answer' })).toBeVisible();
  await expect(page.getByText('This is a request, not yet an appointment.')).toBeVisible();
  await expect(page.getByText(/will answer by .+\(Europe\/Madrid\)/)).toBeVisible();
  await expect(page.getByRole('timer')).toHaveText(/\d+ (d|h|min|s)/);
  await expect(page.locator('main')).toContainText('General consultation');
  await expect(page.locator('main')).toContainText(chosen.timeLabel);
  await expectAccessible(page, testInfo, '5-status-pending');
  await screenshot(page, testInfo, '5-status-pending');

  // While the request is pending its time is held: the day no longer offers it.
  await page.goto(dayUrl(chosen));
  await expect(page.getByRole('heading', { name: /^Choose a time on / })).toBeVisible();
  await expect(page.locator('#times').getByRole('link', { name: chosen.timeLabel, exact: true })).toHaveCount(0);

  await page.goto(statusUrl);
  await page.getByRole('button', { name: 'Cancel this request' }).click();
  await expect(page.getByText(/Cancel this request\? The time will be offered/)).toBeFocused();
  await expectAccessible(page, testInfo, '6-cancel-confirm');
  await screenshot(page, testInfo, '6-cancel-confirm');
  await page.getByRole('button', { name: 'Yes, cancel the request' }).click();
  await expect(page.getByRole('heading', { name: 'Cancelled' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Cancel this request' })).toHaveCount(0);
  await expectAccessible(page, testInfo, '7-status-cancelled');
  await screenshot(page, testInfo, '7-status-cancelled');

  await page.goto(dayUrl(chosen));
  const again = page.locator('#times').getByRole('link', { name: chosen.timeLabel, exact: true });
  await expect(again).toHaveCount(1);
  expect(new URL((await again.getAttribute('href'))!, 'http://x').searchParams.get('time')).toBe(chosen.startsAt);
  await screenshot(page, testInfo, '8-time-offered-again');
});

test('a bad phone and no consent show errors by each field and keep what was typed', async ({ page }, testInfo) => {
  await page.setExtraHTTPHeaders({ 'x-forwarded-for': uniqueAddress() });
  await chooseTime(page, { service: 'Quick consultation', day: 'first', time: 'last' });
  await page.getByLabel('Full name').fill('Jorge Martín');
  await page.getByLabel('Mobile phone').fill('600 111 222');
  await page.getByRole('button', { name: 'Send request' }).click();

  const phone = page.getByLabel('Mobile phone');
  await expect(phone).toHaveAttribute('aria-invalid', 'true');
  await expect(phone).toHaveAccessibleDescription(/international format with the country code/);
  const consent = page.getByLabel('I consent to the processing of my health data for this appointment');
  await expect(consent).toHaveAttribute('aria-invalid', 'true');
  await expect(consent).toHaveAccessibleDescription(/Consent to the processing of health data is required/);
  await expect(page.getByRole('alert').filter({ hasText: 'Some fields need attention' })).toContainText('Mobile phone, Consent');
  await expect(page.getByLabel('Full name')).toHaveValue('Jorge Martín');
  await expect(phone).toHaveValue('600 111 222');
  await expect(phone).toBeFocused();
  await expect(page).toHaveURL(/\/book\/demo/);
  await expectAccessible(page, testInfo, 'field-errors');
  await screenshot(page, testInfo, 'field-errors');
});

test('a time taken meanwhile is said plainly, the nearest times are offered and nothing typed is lost', async ({ page, request }, testInfo) => {
  await page.setExtraHTTPHeaders({ 'x-forwarded-for': uniqueAddress() });
  const chosen = await chooseTime(page, { service: 'General consultation', day: 'last', time: 'last' });
  const mine = uniquePhone();
  await page.getByLabel('Full name').fill('Carmen Ruiz');
  await page.getByLabel('Mobile phone').fill(mine.typed);
  await page.getByLabel('E-mail (optional)').fill('carmen@example.test');
  await page.getByLabel('Reason for the visit (optional)').fill('Follow-up of blood test results.');
  await page.getByLabel('I consent to the processing of my health data for this appointment').check();
  await page.getByLabel("Don't contact me on WhatsApp").check();

  // Someone else takes the same time through the API while the form is open.
  const other = await request.post('/api/v1/profiles/demo/requests', {
    headers: { 'x-forwarded-for': uniqueAddress() },
    data: { serviceId: chosen.serviceId, startsAt: chosen.startsAt, patient: { name: 'Someone Else', phone: uniquePhone().e164 }, consent: true },
  });
  expect(other.status()).toBe(201);
  const otherToken = (await other.json()).token as string;

  await page.getByRole('button', { name: 'Send request' }).click();
  await expect(page.getByRole('alert').filter({ hasText: /taken/ })).toContainText('Choose one of the nearest free times below');
  const nearest = page.getByRole('group', { name: 'Nearest free times' }).getByRole('radio');
  await expect(nearest.first()).toBeVisible();
  const count = await nearest.count();
  expect(count).toBeGreaterThan(0);
  expect(count).toBeLessThanOrEqual(6);
  await expect(page.getByLabel('Full name')).toHaveValue('Carmen Ruiz');
  await expect(page.getByLabel('Mobile phone')).toHaveValue(mine.typed);
  await expect(page.getByLabel('E-mail (optional)')).toHaveValue('carmen@example.test');
  await expect(page.getByLabel('Reason for the visit (optional)')).toHaveValue('Follow-up of blood test results.');
  await expect(page.getByLabel('I consent to the processing of my health data for this appointment')).toBeChecked();
  await expect(page.getByLabel("Don't contact me on WhatsApp")).toBeChecked();
  await expectAccessible(page, testInfo, 'time-taken');
  await screenshot(page, testInfo, 'time-taken');

  // One tap on a nearby time and the request goes through.
  await nearest.first().check();
  await page.getByRole('button', { name: 'Send request' }).click();
  await expect(page).toHaveURL(/\/requests\/[A-Za-z0-9_-]{43}/);
  await expect(page.getByRole('heading', { name: 'Waiting for the practice to answer' })).toBeVisible();
  await screenshot(page, testInfo, 'time-taken-then-requested');

  // Leave the shared demo data as it was.
  const mineToken = new URL(page.url()).pathname.split('/').pop()!;
  for (const token of [otherToken, mineToken]) {
    expect((await request.post(`/api/v1/requests/${token}/cancel`)).status()).toBe(200);
  }
});

/** Presses Tab until the element has focus (at most 80 times), then checks its focus ring shows. */
async function tabTo(page: Page, target: ReturnType<Page['locator']>) {
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press('Tab');
    if (await target.evaluate((el) => el === document.activeElement)) {
      const outline = await target.evaluate((el) => getComputedStyle(el).outlineStyle);
      expect(outline, 'a visible focus ring').not.toBe('none');
      return;
    }
  }
  throw new Error('never reached by Tab');
}

test('the steps can be taken with the keyboard alone, with a visible focus ring', async ({ page }) => {
  await page.goto('/book/demo');
  await tabTo(page, page.getByRole('link', { name: /General consultation/ }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Choose a day' })).toBeVisible();
  await tabTo(page, page.locator('#day').getByRole('link', { name: /free time/ }).first());
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: /^Choose a time on / })).toBeVisible();
  await tabTo(page, page.locator('#times').getByRole('link').first());
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Your details' })).toBeVisible();
  const consent = page.getByLabel('I consent to the processing of my health data for this appointment');
  await tabTo(page, consent);
  await page.keyboard.press('Space');
  await expect(consent).toBeChecked();
  await tabTo(page, page.getByRole('button', { name: 'Send request' }));
});

test('an unknown practice and an unknown request are "not found"', async ({ page }) => {
  const practice = await page.goto('/book/no-such-practice');
  expect(practice?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1, name: 'Practice not found' })).toBeVisible();
  const request = await page.goto(`/requests/${'A'.repeat(43)}`);
  expect(request?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1, name: 'Request not found' })).toBeVisible();
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the whole flow still works: links, a posted form, and a confirm page for the cancel', async ({ page }, testInfo) => {
    await page.setExtraHTTPHeaders({ 'x-forwarded-for': uniqueAddress() });
    const chosen = await chooseTime(page, { service: 'Full check-up', day: 'first', time: 'first' });
    await page.getByLabel('Full name').fill('Pablo Sanz');
    await page.getByLabel('Mobile phone').fill(uniquePhone().typed);
    await page.getByLabel('I consent to the processing of my health data for this appointment').check();
    await page.getByRole('button', { name: 'Send request' }).click();
    await expect(page).toHaveURL(/\/requests\/[A-Za-z0-9_-]{43}/);
    await expect(page.getByRole('heading', { name: 'Waiting for the practice to answer' })).toBeVisible();
    await expect(page.getByRole('timer')).toHaveText(/\d+ (d|h|min|s)/);

    await page.getByRole('button', { name: 'Cancel this request' }).click();
    await expect(page).toHaveURL(/\?cancel=1/);
    await page.getByRole('button', { name: 'Yes, cancel the request' }).click();
    await expect(page.getByRole('heading', { name: 'Cancelled' })).toBeVisible();
    await screenshot(page, testInfo, 'no-js-cancelled');

    await page.goto(dayUrl(chosen));
    await expect(page.locator('#times').getByRole('link', { name: chosen.timeLabel, exact: true })).toHaveCount(1);
  });
});
