import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { screenshot, signIn } from './helpers';
import { createRequestViaApi } from './mailbox';
import { expectAccessible } from './practice-day-kit';

/**
 * Issue 6, must-show 2: a request made through the API appears in the doctor's list without a
 * reload; the doctor approves it and the patient's status page and the agenda show it; another is
 * rejected with a reason the status page shows. Also: a doctor of demo-2 posting the approve form
 * with a demo request's id is refused by the server action, and the request stays pending.
 */

const TZ = 'Europe/Madrid';
const run = Date.now() % 1_000_000;
let seq = 0;

/** A distinct phone and client address per request and run, so the rate limits never meet. */
function unique() {
  seq++;
  return {
    phone: `+3462${String((run * 10 + seq) % 10_000_000).padStart(7, '0')}`,
    address: `203.0.${(run >> 8) % 256}.${(run + seq * 7) % 256}`,
  };
}

function localDate(instant: Date, timeZone = TZ): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
}

interface Created {
  id: string;
  token: string;
  startsAt: string;
  name: string;
}

const taken = new Set<string>();

/**
 * A request for a free time of the practice's first service, made through the public API: for
 * demo with its integration key, for another practice through the e-mailed code.
 */
async function createRequest(request: APIRequestContext, slug: string, name: string): Promise<Created> {
  const profile = await request.get(`/api/v1/profiles/${slug}`);
  expect(profile.ok()).toBe(true);
  const serviceId = ((await profile.json()) as { services: { id: string }[] }).services[0].id;
  // Within the overview's next days, so the dashboard shows the appointment once approved.
  const from = localDate(new Date(Date.now() + 86_400_000));
  const to = localDate(new Date(Date.now() + 5 * 86_400_000));
  const slots = await request.get(`/api/v1/profiles/${slug}/slots?serviceId=${serviceId}&from=${from}&to=${to}`);
  expect(slots.ok()).toBe(true);
  const free = ((await slots.json()) as { slots: { startsAt: string }[] }).slots.filter((s) => !taken.has(`${slug}${s.startsAt}`));
  expect(free.length).toBeGreaterThan(0);
  // Spread over the free times so reruns against a kept server do not collide.
  const { startsAt } = free[(run + seq * 31) % free.length];
  taken.add(`${slug}${startsAt}`);
  const { phone, address } = unique();
  const body = await createRequestViaApi(
    request,
    slug,
    // One e-mail per patient: a verified contact may hold only a few pending requests.
    { serviceId, startsAt, patient: { name, phone, email: `patient-${run}-${seq}@example.com` }, reason: 'Headaches in the morning for a week', consent: true },
    { address },
  );
  return { id: body.id, token: body.token, startsAt: body.startsAt, name };
}

async function statusOf(request: APIRequestContext, token: string): Promise<string> {
  const res = await request.get(`/api/v1/requests/${token}`);
  expect(res.ok()).toBe(true);
  return ((await res.json()) as { status: string }).status;
}

const card = (page: Page, name: string) => page.getByTestId('pending-request').filter({ hasText: name });

test('a new request appears without a reload, is approved, and shows as approved and in the agenda', async ({ page, request }, testInfo) => {
  await signIn(page, 'doctor@demo.test');
  await page.goto('/dashboard/requests');
  await expect(page.getByRole('heading', { level: 1, name: 'Requests' })).toBeVisible();
  // A reload would lose this mark: it proves the request arrives by the page's own refresh.
  await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));

  const name = `Elena Approve ${run}`;
  const created = await createRequest(request, 'demo', name);
  await expect(card(page, name)).toBeVisible({ timeout: 20_000 });
  expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
  await expect(page).toHaveTitle(/^\(\d+\) Requests · Consulta$/);
  await expect(card(page, name)).toContainText('(Madrid time)');
  await expect(card(page, name)).toContainText('Headaches in the morning for a week');
  await expect(card(page, name).getByTestId('time-left')).toHaveText(/left$/);
  await expectAccessible(page, testInfo, 'requests');
  await screenshot(page, testInfo, 'requests');

  await card(page, name).getByRole('button', { name: /^Approve/ }).click();
  await expect(page.getByTestId('decision-outcome')).toContainText(`Approved: ${name}`);
  await expect(card(page, name)).toHaveCount(0);
  expect(await statusOf(request, created.token)).toBe('approved');

  await page.goto(`/requests/${created.token}`);
  await expect(page.getByRole('heading', { name: /Confirmed/ })).toBeVisible();

  await page.goto(`/dashboard/appointments?view=day&date=${localDate(new Date(created.startsAt))}`);
  const entry = page.getByTestId('agenda-item').filter({ hasText: name });
  await expect(entry).toBeVisible();
  await expect(entry).toContainText('Confirmed');
  await expectAccessible(page, testInfo, 'agenda');
  await screenshot(page, testInfo, 'agenda');

  await page.goto('/dashboard');
  await expect(page.getByRole('heading', { name: 'Dr. Ana García' })).toBeVisible();
  await expect(page.getByTestId('agenda-item').filter({ hasText: name })).toBeVisible();
  await expect(page.getByRole('link', { name: /Answer|Open requests/ })).toHaveAttribute('href', '/dashboard/requests');
  await expectAccessible(page, testInfo, 'dashboard');
  await screenshot(page, testInfo, 'dashboard');

  await page.goto(`/dashboard/appointments?view=day&date=${localDate(new Date(created.startsAt))}`);
  await entry.getByRole('link', { name }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await expect(page.getByTestId('appointment-status')).toHaveText('Confirmed');
  await expectAccessible(page, testInfo, 'appointment');
  await screenshot(page, testInfo, 'appointment');
});

test('a request rejected with a reason shows as rejected, with the reason, to the patient', async ({ page, request }, testInfo) => {
  const name = `Pablo Reject ${run}`;
  const created = await createRequest(request, 'demo', name);
  await signIn(page, 'doctor@demo.test');
  await page.goto('/dashboard/requests');
  await expect(card(page, name)).toBeVisible();

  await card(page, name).getByRole('button', { name: /^Reject/ }).click();
  const reason = 'Dr. García is away that week; please choose a time from the 20th.';
  // Keyboard: the reason field takes the focus when the form opens.
  await expect(card(page, name).getByLabel(/Reason for/)).toBeFocused();
  await page.keyboard.type(reason);
  await card(page, name).getByRole('button', { name: 'Reject the request' }).click();
  await expect(page.getByTestId('decision-outcome')).toContainText(`Rejected: ${name}`);
  await expect(card(page, name)).toHaveCount(0);
  expect(await statusOf(request, created.token)).toBe('rejected');

  await page.goto('/dashboard/requests?tab=history');
  const entry = page.getByTestId('history-entry').filter({ hasText: name });
  await expect(entry).toContainText('Rejected');
  await expect(entry).toContainText(reason);
  await screenshot(page, testInfo, 'history');

  await page.goto(`/requests/${created.token}`);
  await expect(page.getByRole('heading', { name: /Not accepted/ })).toBeVisible();
  await expect(page.getByText(reason)).toBeVisible();
});

test("a doctor of demo-2 posting the approve form with a demo request's id is refused", async ({ page, request }, testInfo) => {
  const target = await createRequest(request, 'demo', `Demo Target ${run}`);
  const own = await createRequest(request, 'demo-2', `Own Patient ${run}`);
  await signIn(page, 'doctor2@demo.test');
  await page.goto('/dashboard/requests');
  await expect(card(page, own.name)).toBeVisible();
  await expect(card(page, target.name)).toHaveCount(0);

  const form = card(page, own.name).getByTestId('approve-form');
  await form.evaluate((el, id) => {
    (el.querySelector('input[name="requestId"]') as HTMLInputElement).value = id;
  }, target.id);
  await form.getByRole('button', { name: /^Approve/ }).click();
  await expect(page.getByTestId('decision-outcome')).toHaveText(/No such request\./);
  await screenshot(page, testInfo, 'cross-practice-refused');

  expect(await statusOf(request, target.token)).toBe('pending');
  expect(await statusOf(request, own.token)).toBe('pending');
  await page.reload();
  await expect(card(page, own.name)).toBeVisible();
});
