import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { screenshot, signIn } from './helpers';
import { latestCode } from './mailbox';
import { expectAccessible, localDate, TZ } from './practice-day-kit';

/**
 * Issue 15, the patient's side (must-show 1 and 4): the booking page on the last evening of a
 * month opens on the next day with free times; "600 111 222" is taken as +34600111222; the status
 * page shows the practice card, turns to approved without a reload when the doctor approves in
 * another browser, and offers the appointment as an .ics file; an address saved in Settings is on
 * the public page at once. axe on every new state.
 */

const PHONE = { width: 390, height: 844 };
test.use({ viewport: PHONE, isMobile: true, hasTouch: true });

const run = Date.now() % 1_000_000;
let seq = 0;
const address = () => `192.0.2.${(run + seq++) % 250}`;

function addDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T12:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/** The UTC instant of a Madrid wall-clock time (the offset at that instant, +1 or +2). */
function madrid(date: string, time: string): Date {
  const guess = new Date(`${date}T${time}:00Z`);
  const offset = Number(new Intl.DateTimeFormat('en', { timeZone: TZ, timeZoneName: 'shortOffset' }).formatToParts(guess).find((p) => p.type === 'timeZoneName')!.value.replace('GMT', '') || 0);
  return new Date(guess.getTime() - offset * 3_600_000);
}

const dayLabel = (date: string) => new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long' }).format(new Date(`${date}T12:00:00Z`));

test('on the last evening of a month the booking page opens on the next day with free times', async ({ page, request }, testInfo) => {
  const today = localDate(new Date());
  const lastDay = addDays(`${addDays(`${today.slice(0, 7)}-28`, 5).slice(0, 7)}-01`, -1);
  // 19:00 in Madrid on the month's last day: the demo's hours are over, whatever the weekday.
  await page.setExtraHTTPHeaders({ 'x-forwarded-for': address(), 'x-test-now': madrid(lastDay, '19:00').toISOString() });

  const profile = (await (await request.get('/api/v1/profiles/demo')).json()) as { services: { id: string; name: string }[] };
  const general = profile.services.find((s) => s.name === 'General consultation')!;
  const slots = await request.get(`/api/v1/profiles/demo/slots?serviceId=${general.id}&from=${addDays(lastDay, 1)}&to=${addDays(lastDay, 10)}`);
  const first = ((await slots.json()) as { slots: { startsAt: string }[] }).slots[0].startsAt;
  const expectedDay = localDate(new Date(first));
  expect(expectedDay.slice(0, 7), 'the next free day is in the next month').not.toBe(lastDay.slice(0, 7));

  await page.goto('/book/demo');
  // Each service names its first free time, a link straight to the details.
  const shortcut = page.getByRole('listitem').filter({ hasText: 'General consultation' }).getByRole('link', { name: new RegExp(`^${dayLabel(expectedDay).split(' ')[0]}`) });
  await expect(shortcut).toHaveAttribute('href', new RegExp(`day=${expectedDay}&time=${encodeURIComponent(first)}`));
  await expect(page.getByTestId('practice-card')).toContainText('Calle Mayor 1, 28013 Madrid');
  await expectAccessible(page, testInfo, 'services-first-free');
  await screenshot(page, testInfo, 'services-first-free');

  await page.getByRole('link', { name: /^General consultation/ }).click();
  await expect(page.getByRole('heading', { name: `Choose a time on ${dayLabel(expectedDay)}` })).toBeVisible();
  await expect(page.locator('#day').getByRole('link', { name: new RegExp(`^${dayLabel(expectedDay)}, \\d+ free time`) })).toHaveAttribute('aria-current', 'date');
  await expect(page.getByText('All times are Madrid time.').first()).toBeVisible();
  await expect(page.getByTitle('Europe/Madrid').first()).toHaveText('Madrid time');
  await expectAccessible(page, testInfo, 'opens-on-next-free-day');
  await screenshot(page, testInfo, 'opens-on-next-free-day');
});

test('a patient types 600 111 222; the status page shows the practice, turns approved without a reload, and offers the .ics', async ({ page, request, browser }, testInfo) => {
  test.setTimeout(150_000);
  await page.setExtraHTTPHeaders({ 'x-forwarded-for': address() });
  const name = `Jorge Patient ${run}`;
  const email = `jorge.${run}@example.test`;

  await page.goto('/book/demo');
  await page.getByRole('link', { name: /^General consultation/ }).click();
  await expect(page.getByRole('heading', { name: /^Choose a time on / })).toBeVisible();
  await page.locator('#times').getByRole('link').last().click();
  await expect(page.getByRole('heading', { name: 'Your details' })).toBeVisible();
  await expect(page.getByText('Dr. Ana García answers within 24 hours.', { exact: false })).toBeVisible();
  await expect(page.getByLabel("Don't contact me on WhatsApp"), 'demo sends no WhatsApp').toHaveCount(0);
  await expect(page.getByLabel('Mobile phone')).toHaveAccessibleDescription(/For example 600 111 222/);

  // Sent empty first: the form speaks to the patient.
  await page.getByRole('button', { name: 'Send request' }).click();
  await expect(page.getByLabel('Full name')).toHaveAccessibleDescription(/Enter your name\./);
  await expectAccessible(page, testInfo, 'details-errors');

  await page.getByLabel('Full name').fill(name);
  await page.getByLabel('Mobile phone').fill('600 111 222');
  await page.getByLabel('E-mail', { exact: true }).fill(email);
  await page.getByLabel('I consent to the processing of my health data for this appointment').check();
  await page.getByRole('button', { name: 'Send request' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Check your e-mail' })).toBeVisible();
  await page.getByLabel('6-digit code').fill(await latestCode(request, email));
  await page.getByRole('button', { name: 'Confirm and send request' }).click();
  await expect(page).toHaveURL(/\/requests\/[A-Za-z0-9_-]{43}\?sent=1$/);
  const token = new URL(page.url()).pathname.split('/').pop()!;

  // The practice card: address with a map link, the phone as Spaniards write it, the e-mail.
  const card = page.getByTestId('practice-card');
  await expect(card).toContainText('Calle Mayor 1, 28013 Madrid');
  await expect(card.getByRole('link', { name: /Open in a map/ })).toHaveAttribute('href', 'https://www.openstreetmap.org/search?query=Calle%20Mayor%201%2C%2028013%20Madrid');
  await expect(card.getByRole('link', { name: '910 00 00 00' })).toHaveAttribute('href', 'tel:+34910000000');
  await expect(card.getByRole('link', { name: 'consulta@demo.test' })).toHaveAttribute('href', 'mailto:consulta@demo.test');
  await expect(page.getByText(/will answer by .+\(Madrid time\)/)).toBeVisible();
  await expectAccessible(page, testInfo, 'status-pending-card');
  await screenshot(page, testInfo, 'status-pending-card');
  // A reload would lose this mark: it proves the approval arrives by the page's own update.
  await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));

  // The doctor, in another browser: the number was taken as +34600111222 and reads nationally.
  const doctor = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const desk = await doctor.newPage();
  await signIn(desk, 'doctor@demo.test');
  await desk.goto('/dashboard/requests');
  const pending = desk.getByTestId('pending-request').filter({ has: desk.getByRole('heading', { name }) });
  await expect(pending.getByRole('link', { name: '600 11 12 22' })).toHaveAttribute('href', 'tel:+34600111222');
  await pending.getByRole('button', { name: /^Approve/ }).click();
  await expect(desk.getByTestId('decision-outcome')).toContainText(`Approved: ${name}`);
  await doctor.close();

  await expect(page.getByRole('heading', { name: 'Confirmed: this is now an appointment' })).toBeVisible({ timeout: 20_000 });
  expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
  await expect(page.getByText('Please arrive a few minutes early, at Calle Mayor 1, 28013 Madrid.')).toBeVisible();
  await expectAccessible(page, testInfo, 'status-approved');
  await screenshot(page, testInfo, 'status-approved');

  // Add to calendar: the file, parsed; the Google and Outlook links carry the same UTC times.
  const { startsAt, endsAt } = (await (await request.get(`/api/v1/requests/${token}`)).json()) as { startsAt: string; endsAt: string };
  const stamp = (iso: string) => iso.replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download for any calendar (.ics)' }).click()]);
  expect(download.suggestedFilename()).toBe('appointment.ics');
  const ics = await readFile((await download.path())!, 'utf8');
  expect(ics.match(/BEGIN:VEVENT/g)).toHaveLength(1);
  expect(ics).toMatch(new RegExp(`DTSTART:${stamp(startsAt)}\\r?\\n`));
  expect(ics).toMatch(new RegExp(`DTEND:${stamp(endsAt)}\\r?\\n`));
  expect(ics).toContain('General consultation: Dr. Ana García');
  await expect(page.getByRole('link', { name: 'Google Calendar' })).toHaveAttribute('href', new RegExp(`dates=${stamp(startsAt)}%2F${stamp(endsAt)}`));
  await expect(page.getByRole('link', { name: 'Outlook.com' })).toHaveAttribute('href', /outlook\.live\.com/);
  // Only a confirmed appointment has a calendar file.
  expect((await request.get(`/requests/${'A'.repeat(43)}/calendar`)).status()).toBe(404);

  expect((await request.post(`/api/v1/requests/${token}/cancel`)).status()).toBe(200);
});

test('an address and a cancellation policy saved in Settings are on the booking page at once', async ({ page, browser }, testInfo) => {
  const admin = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const settings = await admin.newPage();
  await signIn(settings, 'admin@demo.test');
  await settings.goto('/dashboard/settings');
  await expect(settings.getByLabel('Country')).toHaveValue('ES');
  await expect(settings.getByLabel('Language of public pages and messages')).toHaveValue('en');
  await expect(settings.getByLabel('Patients may move a request until', { exact: true })).toHaveValue('1');
  await expect(settings.getByLabel('Patients may move a request until: unit')).toHaveValue('days');
  await expectAccessible(settings, testInfo, 'settings-patient-side');
  const policy = `Please cancel at least 24 hours ahead (${run}).`;
  await settings.getByLabel('Address').fill(`Calle Nueva ${run}, 28001 Madrid`);
  await settings.getByLabel('Cancellation policy').fill(policy);
  await settings.getByLabel('Phone', { exact: true }).fill('910 00 00 00');
  await settings.getByRole('button', { name: 'Save settings' }).click();
  await expect(settings.getByRole('status').filter({ hasText: /Saved: .*address/ })).toBeVisible();

  await page.goto('/book/demo');
  const card = page.getByTestId('practice-card');
  await expect(card).toContainText(`Calle Nueva ${run}, 28001 Madrid`);
  await expect(card).toContainText(policy);
  await expectAccessible(page, testInfo, 'card-with-policy');

  // Back to the demo's values for the other tests.
  await settings.getByLabel('Address').fill('Calle Mayor 1, 28013 Madrid');
  await settings.getByLabel('Cancellation policy').fill('');
  await settings.getByRole('button', { name: 'Save settings' }).click();
  await expect(settings.getByRole('status').filter({ hasText: /Saved: .*address/ })).toBeVisible();
  await admin.close();
});
