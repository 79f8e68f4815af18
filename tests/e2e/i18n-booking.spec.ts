import { expect, test, type APIRequestContext, type Page, type TestInfo } from '@playwright/test';
import { screenshot } from './helpers';
import { messagesTo, type MailboxMessage } from './mailbox';
import { expectAccessible } from './practice-day-kit';

/**
 * Issue 17, must show 1 and 3 (public half): with `Accept-Language: es` a patient books on
 * /book/demo entirely in Spanish (a screenshot of every step attached), receives the code and the
 * confirmation ("solicitud recibida") e-mails in Spanish from the real SMTP server, then switches
 * the page to English and the next e-mail (the receipt of a second request) is in English. axe finds
 * no serious or critical issue on the Spanish pages. Phone-sized, in Debian's Chromium.
 */
test.use({
  viewport: { width: 390, height: 844 },
  isMobile: true,
  hasTouch: true,
  locale: 'es-ES',
  extraHTTPHeaders: { 'Accept-Language': 'es', 'x-forwarded-for': `198.51.100.${(Date.now() % 200) + 20}` },
});

const run = Date.now() % 1_000_000;
const EMAIL = `lucia.i18n.${run}@example.test`;
const PHONE = `+34 6${String(run).padStart(8, '0').slice(0, 2)} ${String(run).padStart(8, '0').slice(2, 5)} ${String(run).padStart(8, '0').slice(5)}`;

/** A Spanish date with its weekday and the zone named: "martes, 1 de diciembre de 2026, 13:00 (hora de Madrid)". */
const SPANISH_WHEN = /(lunes|martes|miércoles|jueves|viernes|sábado|domingo), \d{1,2} de [a-z]+ de \d{4}, \d{2}:\d{2} \(hora de Madrid\)/;

/** Waits for the n-th e-mail (1-based) to the address and returns it. */
async function nthMail(request: APIRequestContext, n: number): Promise<MailboxMessage> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const mails = await messagesTo(request, EMAIL);
    if (mails.length >= n) return mails[n - 1];
    if (Date.now() > deadline) throw new Error(`expected ${n} e-mails to ${EMAIL}, got ${mails.length}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The first day link with free times, then its first time: the patient's path through steps 2 and 3. */
async function chooseDayAndTime(page: Page, testInfo: TestInfo | null, dayHeading: string | RegExp, dayLink: RegExp, timeHeading: RegExp) {
  await expect(page.getByRole('heading', { name: dayHeading })).toBeVisible();
  let days = page.locator('#day').getByRole('link', { name: dayLink });
  if (!(await days.count())) {
    await page.locator('#day').getByRole('link').last().click();
    days = page.locator('#day').getByRole('link', { name: dayLink });
  }
  if (testInfo) {
    await screenshot(page, testInfo, '2-dia');
    await expectAccessible(page, testInfo, 'dia');
  }
  await days.first().click();
  await expect(page.getByRole('heading', { name: timeHeading })).toBeVisible();
  if (testInfo) {
    await screenshot(page, testInfo, '3-hora');
    await expectAccessible(page, testInfo, 'hora');
  }
  await page.locator('#times').getByRole('link').first().click();
}

test('a patient books in Spanish with Accept-Language: es, gets Spanish e-mails, and English after switching', async ({ page, request }, testInfo) => {
  // Step 1: the service, in Spanish (the practice's own service names stay as the practice wrote them).
  await page.goto('/book/demo');
  await expect(page.locator('html')).toHaveAttribute('lang', 'es');
  await expect(page.getByRole('heading', { level: 1, name: 'Pedir cita con Dr. Ana García' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Elija un servicio' })).toBeVisible();
  await expect(page.getByRole('link', { name: /Quick consultation/ })).toContainText('30,00 €');
  await expect(page.getByRole('link', { name: /Quick consultation/ })).toContainText('15 minutos');
  await expect(page.getByText('Primera hora libre:').first()).toBeVisible();
  await expect(page.getByRole('button', { name: 'Español' })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByText('En caso de urgencia, llame al 112.', { exact: false })).toBeVisible();
  await screenshot(page, testInfo, '1-servicio');
  await expectAccessible(page, testInfo, 'servicio');

  // Steps 2 and 3: a day (named in Spanish for screen readers) and a time.
  await page.getByRole('link', { name: /Quick consultation/ }).click();
  await chooseDayAndTime(page, testInfo, 'Elija un día', /hora(s)? libre(s)?$/, /^Elija una hora el (lunes|martes|miércoles|jueves|viernes|sábado|domingo), \d+ de /);

  // Step 4: the details.
  await expect(page.getByRole('heading', { name: 'Sus datos' })).toBeVisible();
  await expect(page.getByText('Las horas se muestran en hora de Madrid.').first()).toBeVisible();
  await page.getByLabel('Nombre y apellidos').fill('Lucía Fernández');
  await page.getByLabel('Teléfono móvil').fill(PHONE);
  await page.getByLabel('Correo electrónico', { exact: true }).fill(EMAIL);
  await page.getByLabel(/Doy mi consentimiento/).check();
  await screenshot(page, testInfo, '4-datos');
  await expectAccessible(page, testInfo, 'datos');
  await page.getByRole('button', { name: 'Enviar solicitud' }).click();

  // Step 5: the code, e-mailed in Spanish.
  await expect(page.getByRole('heading', { level: 1, name: 'Revise su correo' })).toBeVisible();
  await expect(page.getByText('Su hora aún no está reservada:')).toBeVisible();
  await screenshot(page, testInfo, '5-codigo');
  await expectAccessible(page, testInfo, 'codigo');
  const codeMail = await nthMail(request, 1);
  expect(codeMail.subject).toBe('Su código para Dr. Ana García');
  expect(codeMail.text).toContain('Introdúzcalo en la página de reserva en los próximos 10 minutos');
  const code = /\b(\d{6})\b/.exec(codeMail.text)![1];
  await page.getByLabel('Código de 6 cifras').fill(code);
  await page.getByRole('button', { name: 'Confirmar y enviar la solicitud' }).click();

  // The status page, in Spanish.
  await expect(page.getByRole('heading', { level: 1, name: 'Su solicitud de cita' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'es');
  await expect(page.getByText('Pendiente de respuesta de la consulta')).toBeVisible();
  await expect(page.getByText('Esto es una solicitud; todavía no es una cita.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Cancelar esta solicitud' })).toBeVisible();
  await screenshot(page, testInfo, '6-estado');
  await expectAccessible(page, testInfo, 'estado');
  const statusUrl = page.url();

  // The confirmation of the request, in Spanish, with the time named in Madrid's zone.
  const received = await nthMail(request, 2);
  expect(received.subject).toMatch(/^Solicitud recibida: Quick consultation, /);
  expect(received.subject).toMatch(SPANISH_WHEN);
  expect(received.text).toContain('Hola, Lucía Fernández:');
  expect(received.text).toContain('Todavía no es una cita');
  expect(received.text).not.toMatch(/\b(request|appointment|Hello)\b/);

  // The patient switches to English on the page: the page turns English, and so does the next e-mail.
  await page.goto('/book/demo');
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { level: 1, name: 'Book with Dr. Ana García' })).toBeVisible();
  await screenshot(page, testInfo, '7-english');
  await page.getByRole('link', { name: /General consultation/ }).click();
  await chooseDayAndTime(page, null, 'Choose a day', /free times?$/, /^Choose a time on /);
  await page.getByLabel('Full name').fill('Lucía Fernández');
  await page.getByLabel('Mobile phone').fill(PHONE);
  await page.getByLabel('E-mail', { exact: true }).fill(EMAIL);
  await page.getByLabel(/I consent/).check();
  await page.getByRole('button', { name: 'Send request' }).click();
  // This browser proved the e-mail with the first code: the request is made at once, and its receipt is English.
  await expect(page.getByRole('heading', { level: 1, name: 'Your appointment request' })).toBeVisible();
  await expect(page.getByText('Waiting for the practice to answer')).toBeVisible();
  const english = await nthMail(request, 3);
  expect(english.subject).toMatch(/^Request received: General consultation, .+ \(Europe\/Madrid\)$/);
  expect(english.text).toContain('Hello Lucía Fernández,');
  expect(english.text).toContain('It is not an appointment yet');

  // The first request stays Spanish in its messages: cancelling it is told in Spanish, while the page is English.
  await page.goto(statusUrl);
  await expect(page.getByRole('heading', { level: 1, name: 'Your appointment request' })).toBeVisible();
  await page.getByRole('button', { name: 'Cancel this request' }).click();
  await page.getByRole('button', { name: 'Yes, cancel the request' }).click();
  const cancelled = await nthMail(request, 4);
  expect(cancelled.subject).toMatch(/^Solicitud cancelada: Quick consultation, /);
});
