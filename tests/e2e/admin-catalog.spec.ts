import { expect, test } from '@playwright/test';
import { screenshot, signIn } from './helpers';

const TZ = 'Europe/Madrid';

function localParts(iso: string) {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: TZ, weekday: 'long', hour: '2-digit', minute: '2-digit' }).formatToParts(new Date(iso));
  const get = (t: string) => parts.find((p) => p.type === t)?.value;
  return { weekday: get('weekday'), time: `${get('hour')}:${get('minute')}` };
}

function isoDate(d: Date) {
  return d.toISOString().slice(0, 10);
}

test('an admin creates a service and Saturday hours for it; the new times appear in the public API', async ({ page, request }, testInfo) => {
  const name = `Travel vaccination ${Date.now().toString(36)}`;
  await signIn(page, 'admin@demo.test');

  await page.goto('/dashboard/services');
  const add = page.getByRole('region', { name: 'Add a service' });
  await add.getByLabel('Name').fill(name);
  await add.getByLabel('Duration (minutes)').fill('45');
  await add.getByLabel('Price').fill('35.00');
  await add.getByRole('button', { name: 'Add service' }).click();
  await expect(page.getByText(name).first()).toBeVisible();
  await screenshot(page, testInfo, 'services');

  const profile = await (await request.get('/api/v1/profiles/demo')).json();
  const service = profile.services.find((s: { name: string }) => s.name === name);
  expect(service).toMatchObject({ durationMinutes: 45, price: { amount: 3500, currency: 'EUR' } });

  const from = new Date(Date.now() + 86_400_000);
  const to = new Date(from.getTime() + 20 * 86_400_000);
  const slotsUrl = `/api/v1/profiles/demo/slots?serviceId=${service.id}&from=${isoDate(from)}&to=${isoDate(to)}`;
  const before = await (await request.get(slotsUrl)).json();
  expect(before.slots.filter((s: { startsAt: string }) => localParts(s.startsAt).weekday === 'Saturday')).toHaveLength(0);

  await page.goto('/dashboard/availability');
  await page.getByText('Add hours', { exact: true }).first().click();
  const form = page.locator('form').filter({ has: page.getByRole('button', { name: 'Add hours' }) });
  await form.getByRole('group', { name: 'Weekdays' }).getByLabel('Saturday').check();
  await form.getByLabel('From (Madrid time)').fill('10:00');
  await form.getByLabel('Until (Madrid time)').fill('12:00');
  await form.getByLabel(name).check();
  await form.getByRole('button', { name: 'Add hours' }).click();
  await expect(page.getByText(/Added 1 interval/)).toBeVisible();
  await screenshot(page, testInfo, 'availability');

  await expect
    .poll(async () => {
      const after = await (await request.get(slotsUrl)).json();
      return after.slots
        .map((s: { startsAt: string }) => localParts(s.startsAt))
        .filter((p: { weekday?: string }) => p.weekday === 'Saturday')
        .map((p: { time: string }) => p.time);
    })
    .toEqual(expect.arrayContaining(['10:00', '10:15', '11:00', '11:15']));
  const after = await (await request.get(slotsUrl)).json();
  const saturday = after.slots.filter((s: { startsAt: string }) => localParts(s.startsAt).weekday === 'Saturday');
  // 10:00–12:00 in 15-minute slots; a 45-minute service can start up to 11:15.
  expect(new Set(saturday.map((s: { startsAt: string }) => localParts(s.startsAt).time))).toEqual(new Set(['10:00', '10:15', '10:30', '10:45', '11:00', '11:15']));
  // The restriction holds: another service does not get the Saturday hours.
  const other = profile.services.find((s: { durationMinutes: number }) => s.durationMinutes === 15);
  const otherSlots = await (await request.get(`/api/v1/profiles/demo/slots?serviceId=${other.id}&from=${isoDate(from)}&to=${isoDate(to)}`)).json();
  expect(otherSlots.slots.filter((s: { startsAt: string }) => localParts(s.startsAt).weekday === 'Saturday')).toHaveLength(0);
});
