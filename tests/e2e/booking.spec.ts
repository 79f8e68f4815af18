import { expect, test, type APIRequestContext, type Page, type TestInfo } from '@playwright/test';
import { screenshot } from './helpers';
import { codesTo, createRequestViaApi, latestCode } from './mailbox';
import { expectAccessible } from './practice-day-kit';

// A phone: the booking page is mobile first.
test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

/** A distinct client address, phone and e-mail per test and run: the rate limits and the pending cap then never meet. */
const run = Date.now() % 1_000_000;
let seq = 0;
function uniquePhone(): { typed: string; e164: string } {
  const digits = String((run * 10 + seq++) % 100_000_000).padStart(8, '0');
  return { typed: `+34 6${digits.slice(0, 2)} ${digits.slice(2, 5)} ${digits.slice(5)}`, e164: `+346${digits}` };
}
function uniqueEmail(name: string): string {
  return `${name}.${run}.${seq++}@example.test`;
}
function uniqueAddress(): string {
  return `198.51.${(run >> 8) % 256}.${(run + seq++) % 256}`;
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
  // The page opens on the first free day, so a 'Choose a time on' heading is there before the
  // click lands: wait until the list is the chosen day's (its links carry that day).
  const chosenDay = dayHref.searchParams.get('day')!;
  await page.waitForURL((url) => url.searchParams.get('day') === chosenDay);
  await expect(page.locator('#times').getByRole('link').first()).toHaveAttribute('href', new RegExp(`[?&]day=${chosenDay}(&|#|$)`));
  await expect(page.getByRole('heading', { name: /^Choose a time on / })).toBeVisible();
  await expect(page.getByText('All times are Madrid time.').first()).toBeVisible();
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

/** The details a patient types, and the form filled with them. */
interface Typed {
  name: string;
  phone: { typed: string; e164: string };
  email: string;
  reason?: string;
  noWhatsApp?: boolean;
}

async function fillDetails(page: Page, t: Typed) {
  await page.getByLabel('Full name').fill(t.name);
  await page.getByLabel('Mobile phone').fill(t.phone.typed);
  await page.getByLabel('E-mail', { exact: true }).fill(t.email);
  if (t.reason) await page.getByLabel('Reason for the visit (optional)').fill(t.reason);
  await page.getByLabel('I consent to the processing of my health data for this appointment').check();
  // The opt-out shows only where the practice sends WhatsApp messages (demo does not).
  const optOut = page.getByLabel("Don't contact me on WhatsApp");
  if (t.noWhatsApp && (await optOut.count())) await optOut.check();
}

async function expectTyped(page: Page, t: Typed) {
  await expect(page.getByLabel('Full name')).toHaveValue(t.name);
  // Put back as it was typed, or as the number it means.
  await expect(page.getByLabel('Mobile phone')).toHaveValue(new RegExp(`^(${t.phone.typed.replace(/[+]/g, '\\+')}|\\${t.phone.e164})$`));
  await expect(page.getByLabel('E-mail', { exact: true })).toHaveValue(t.email);
  if (t.reason) await expect(page.getByLabel('Reason for the visit (optional)')).toHaveValue(t.reason);
  await expect(page.getByLabel('I consent to the processing of my health data for this appointment')).toBeChecked();
  const optOut = page.getByLabel("Don't contact me on WhatsApp");
  if (t.noWhatsApp && (await optOut.count())) await expect(optOut).toBeChecked();
}

/** a•••@example.test: where the code step says the code went. */
function masked(email: string): string {
  const [local, domain] = email.split('@');
  return `${local[0]}•••@${domain}`;
}

/** The code step after the details were sent: nothing held yet, the code to enter. */
async function expectCodeStep(page: Page, email: string, timeLabel: string) {
  await expect(page).toHaveURL(/\/book\/demo\/verify\/[0-9a-f-]{36}(#details)?$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Check your e-mail' })).toBeVisible();
  await expect(page.locator('main')).toContainText(`We sent a 6-digit code to ${masked(email)}. Your time is not held yet`);
  await expect(page.locator('main')).toContainText(timeLabel);
  await expect(page.getByText('Not held yet', { exact: true })).toBeVisible();
}

/** Types the code and sends it; returns once the server answered. */
async function enterCode(page: Page, code: string) {
  await page.getByLabel('6-digit code').fill(code);
  await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && /\/book\/demo\/verify\//.test(r.url())),
    page.getByRole('button', { name: 'Confirm and send request' }).click(),
  ]);
}

/** The code e-mailed to `email` after `before` earlier ones, entered on the code step: the status page opens. */
async function confirmWithCode(page: Page, request: APIRequestContext, email: string, before = 0) {
  await enterCode(page, await latestCode(request, email, { after: before }));
  await expect(page).toHaveURL(/\/requests\/[A-Za-z0-9_-]{43}\?sent=1$/);
  await expect(page.getByRole('heading', { name: 'Waiting for the practice to answer' })).toBeVisible();
  return new URL(page.url()).pathname.split('/').pop()!;
}

function anotherCode(code: string): string {
  return String((Number(code) + 1) % 1_000_000).padStart(6, '0');
}

async function cancelAll(request: APIRequestContext, tokens: string[]) {
  for (const token of tokens) expect((await request.post(`/api/v1/requests/${token}/cancel`)).status()).toBe(200);
}

test('a patient requests a time, confirms the e-mailed code, follows it, cancels, and the time is offered again', async ({ page, request }, testInfo) => {
  await page.setExtraHTTPHeaders({ 'x-forwarded-for': uniqueAddress() });
  const chosen = await chooseTime(page, { service: 'General consultation', day: 'first', time: 'first' }, { testInfo });
  await expectAccessible(page, testInfo, '4-details');
  await screenshot(page, testInfo, '4-details');

  const email = uniqueEmail('lucia');
  await fillDetails(page, { name: 'Lucía Fernández', phone: uniquePhone(), email, reason: 'A persistent cough for two weeks.' });
  await page.getByRole('button', { name: 'Send request' }).click();

  // The code step: the code went by e-mail, and the time is not held until it comes back.
  await expectCodeStep(page, email, chosen.timeLabel);
  await expect(page.locator('main')).toContainText('General consultation');
  const code = page.getByLabel('6-digit code');
  await expect(code).toHaveAttribute('inputmode', 'numeric');
  await expect(code).toHaveAttribute('autocomplete', 'one-time-code');
  await expect(page.getByRole('button', { name: 'Send a new code' })).toBeDisabled();
  await expect(page.getByText(/You can ask for a new code in \d+ s\./)).toBeVisible();
  await expectAccessible(page, testInfo, '5-code');
  await screenshot(page, testInfo, '5-code');
  const codeStep = page.url();
  await page.goto(dayUrl(chosen));
  await expect(page.locator('#times').getByRole('link', { name: chosen.timeLabel, exact: true }), 'not held before the code').toHaveCount(1);
  await page.goto(codeStep);

  await confirmWithCode(page, request, email);
  const statusUrl = new URL(page.url()).pathname;
  await expect(page.getByRole('heading', { level: 1, name: 'Your appointment request' })).toBeVisible();
  await expect(page.getByText('This is a request, not yet an appointment.')).toBeVisible();
  await expect(page.getByText(/will answer by .+\(Madrid time\)/)).toBeVisible();
  await expect(page.getByRole('timer')).toHaveText(/\d+ (d|h|min|s)/);
  await expect(page.locator('main')).toContainText('General consultation');
  await expect(page.locator('main')).toContainText(chosen.timeLabel);
  await expect(page).toHaveTitle(/Your appointment request/);
  await expectAccessible(page, testInfo, '6-status-pending');
  await screenshot(page, testInfo, '6-status-pending');

  // While the request is pending its time is held: the day no longer offers it.
  await page.goto(dayUrl(chosen));
  await expect(page.getByRole('heading', { name: /^Choose a time on / })).toBeVisible();
  await expect(page.locator('#times').getByRole('link', { name: chosen.timeLabel, exact: true })).toHaveCount(0);

  await page.goto(statusUrl);
  await page.getByRole('button', { name: 'Cancel this request' }).click();
  await expect(page.getByText(/Cancel this request\? The time will be offered/)).toBeFocused();
  await expectAccessible(page, testInfo, '7-cancel-confirm');
  await screenshot(page, testInfo, '7-cancel-confirm');
  await page.getByRole('button', { name: 'Yes, cancel the request' }).click();
  await expect(page.getByRole('heading', { name: 'Cancelled' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Cancel this request' })).toHaveCount(0);
  await expectAccessible(page, testInfo, '8-status-cancelled');
  await screenshot(page, testInfo, '8-status-cancelled');

  await page.goto(dayUrl(chosen));
  const again = page.locator('#times').getByRole('link', { name: chosen.timeLabel, exact: true });
  await expect(again).toHaveCount(1);
  expect(new URL((await again.getAttribute('href'))!, 'http://x').searchParams.get('time')).toBe(chosen.startsAt);
  await screenshot(page, testInfo, '9-time-offered-again');
});

test('a second booking in the same browser with the same e-mail skips the code; another browser is asked', async ({ page, request, browser }, testInfo) => {
  const address = uniqueAddress();
  await page.setExtraHTTPHeaders({ 'x-forwarded-for': address });
  const email = uniqueEmail('marta');
  const first = await chooseTime(page, { service: 'Quick consultation', day: 'first', time: 'first' });
  await fillDetails(page, { name: 'Marta Gil', phone: uniquePhone(), email });
  await page.getByRole('button', { name: 'Send request' }).click();
  await expectCodeStep(page, email, first.timeLabel);
  const firstToken = await confirmWithCode(page, request, email);
  const cookie = (await page.context().cookies()).find((c) => c.name === 'consulta_verified');
  expect(cookie, 'the remembered-browser cookie').toBeTruthy();
  expect(cookie!.httpOnly).toBe(true);
  expect(cookie!.sameSite).toBe('Lax');
  expect(cookie!.path).toBe('/book');
  expect(cookie!.value).not.toContain(email);
  const days = (cookie!.expires * 1000 - Date.now()) / 86_400_000;
  expect(days).toBeGreaterThan(29.9);
  expect(days).toBeLessThanOrEqual(30);

  // Same browser, same e-mail (typed in capitals): straight to the status page, no new code.
  const second = await chooseTime(page, { service: 'Quick consultation', day: 'first', time: 'last' });
  await fillDetails(page, { name: 'Marta Gil', phone: uniquePhone(), email: email.toUpperCase() });
  await page.getByRole('button', { name: 'Send request' }).click();
  await expect(page).toHaveURL(/\/requests\/[A-Za-z0-9_-]{43}\?sent=1$/);
  await expect(page.getByRole('heading', { name: 'Waiting for the practice to answer' })).toBeVisible();
  await expect(page.locator('main')).toContainText(second.timeLabel);
  const secondToken = new URL(page.url()).pathname.split('/').pop()!;
  expect(await codesTo(request, email), 'one code only').toHaveLength(1);
  await screenshot(page, testInfo, 'second-booking-no-code');

  // Another browser (no cookie) with the same e-mail is asked for a code.
  const other = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, extraHTTPHeaders: { 'x-forwarded-for': uniqueAddress() } });
  const otherPage = await other.newPage();
  const third = await chooseTime(otherPage, { service: 'Quick consultation', day: 'last', time: 'last' });
  await fillDetails(otherPage, { name: 'Marta Gil', phone: uniquePhone(), email });
  await otherPage.getByRole('button', { name: 'Send request' }).click();
  await expectCodeStep(otherPage, email, third.timeLabel);
  await other.close();

  await cancelAll(request, [firstToken, secondToken]);
});

test('a wrong code says how many tries are left; a new code can be asked for after 30 seconds', async ({ page, request }, testInfo) => {
  test.setTimeout(120_000);
  await page.setExtraHTTPHeaders({ 'x-forwarded-for': uniqueAddress() });
  const email = uniqueEmail('ines');
  const chosen = await chooseTime(page, { service: 'General consultation', day: 'first', time: 'last' });
  await fillDetails(page, { name: 'Inés Romero', phone: uniquePhone(), email });
  await page.getByRole('button', { name: 'Send request' }).click();
  await expectCodeStep(page, email, chosen.timeLabel);
  const first = await latestCode(request, email);

  await enterCode(page, anotherCode(first));
  await expect(page.locator('main').getByRole('alert')).toContainText('That code is not right. 4 tries left.');
  const code = page.getByLabel('6-digit code');
  await expect(code).toHaveAttribute('aria-invalid', 'true');
  await expect(code).toBeFocused();
  await expect(code).toHaveValue('');
  await expect(page).toHaveURL(/\/verify\//);
  await expectAccessible(page, testInfo, 'code-wrong');
  await screenshot(page, testInfo, 'code-wrong');

  // The button opens 30 seconds after the code was sent.
  const resend = page.getByRole('button', { name: 'Send a new code' });
  await expect(resend).toBeDisabled();
  await expect(resend).toBeEnabled({ timeout: 35_000 });
  await resend.click();
  await expect(page.getByRole('status').filter({ hasText: 'A new code is on its way' })).toContainText(masked(email));
  const fresh = await latestCode(request, email, { after: 1 });
  // The first code no longer works (unless the new one happens to be the same six digits); the new
  // code has its own 5 tries.
  if (fresh !== first) {
    await enterCode(page, first);
    await expect(page.locator('main').getByRole('alert')).toContainText('That code is not right. 4 tries left.');
    // The alert reads as after the first wrong code: wait for this answer's render to empty the field.
    await expect(page.getByLabel('6-digit code')).toHaveValue('');
  }
  await enterCode(page, fresh);
  await expect(page).toHaveURL(/\/requests\/[A-Za-z0-9_-]{43}\?sent=1$/);
  await cancelAll(request, [new URL(page.url()).pathname.split('/').pop()!]);
});

test('five wrong codes end the code, and starting again keeps what was typed', async ({ page, request }, testInfo) => {
  await page.setExtraHTTPHeaders({ 'x-forwarded-for': uniqueAddress() });
  const typed: Typed = { name: 'Raúl Ortega', phone: uniquePhone(), email: uniqueEmail('raul'), reason: 'Knee pain after running.', noWhatsApp: true };
  const chosen = await chooseTime(page, { service: 'General consultation', day: 'last', time: 'first' });
  await fillDetails(page, typed);
  await page.getByRole('button', { name: 'Send request' }).click();
  await expectCodeStep(page, typed.email, chosen.timeLabel);
  const wrong = anotherCode(await latestCode(request, typed.email));
  for (const left of [4, 3, 2, 1]) {
    await enterCode(page, wrong);
    await expect(page.locator('main').getByRole('alert')).toContainText(`That code is not right. ${left} ${left === 1 ? 'try' : 'tries'} left.`);
  }
  await enterCode(page, wrong);
  await expect(page.getByRole('heading', { name: 'This code has expired' })).toBeVisible();
  await expect(page.getByText('Nothing was booked and your time was not held.')).toBeVisible();
  await expectAccessible(page, testInfo, 'code-expired');
  await screenshot(page, testInfo, 'code-expired');

  await page.getByRole('link', { name: 'Start again with what you typed' }).click();
  await expect(page.getByRole('heading', { name: 'Your details' })).toBeVisible();
  await expect(page.locator('main')).toContainText(chosen.timeLabel);
  await expectTyped(page, typed);
  await page.getByRole('button', { name: 'Send request' }).click();
  await expectCodeStep(page, typed.email, chosen.timeLabel);
  await cancelAll(request, [await confirmWithCode(page, request, typed.email, 1)]);
});

test('"use another e-mail" goes back to the details with everything typed, and the code goes to the new address', async ({ page, request }, testInfo) => {
  await page.setExtraHTTPHeaders({ 'x-forwarded-for': uniqueAddress() });
  const typed: Typed = { name: 'Elena Vidal', phone: uniquePhone(), email: uniqueEmail('elena-typo'), reason: 'Check-up before a trip.', noWhatsApp: true };
  const chosen = await chooseTime(page, { service: 'Quick consultation', day: 'last', time: 'first' });
  await fillDetails(page, typed);
  await page.getByRole('button', { name: 'Send request' }).click();
  await expectCodeStep(page, typed.email, chosen.timeLabel);

  await page.getByRole('link', { name: 'Use another e-mail' }).click();
  await expect(page.getByRole('heading', { name: 'Your details' })).toBeVisible();
  await expectTyped(page, typed);
  const emailField = page.getByLabel('E-mail', { exact: true });
  await expect(emailField).toBeFocused();
  await expectAccessible(page, testInfo, 'details-again');
  const right = uniqueEmail('elena');
  await emailField.fill(right);
  await page.getByRole('button', { name: 'Send request' }).click();
  await expectCodeStep(page, right, chosen.timeLabel);
  await cancelAll(request, [await confirmWithCode(page, request, right)]);
  expect(await codesTo(request, typed.email)).toHaveLength(1);
});

test('a bad phone and no consent show errors by each field and keep what was typed', async ({ page }, testInfo) => {
  await page.setExtraHTTPHeaders({ 'x-forwarded-for': uniqueAddress() });
  await chooseTime(page, { service: 'Quick consultation', day: 'first', time: 'last' });
  await page.getByLabel('Full name').fill('Jorge Martín');
  // Too short for a Spanish number (a national number of the practice's country is fine).
  await page.getByLabel('Mobile phone').fill('600 111');
  await page.getByRole('button', { name: 'Send request' }).click();

  const phone = page.getByLabel('Mobile phone');
  await expect(phone).toHaveAttribute('aria-invalid', 'true');
  await expect(phone).toHaveAccessibleDescription(/phone number such as 600 111 222, or with the country code/);
  const consent = page.getByLabel('I consent to the processing of my health data for this appointment');
  await expect(consent).toHaveAttribute('aria-invalid', 'true');
  await expect(consent).toHaveAccessibleDescription(/Consent to the processing of health data is required/);
  await expect(page.locator('main').getByRole('alert').filter({ hasText: 'Some fields need attention' })).toContainText('Mobile phone, Consent');
  await expect(page.getByLabel('Full name')).toHaveValue('Jorge Martín');
  await expect(phone).toHaveValue('600 111');
  await expect(phone).toBeFocused();
  await expect(page).toHaveURL(/\/book\/demo/);
  await expectAccessible(page, testInfo, 'field-errors');
  await screenshot(page, testInfo, 'field-errors');
});

test('a time taken meanwhile is said plainly, the nearest times are offered and nothing typed is lost', async ({ page, request }, testInfo) => {
  await page.setExtraHTTPHeaders({ 'x-forwarded-for': uniqueAddress() });
  const chosen = await chooseTime(page, { service: 'General consultation', day: 'last', time: 'last' });
  const typed: Typed = { name: 'Carmen Ruiz', phone: uniquePhone(), email: uniqueEmail('carmen'), reason: 'Follow-up of blood test results.', noWhatsApp: true };
  await fillDetails(page, typed);

  // Someone else takes the same time through the API while the form is open.
  const other = await createRequestViaApi(
    request,
    'demo',
    { serviceId: chosen.serviceId, startsAt: chosen.startsAt, patient: { name: 'Someone Else', phone: uniquePhone().e164 }, consent: true },
    { address: uniqueAddress() },
  );

  await page.getByRole('button', { name: 'Send request' }).click();
  await expect(page.locator('main').getByRole('alert').filter({ hasText: /taken/ })).toContainText('Choose one of the nearest free times below');
  const nearest = page.getByRole('group', { name: 'Nearest free times' }).getByRole('radio');
  await expect(nearest.first()).toBeVisible();
  const count = await nearest.count();
  expect(count).toBeGreaterThan(0);
  expect(count).toBeLessThanOrEqual(6);
  await expect(page.getByLabel('Mobile phone')).toHaveValue(typed.phone.typed);
  await expectTyped(page, typed);
  await expectAccessible(page, testInfo, 'time-taken');
  await screenshot(page, testInfo, 'time-taken');

  // One tap on a nearby time, then the code, and the request goes through.
  const picked = (await nearest.first().getAttribute('value'))!;
  await nearest.first().check();
  await page.getByRole('button', { name: 'Send request' }).click();
  await expect(page).toHaveURL(/\/verify\//);
  const mine = await confirmWithCode(page, request, typed.email);
  expect((await (await request.get(`/api/v1/requests/${mine}`)).json()).startsAt).toBe(new Date(picked).toISOString());
  await screenshot(page, testInfo, 'time-taken-then-requested');

  // Leave the shared demo data as it was.
  await cancelAll(request, [other.token, mine]);
});

test('a time taken while the patient reads the code: the nearest times are offered and the same code takes one', async ({ page, request }, testInfo) => {
  await page.setExtraHTTPHeaders({ 'x-forwarded-for': uniqueAddress() });
  const chosen = await chooseTime(page, { service: 'Full check-up', day: 'last', time: 'last' });
  const typed: Typed = { name: 'Alba Prieto', phone: uniquePhone(), email: uniqueEmail('alba') };
  await fillDetails(page, typed);
  await page.getByRole('button', { name: 'Send request' }).click();
  await expectCodeStep(page, typed.email, chosen.timeLabel);
  const code = await latestCode(request, typed.email);

  const other = await createRequestViaApi(
    request,
    'demo',
    { serviceId: chosen.serviceId, startsAt: chosen.startsAt, patient: { name: 'Quicker Patient', phone: uniquePhone().e164 }, consent: true },
    { address: uniqueAddress() },
  );
  await enterCode(page, code);
  await expect(page.locator('main').getByRole('alert')).toContainText('That time was taken while you were reading the code. Choose one of the nearest free times below');
  const nearest = page.getByRole('group', { name: 'Nearest free times' }).getByRole('radio');
  await expect(nearest.first()).toBeChecked();
  expect(await nearest.count()).toBeLessThanOrEqual(6);
  await expect(page.getByLabel('6-digit code'), 'the code is kept').toHaveValue(code);
  await expectAccessible(page, testInfo, 'code-time-taken');
  await screenshot(page, testInfo, 'code-time-taken');

  const picked = (await nearest.last().getAttribute('value'))!;
  await nearest.last().check();
  await page.getByRole('button', { name: 'Confirm and send request' }).click();
  await expect(page).toHaveURL(/\/requests\/[A-Za-z0-9_-]{43}\?sent=1$/);
  const mine = new URL(page.url()).pathname.split('/').pop()!;
  expect((await (await request.get(`/api/v1/requests/${mine}`)).json()).startsAt).toBe(new Date(picked).toISOString());
  await cancelAll(request, [other.token, mine]);
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

test('the steps can be taken with the keyboard alone, with a visible focus ring', async ({ page, request }) => {
  await page.setExtraHTTPHeaders({ 'x-forwarded-for': uniqueAddress() });
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
  const email = uniqueEmail('keys');
  for (const [label, value] of [['Full name', 'Teclado Pérez'], ['Mobile phone', uniquePhone().typed], ['E-mail', email]] as const) {
    await tabTo(page, page.getByLabel(label, { exact: true }));
    await page.keyboard.type(value);
  }
  const consent = page.getByLabel('I consent to the processing of my health data for this appointment');
  await tabTo(page, consent);
  await page.keyboard.press('Space');
  await expect(consent).toBeChecked();
  await tabTo(page, page.getByRole('button', { name: 'Send request' }));
  await page.keyboard.press('Enter');

  // The code step, by keyboard too.
  await expect(page.getByRole('heading', { level: 1, name: 'Check your e-mail' })).toBeVisible();
  await tabTo(page, page.getByLabel('6-digit code'));
  await page.keyboard.type(await latestCode(request, email));
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/requests\/[A-Za-z0-9_-]{43}\?sent=1$/);
  await cancelAll(request, [new URL(page.url()).pathname.split('/').pop()!]);
});

test('an unknown practice, request and code are "not found"', async ({ page }) => {
  const practice = await page.goto('/book/no-such-practice');
  expect(practice?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1, name: 'Practice not found' })).toBeVisible();
  const request = await page.goto(`/requests/${'A'.repeat(43)}`);
  expect(request?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1, name: 'Request not found' })).toBeVisible();
  const code = await page.goto('/book/demo/verify/3f1c2a9e-7b3d-4e6f-8a0b-1c2d3e4f5a6b');
  expect(code?.status()).toBe(404);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the whole flow still works: links, posted forms, the code step, and a confirm page for the cancel', async ({ page, request }, testInfo) => {
    await page.setExtraHTTPHeaders({ 'x-forwarded-for': uniqueAddress() });
    const chosen = await chooseTime(page, { service: 'Full check-up', day: 'first', time: 'first' });
    const email = uniqueEmail('pablo');
    await fillDetails(page, { name: 'Pablo Sanz', phone: uniquePhone(), email });
    await page.getByRole('button', { name: 'Send request' }).click();
    await expectCodeStep(page, email, chosen.timeLabel);
    await expect(page.getByText(/You can ask for a new code from \d\d:\d\d:\d\d \(Madrid time\)\./)).toBeVisible();

    // Too early for a new code: the server says how long to wait.
    await page.getByRole('button', { name: 'Send a new code' }).click();
    await expect(page.getByText(/You can ask for a new code in \d+ seconds\./)).toBeVisible();
    // A wrong code: the tries left.
    const code = await latestCode(request, email);
    await enterCode(page, anotherCode(code));
    await expect(page.getByText('That code is not right. 4 tries left.')).toBeVisible();
    await screenshot(page, testInfo, 'no-js-wrong-code');

    await enterCode(page, code);
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
