import { expect, test, type APIRequestContext, type Page, type TestInfo } from '@playwright/test';
import { screenshot, signIn } from './helpers';
import { codesTo, latestCode, messagesTo } from './mailbox';
import { expectAccessible, localDate, localTime } from './practice-day-kit';

/**
 * Issue 15, the patient's own changes (must-show 2, 3 and 4): a patient moves a pending request in
 * the browser (the old time is free again at once); the doctor approves the move of an approved
 * appointment (the old time is free then, not before); "Lost your link?" e-mails (real SMTP) a
 * single-use link that lists this patient's requests and nobody else's. axe on every new state.
 */

const PHONE = { width: 390, height: 844 };
test.use({ viewport: PHONE, isMobile: true, hasTouch: true });
test.describe.configure({ mode: 'serial' });

const run = Date.now() % 1_000_000;
const EMAIL = `moves-${run}@example.com`;
const OTHER_EMAIL = `someone-else-${run}@example.com`;
let seq = 0;
const address = () => `198.51.100.${(run + seq++) % 250}`;

/** "Friday 25 December" as a pattern that also takes the page's "Friday, 25 December". */
const dayText = (date: string) => new RegExp(dayLabel(date).replace(' ', ',? '));
const dayLabel = (date: string) => new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long' }).format(new Date(`${date}T12:00:00Z`));

let serviceId = '';

/** Free starts of the General consultation, one per day, at least three days ahead (past the 24-hour move cut-off). */
async function freeDays(request: APIRequestContext, count: number): Promise<Date[]> {
  const profile = (await (await request.get('/api/v1/profiles/demo')).json()) as { services: { id: string; name: string }[] };
  serviceId = profile.services.find((s) => s.name === 'General consultation')!.id;
  const from = localDate(new Date(Date.now() + 3 * 86_400_000));
  const to = localDate(new Date(Date.now() + 30 * 86_400_000));
  const slots = (await (await request.get(`/api/v1/profiles/demo/slots?serviceId=${serviceId}&from=${from}&to=${to}`)).json()) as { slots: { startsAt: string }[] };
  const byDay = new Map<string, Date>();
  // Late in the day, so the tests of other specs (which take the first free times) leave them alone.
  for (const s of slots.slots.map((x) => new Date(x.startsAt))) byDay.set(localDate(s), s);
  const days = [...byDay.values()].sort((a, b) => a.getTime() - b.getTime());
  if (days.length < count) throw new Error('not enough free days');
  return days.slice(-count);
}

async function isOffered(request: APIRequestContext, start: Date): Promise<boolean> {
  const day = localDate(start);
  const slots = (await (await request.get(`/api/v1/profiles/demo/slots?serviceId=${serviceId}&from=${day}&to=${day}`)).json()) as { slots: { startsAt: string }[] };
  return slots.slots.some((s) => new Date(s.startsAt).getTime() === start.getTime());
}

/** A request made anonymously with the e-mailed code (so the e-mail is proved), as the booking page does. */
async function requestWithCode(request: APIRequestContext, startsAt: Date, email: string, name: string): Promise<{ id: string; token: string }> {
  const headers = { 'x-forwarded-for': address() };
  const before = (await codesTo(request, email)).length;
  const started = await request.post('/api/v1/profiles/demo/requests', {
    headers,
    data: { serviceId, startsAt: startsAt.toISOString(), patient: { name, phone: `+3466${String(run).padStart(6, '0')}${seq % 10}`, email }, consent: true },
  });
  expect(started.status(), await started.text()).toBe(202);
  const { verification } = (await started.json()) as { verification: { id: string } };
  const code = await latestCode(request, email, { after: before });
  const done = await request.post(`/api/v1/verifications/${verification.id}`, { headers, data: { code } });
  expect(done.status(), await done.text()).toBe(201);
  return (await done.json()) as { id: string; token: string };
}

/** From the status page: "Move to another time", the day, the time, and the confirmation. */
async function moveInBrowser(page: Page, testInfo: TestInfo, token: string, to: Date, step: string) {
  await page.goto(`/requests/${token}`);
  await page.getByTestId('move-link').click();
  await expect(page.getByRole('heading', { level: 1, name: 'Move to another time' })).toBeVisible();
  const day = localDate(to);
  const dayLink = page.locator('#day').getByRole('link', { name: new RegExp(`^${dayLabel(day)}, \\d+ free time`) });
  for (let i = 0; i < 3 && !(await dayLink.count()); i++) await page.getByRole('link', { name: /^Next month/ }).click();
  await expectAccessible(page, testInfo, `${step}-calendar`);
  await dayLink.click();
  await page.locator('#times').getByRole('link', { name: localTime(to), exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Move to this time?' })).toBeVisible();
  await expectAccessible(page, testInfo, `${step}-confirm`);
  await screenshot(page, testInfo, `${step}-confirm`);
  await page.getByRole('button', { name: 'Yes, move it' }).click();
  await expect(page).toHaveURL(new RegExp(`/requests/${token}\\?moved=1`));
}

let pending: { id: string; token: string };
let appointment: { id: string; token: string };
let other: { id: string; token: string };

test('a patient moves a pending request; the doctor approves the move of an appointment', async ({ page, request, browser }, testInfo) => {
  const [a, b, c, d, e] = await freeDays(request, 5);
  await page.setExtraHTTPHeaders({ 'x-forwarded-for': address() });

  // A pending request moves at once: the old time is offered again straight away.
  pending = await requestWithCode(request, a, EMAIL, 'Paula Moreno');
  await moveInBrowser(page, testInfo, pending.token, b, 'pending');
  await expect(page.getByTestId('move-status')).toContainText('Moved: your request now asks for the new time');
  await expect(page.getByText(dayText(localDate(b))).first()).toContainText(localTime(b));
  expect(await isOffered(request, a)).toBe(true);
  expect(await isOffered(request, b)).toBe(false);
  await expectAccessible(page, testInfo, 'pending-moved');
  await screenshot(page, testInfo, 'pending-moved');

  // Someone else's request, to be sure the lost-link list leaves it out.
  other = await requestWithCode(request, e, OTHER_EMAIL, 'Ramón Ortega');

  // An appointment: the doctor approves the request in the dashboard.
  appointment = await requestWithCode(request, c, EMAIL, 'Paula Moreno');
  const doctorContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const desk = await doctorContext.newPage();
  await signIn(desk, 'doctor@demo.test');
  await desk.goto('/dashboard/requests');
  await desk.locator(`[data-request-id="${appointment.id}"]`).getByTestId('approve-form').getByRole('button').click();
  await expect(desk.getByTestId('decision-outcome')).toContainText('Approved');
  // The pending request moved by its patient says so on its card.
  await expect(desk.locator(`[data-request-id="${pending.id}"]`).getByTestId('moved-from')).toContainText('was');
  // A move waits a few seconds after an answer (the answer may still be undone).
  await page.waitForTimeout(11_000);

  await moveInBrowser(page, testInfo, appointment.token, d, 'appointment');
  await expect(page.getByTestId('move-status')).toContainText('You asked to move to');
  await expect(page.getByRole('button', { name: 'Keep my current time' })).toBeVisible();
  await expectAccessible(page, testInfo, 'appointment-move-waiting');
  // Both times are held until the practice answers.
  expect(await isOffered(request, c)).toBe(false);
  expect(await isOffered(request, d)).toBe(false);

  await desk.goto('/dashboard/requests');
  const card = desk.getByTestId('pending-move').filter({ hasText: 'Paula Moreno' });
  await expect(card.getByTestId('move-times')).toContainText(`${localTime(c)}`);
  await expect(card.getByTestId('move-times')).toContainText(`${localTime(d)}`);
  await expectAccessible(desk, testInfo, 'dashboard-move');
  await screenshot(desk, testInfo, 'dashboard-move');
  await card.getByRole('button', { name: /^Approve move/ }).click();
  await expect(desk.getByTestId('move-outcome')).toContainText('Moved: Paula Moreno');
  await doctorContext.close();

  // The appointment is at the new time; the old one is offered again now.
  expect(await isOffered(request, c)).toBe(true);
  await page.goto(`/requests/${appointment.token}`);
  await expect(page.locator('#status-heading')).toHaveText('Confirmed: this is now an appointment');
  await expect(page.getByText(dayText(localDate(d))).first()).toContainText(localTime(d));
  await expectAccessible(page, testInfo, 'appointment-moved');
  // The message is sent by the delivery loop after the answer: wait for it to arrive.
  const moved = async () => (await messagesTo(request, EMAIL)).find((m) => /^Appointment moved/.test(m.subject))?.text ?? '';
  await expect.poll(moved, { timeout: 90_000, intervals: [1_000] }).toContain('instead of');
});

test('"Lost your link?" e-mails a single-use link that lists this patient’s requests and nobody else’s', async ({ page, request }, testInfo) => {
  await page.setExtraHTTPHeaders({ 'x-forwarded-for': address() });
  await page.goto('/book/demo');
  await page.getByTestId('lost-link').click();
  await expect(page.getByRole('heading', { level: 1, name: 'Lost your link?' })).toBeVisible();
  await expectAccessible(page, testInfo, 'lost-link');

  // An unknown address is answered exactly as a known one.
  await page.getByLabel('Your e-mail address or phone number').fill(`nobody-${run}@example.com`);
  await page.getByRole('button', { name: 'Send me a link' }).click();
  const answer = await page.getByTestId('lost-link-sent').innerText();
  await page.getByLabel('Your e-mail address or phone number').fill(EMAIL.toUpperCase());
  await page.getByRole('button', { name: 'Send me a link' }).click();
  await expect(page.getByTestId('lost-link-sent')).toHaveText(answer);
  await expectAccessible(page, testInfo, 'lost-link-sent');

  let link = '';
  await expect
    .poll(async () => {
      const mail = (await messagesTo(request, EMAIL)).find((m) => /^Your appointments with/.test(m.subject));
      link = /https?:\/\/\S+\/my\/open\/[A-Za-z0-9_-]{43}/.exec(mail?.text ?? '')?.[0] ?? '';
      return link;
    })
    .not.toBe('');
  expect(await messagesTo(request, `nobody-${run}@example.com`)).toEqual([]);

  await page.goto(new URL(link).pathname);
  await expectAccessible(page, testInfo, 'open-link');
  await page.getByRole('button', { name: 'Show my appointments' }).click();
  await expect(page).toHaveURL(/\/my$/);
  const items = page.getByTestId('my-request');
  await expect(items).toHaveCount(2);
  await expect(page.getByTestId('my-requests')).not.toContainText('Ramón');
  await expectAccessible(page, testInfo, 'my-list');
  await screenshot(page, testInfo, 'my-list');
  const hrefs = await items.evaluateAll((links) => links.map((l) => l.getAttribute('href')));
  expect(hrefs.sort()).toEqual([`/my/requests/${pending.id}`, `/my/requests/${appointment.id}`].sort());

  await items.first().click();
  await expect(page.getByRole('heading', { level: 1, name: 'Your appointment request' })).toBeVisible();
  await expectAccessible(page, testInfo, 'my-request');
  // Another patient's request is not found through this session.
  const foreign = await page.goto(`/my/requests/${other.id}`);
  expect(foreign?.status()).toBe(404);

  // Single use: the link opens nothing the second time.
  await page.goto(new URL(link).pathname);
  await expect(page.getByTestId('link-used')).toBeVisible();
  await expectAccessible(page, testInfo, 'link-used');
});
