import { expect, test, type APIRequestContext } from '@playwright/test';
import { screenshot, signIn } from './helpers';
import { createRequestViaApi, messagesTo } from './mailbox';

/**
 * Issue 14, Must show 1: a clinic starts on its own. A manager signs up, follows the verification
 * link from the captured e-mail (the real SMTP server of tests/e2e/mailbox.ts), adds a service and
 * the weekly hours through the first-run checklist, sees free times on the public booking page,
 * invites a doctor, who accepts from the captured e-mail, chooses a password and signs in to see
 * the practice's requests. Then (Must show 2) the doctor forgets the password and resets it from
 * the captured e-mail: the old one no longer signs in and the link works only once.
 */

const run = Date.now().toString(36);
const TZ = 'Europe/Madrid';
test.use({ timezoneId: TZ });

/** The newest link under `path` in a mail to `to` whose subject matches, waiting for it. */
async function mailedLink(request: APIRequestContext, to: string, subject: RegExp, path: string): Promise<string> {
  let link: string | undefined;
  await expect
    .poll(
      async () => {
        const mail = (await messagesTo(request, to)).filter((m) => subject.test(m.subject)).at(-1);
        link = mail ? new RegExp(`https?://[^\\s]+${path}/[A-Za-z0-9_-]{43}`).exec(mail.text)?.[0] : undefined;
        return Boolean(link);
      },
      { timeout: 20_000, message: `a mail to ${to} with a ${path} link` },
    )
    .toBe(true);
  // The server builds links from the request's host: keep the path, open it on the test's server.
  return new URL(link!).pathname;
}

test('a manager signs up, verifies, sets up the practice from the checklist, and a doctor joins by invitation', async ({ page, browser, request }, testInfo) => {
  const slug = `clinica-${run}`;
  const manager = `manager.${run}@clinic.test`;
  const doctorEmail = `doctor.${run}@clinic.test`;
  const service = 'First visit';

  // Sign-up: the booking address follows the name and is checked as it is typed; the time zone is the browser's.
  await page.goto('/signup');
  await page.getByLabel('Practice name').fill(`Clinica ${run}`);
  await expect(page.getByLabel('Booking address')).toHaveValue(slug);
  await expect(page.getByTestId('slug-check')).toHaveText(`/book/${slug} is free.`);
  await expect(page.getByLabel('Time zone')).toHaveValue(TZ);
  await page.getByLabel('Specialty').fill('Family medicine');
  await page.getByLabel('Your name').fill('Marta Manager');
  await page.getByLabel('E-mail').fill(manager);
  await page.getByLabel('Password').fill('manager-password-1');
  await screenshot(page, testInfo, '1-signup');
  await page.getByRole('button', { name: 'Create the practice' }).click();
  await expect(page.getByRole('heading', { name: 'Check your e-mail' })).toBeVisible();
  // Not live before the verification.
  expect((await request.get(`/api/v1/profiles/${slug}`)).status()).toBe(404);

  // A taken address is refused inline.
  await page.goto('/signup');
  await page.getByLabel('Booking address').fill('demo');
  await expect(page.getByText('That address is taken; choose another.')).toBeVisible();

  // The verification link from the captured e-mail puts the practice online.
  await page.goto(await mailedLink(request, manager, /Confirm your e-mail/, '/verify-email'));
  await page.getByRole('button', { name: 'Confirm my e-mail' }).click();
  await expect(page.getByRole('status')).toContainText('is online');
  expect((await request.get(`/api/v1/profiles/${slug}`)).status()).toBe(200);

  await signIn(page, manager, 'manager-password-1');
  const checklist = page.getByRole('region', { name: 'Get ready for your first patients' });
  await expect(checklist).toBeVisible();
  await expect(checklist.locator('#booking-link')).toHaveValue(new RegExp(`/book/${slug}$`));
  await expect(checklist.getByRole('img', { name: /QR code/ })).toBeVisible();
  await screenshot(page, testInfo, '2-checklist');

  // Checklist → add a service.
  await checklist.getByRole('link', { name: 'Add a service' }).click();
  await expect(page).toHaveURL(/\/dashboard\/services/);
  const add = page.getByRole('region', { name: 'Add a service' });
  await add.getByLabel('Name').fill(service);
  await add.getByLabel('Duration (minutes)').fill('30');
  await add.getByLabel('Price').fill('40.00');
  await add.getByRole('button', { name: 'Add service' }).click();
  await expect(page.getByText(service).first()).toBeVisible();

  // Checklist → weekly hours, every day 08:00–20:00.
  await page.goto('/dashboard');
  await checklist.getByRole('link', { name: 'Set the weekly hours' }).click();
  await expect(page).toHaveURL(/\/dashboard\/availability/);
  const form = page.locator('form').filter({ has: page.getByRole('button', { name: 'Add hours' }) });
  // A practice without hours may show the form already open; the summary toggles it.
  if (!(await form.getByRole('group', { name: 'Weekdays' }).isVisible())) await page.getByText('Add hours', { exact: true }).first().click();
  for (const day of ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']) {
    await form.getByRole('group', { name: 'Weekdays' }).getByLabel(day).check();
  }
  await form.getByLabel('From (Madrid time)').fill('08:00');
  await form.getByLabel('Until (Madrid time)').fill('20:00');
  await form.getByRole('button', { name: 'Add hours' }).click();
  await expect(page.getByText('Added 7 intervals; the free times follow.')).toBeAttached();
  await expect(page.getByRole('region', { name: /Weekly hours/ })).not.toContainText('Closed');

  // The public booking page shows free times.
  await page.goto(`/book/${slug}`);
  await page.getByRole('link', { name: new RegExp(service) }).click();
  const days = page.locator('#day').getByRole('link', { name: /free time/ });
  await expect(days.first()).toBeVisible();
  await days.first().click();
  await expect(page.locator('#times').getByRole('link').first()).toBeVisible();
  await screenshot(page, testInfo, '3-free-times');

  // A patient's request, so the doctor has something to see (the API's code path, code from the mailbox).
  const profile = await (await request.get(`/api/v1/profiles/${slug}`)).json();
  const serviceId = profile.services.find((s: { name: string }) => s.name === service).id;
  const from = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  const to = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
  const slots = (await (await request.get(`/api/v1/profiles/${slug}/slots?serviceId=${serviceId}&from=${from}&to=${to}`)).json()).slots;
  expect(slots.length).toBeGreaterThan(0);
  await createRequestViaApi(
    request,
    slug,
    { serviceId, startsAt: slots[0].startsAt, patient: { name: `Paciente ${run}`, phone: '+34612000111', email: `patient.${run}@example.test` }, reason: 'Check-up', consent: true },
    { address: `198.51.100.${Date.now() % 200}` },
  );

  // Checklist → invite the doctor.
  await page.goto('/dashboard');
  await checklist.getByRole('link', { name: 'Invite the doctor' }).click();
  await expect(page).toHaveURL(/\/dashboard\/members/);
  await page.getByLabel('E-mail to invite').fill(doctorEmail);
  await page.getByLabel('Role', { exact: true }).selectOption('doctor');
  await page.getByRole('button', { name: 'Send invitation' }).click();
  await expect(page.getByRole('status')).toContainText(`We sent the invitation to ${doctorEmail}`);
  await expect(page.getByTestId('invitation').filter({ hasText: doctorEmail })).toBeVisible();
  await screenshot(page, testInfo, '4-members');

  // The doctor, in a browser of their own, accepts from the captured e-mail and chooses a password.
  const doctorContext = await browser.newContext({ timezoneId: TZ });
  const doctor = await doctorContext.newPage();
  const invitation = await mailedLink(request, doctorEmail, /invited/, '/invitations');
  await doctor.goto(invitation);
  await expect(doctor.getByRole('heading', { name: `Join Clinica ${run}` })).toBeVisible();
  await doctor.getByLabel('Your name').fill('Dr. Pablo Nuevo');
  await doctor.getByLabel('Choose a password').fill('doctor-password-1');
  await doctor.getByRole('button', { name: 'Create my account and join' }).click();
  await expect(doctor.getByRole('status')).toContainText('Welcome!');
  // Used once: the same link no longer works.
  await doctor.goto(invitation);
  await expect(doctor.getByRole('heading', { name: 'This invitation does not work any more' })).toBeVisible();

  await signIn(doctor, doctorEmail, 'doctor-password-1');
  await doctor.goto('/dashboard/requests');
  await expect(doctor.getByText(`Paciente ${run}`).first()).toBeVisible();
  await screenshot(doctor, testInfo, '5-doctor-requests');

  // Now both are members; the checklist's doctor step is done.
  await page.goto('/dashboard/members');
  await expect(page.getByTestId('member').filter({ hasText: doctorEmail })).toBeVisible();
  await doctorContext.close();
});

test('a forgotten password is reset from the captured e-mail; the old one stops working and the link works once', async ({ page, request }, testInfo) => {
  // An account of its own: invited to demo by its admin through the members page.
  const email = `forgetful.${run}@clinic.test`;
  await signIn(page, 'admin@demo.test');
  await page.goto('/dashboard/members');
  await page.getByLabel('E-mail to invite').fill(email);
  await page.getByLabel('Role', { exact: true }).selectOption('doctor');
  await page.getByRole('button', { name: 'Send invitation' }).click();
  await expect(page.getByRole('status')).toContainText('We sent the invitation');
  await page.context().clearCookies();
  await page.goto(await mailedLink(request, email, /invited/, '/invitations'));
  await page.getByLabel('Your name').fill('Dr. Forgetful');
  await page.getByLabel('Choose a password').fill('old-password-123');
  await page.getByRole('button', { name: 'Create my account and join' }).click();
  await expect(page.getByRole('status')).toContainText('Welcome!');

  // Unknown and known addresses get the same answer.
  await page.goto('/reset-password');
  await page.getByLabel('E-mail').fill(`nobody.${run}@clinic.test`);
  await page.getByRole('button', { name: 'Send the link' }).click();
  const unknownAnswer = await page.getByRole('status').textContent();
  await page.goto('/reset-password');
  await page.getByLabel('E-mail').fill(email);
  await page.getByRole('button', { name: 'Send the link' }).click();
  await expect(page.getByRole('status')).toHaveText(unknownAnswer!);
  expect(await messagesTo(request, `nobody.${run}@clinic.test`)).toHaveLength(0);

  const reset = await mailedLink(request, email, /new password/, '/reset-password');
  await page.goto(reset);
  await page.getByLabel('New password').fill('new-password-456');
  await page.getByRole('button', { name: 'Save the new password' }).click();
  await expect(page.getByRole('status')).toContainText('Your password is changed');
  await screenshot(page, testInfo, 'reset-done');

  // Once only.
  await page.goto(reset);
  await expect(page.getByRole('heading', { name: 'This link does not work any more' })).toBeVisible();

  // The old password no longer signs in; the new one does.
  await page.goto('/login');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill('old-password-123');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'The e-mail or the password is not right.' })).toBeVisible();
  await expect(page).toHaveURL(/\/login/);
  await signIn(page, email, 'new-password-456');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
});
