import { writeFile } from 'node:fs/promises';
import AxeBuilder from '@axe-core/playwright';
import { expect, type APIRequestContext, type Page, type TestInfo } from '@playwright/test';
import { createRequestViaApi } from './mailbox';

/** Helpers of the practice-day browser tests (issue 16). */

export const TZ = 'Europe/Madrid';
export const run = Date.now() % 100_000;
let seq = 0;

export function localDate(instant: Date, timeZone = TZ): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
}

export function localTime(instant: Date, timeZone = TZ): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hour12: false }).format(instant);
}

const taken = new Set<string>();

/** Free starts of demo's first service over a few days from `daysAhead`, not yet used by this run. */
export async function freeTimes(request: APIRequestContext, daysAhead = 2, span = 6, all = false): Promise<{ serviceId: string; starts: string[] }> {
  const profile = await request.get('/api/v1/profiles/demo');
  expect(profile.ok()).toBe(true);
  const serviceId = ((await profile.json()) as { services: { id: string }[] }).services[0].id;
  const from = localDate(new Date(Date.now() + daysAhead * 86_400_000));
  const to = localDate(new Date(Date.now() + (daysAhead + span) * 86_400_000));
  const slots = await request.get(`/api/v1/profiles/demo/slots?serviceId=${serviceId}&from=${from}&to=${to}`);
  expect(slots.ok()).toBe(true);
  const starts = ((await slots.json()) as { slots: { startsAt: string }[] }).slots.map((s) => s.startsAt).filter((s) => all || !taken.has(s));
  return { serviceId, starts };
}

export interface Created {
  id: string;
  token: string;
  startsAt: string;
  name: string;
  email: string;
}

/** A request of demo through the keyed API at `startsAt` (or a free time spread by the run). */
export async function createRequest(request: APIRequestContext, name: string, startsAt?: string): Promise<Created> {
  const { serviceId, starts } = await freeTimes(request);
  const at = startsAt ?? starts[(run + seq * 37) % starts.length];
  taken.add(at);
  seq++;
  const email = `day-${run}-${seq}@example.com`;
  const body = await createRequestViaApi(
    request,
    'demo',
    {
      serviceId,
      startsAt: at,
      patient: { name, phone: `+3463${String((run * 10 + seq) % 10_000_000).padStart(7, '0')}`, email },
      reason: 'Knee pain after running',
      consent: true,
    },
    { address: `198.51.${(run >> 8) % 256}.${(run + seq * 7) % 256}` },
  );
  return { id: body.id, token: body.token, startsAt: body.startsAt, name, email };
}

export function markTaken(startsAt: string) {
  taken.add(startsAt);
}

export async function statusOf(request: APIRequestContext, token: string): Promise<{ status: string; startsAt: string }> {
  const res = await request.get(`/api/v1/requests/${token}`);
  expect(res.ok()).toBe(true);
  return (await res.json()) as { status: string; startsAt: string };
}

/** axe-core on the page as it is: no violation of impact serious or critical. */
/** axe-core on the page as it is: no violation of impact serious or critical. */
export async function expectAccessible(page: Page, testInfo: TestInfo, step: string) {
  // A step reached by a client navigation or a server action's answer gets its title a moment after
  // its content: wait for it, or axe sees a page between two titles (document-title).
  await expect(page).toHaveTitle(/\S/);
  const { violations } = await new AxeBuilder({ page }).analyze();
  const file = testInfo.outputPath(`axe-${step}.json`);
  await writeFile(file, JSON.stringify(violations, null, 2));
  await testInfo.attach(`axe-${step}`, { path: file, contentType: 'application/json' });
  const serious = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`);
  expect(serious, `axe on ${step}`).toEqual([]);
}

export const card = (page: Page, name: string) => page.getByTestId('pending-request').filter({ hasText: name });
