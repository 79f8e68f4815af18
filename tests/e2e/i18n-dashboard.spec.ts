import { expect, test, type Page } from '@playwright/test';
import { screenshot, signIn } from './helpers';
import { card, createRequest, expectAccessible } from './practice-day-kit';

/**
 * Issue 17, must show 2 and 3 (dashboard half): the doctor switches the dashboard to Spanish on
 * the account page; the requests page, the agenda and the note editor are in Spanish with dates
 * like "martes, 1 de diciembre, 13:00 (hora de Madrid)"; axe finds no serious or critical issue
 * on those pages. The doctor's language is set back to automatic at the end, so the other specs
 * (which find elements by English text) see English.
 */

/** A Spanish date with its weekday, time and zone named: "martes, 1 de diciembre, 13:00 (hora de Madrid)". */
const SPANISH_WHEN = /(lunes|martes|miércoles|jueves|viernes|sábado|domingo), \d{1,2} de (enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre), \d{2}:\d{2} \(hora de Madrid\)/;

/** The last weekday before today in Madrid: the demo seed puts appointments there. */
function lastWeekday(): string {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Madrid' }).format(new Date());
  const d = new Date(`${today}T12:00:00Z`);
  do d.setUTCDate(d.getUTCDate() - 1);
  while (d.getUTCDay() === 0 || d.getUTCDay() === 6);
  return d.toISOString().slice(0, 10);
}

async function chooseLanguage(page: Page, label: RegExp | string, value: string, saved: RegExp | string) {
  await page.goto('/dashboard/account');
  await page.getByLabel(label).selectOption(value);
  await page.getByRole('button', { name: /Save language|Guardar idioma/ }).click();
  await expect(page.getByRole('status').filter({ hasText: saved })).toBeVisible();
}

test('the doctor reads the dashboard in Spanish: requests, agenda and note editor, dates with the zone named', async ({ page, request }, testInfo) => {
  const patient = await createRequest(request, `Lucía Fernández ${Date.now() % 10_000}`);
  await signIn(page, 'doctor@demo.test');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');

  try {
    await chooseLanguage(page, 'Dashboard language', 'es', 'Idioma guardado.');
    await expect(page.locator('html')).toHaveAttribute('lang', 'es');
    await expect(page.getByRole('heading', { level: 1, name: 'Su cuenta' })).toBeVisible();
    await expect(page.getByLabel('Idioma del panel')).toHaveValue('es');
    await expectAccessible(page, testInfo, 'account-es');

    // Requests: headings, actions and the requested time in Spanish with the zone named.
    await page.goto('/dashboard/requests');
    await expect(page.getByRole('heading', { level: 1, name: 'Solicitudes' })).toBeVisible();
    const mine = card(page, patient.name);
    await expect(mine).toBeVisible();
    await expect(mine).toContainText(SPANISH_WHEN);
    await expect(mine.getByRole('button', { name: /Aprobar/ })).toBeVisible();
    await screenshot(page, testInfo, 'requests-es');
    await expectAccessible(page, testInfo, 'requests-es');

    // Agenda: the week in Spanish.
    await page.goto(`/dashboard/appointments?view=day&date=${lastWeekday()}`);
    await expect(page.getByRole('heading', { level: 1, name: 'Citas' })).toBeVisible();
    await expect(page.getByText('hora de Madrid', { exact: true })).toBeVisible();
    await expect(page.getByTestId('agenda-day').first()).toContainText(/(lunes|martes|miércoles|jueves|viernes), \d{1,2} de \w+/);
    await expect(page.getByRole('link', { name: '← Día anterior' })).toBeVisible();
    await screenshot(page, testInfo, 'agenda-es');
    await expectAccessible(page, testInfo, 'agenda-es');

    // Note editor: SOAP sections and the appointment's dates in Spanish (nothing saved).
    await page.getByRole('link', { name: 'Jorge Martín', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'Nota clínica (SOAP)' })).toBeVisible();
    for (const label of ['Subjetivo', 'Objetivo', 'Valoración', 'Plan']) await expect(page.getByLabel(label, { exact: true })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Guardar nota' }).or(page.getByRole('button', { name: /Guardar como versión/ }))).toBeVisible();
    await expect(page.getByText('Cuándo')).toBeVisible();
    await screenshot(page, testInfo, 'note-editor-es');
    await expectAccessible(page, testInfo, 'note-editor-es');
  } finally {
    // Back to automatic: the browser's English.
    await chooseLanguage(page, /Idioma del panel|Dashboard language/, '', /Idioma guardado|Language saved/);
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page.getByRole('heading', { level: 1, name: 'Your account' })).toBeVisible();
  }
});
