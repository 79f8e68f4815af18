import { beforeAll, describe, expect, it } from 'vitest';
import { and, count, eq, inArray } from 'drizzle-orm';
import type { DbHandle } from '@/db/client';
import { notifications, patientLinks, patients, reservationRequests } from '@/db/schema';
import type { NotificationPayload } from '@/lib/notifications/kinds';
import { openLink } from '@/lib/notifications/link';
import { getMyRequest, listMyRequests, openPatientLink, patientSession, peekPatientLink, requestPatientLink, SESSION_MINUTES } from '@/lib/patient-links';
import { setupTestDb } from '../helpers/db';
import { createTestRequest, demoPractice, freeStarts, requestBody, testAddress, testPhone } from '../helpers/booking';

/*
 * "Lost your link?" (issue 15, lib/patient-links) on the real database: a single-use link to a
 * proved contact, a session listing that contact's requests at that practice and nobody else's,
 * the same answer for an unknown contact, limits per contact and address.
 */

let handle: DbHandle;
let demoId: string;
const caller = () => ({ clientAddress: testAddress(), baseUrl: 'http://localhost' });

async function requestFor(slug: string, start: Date, patient: { name: string; email: string; phone?: string }, proveEmail: boolean) {
  const { byMinutes } = await demoPractice(handle.db, slug);
  const body = requestBody(byMinutes(30).id, start);
  const created = await createTestRequest({ clientAddress: testAddress(), baseUrl: 'http://localhost' }, slug, { ...body, patient: { ...body.patient, ...patient } });
  if (proveEmail) {
    const [row] = await handle.db.select({ patientId: reservationRequests.patientId }).from(reservationRequests).where(eq(reservationRequests.id, created.id));
    await handle.db.update(patients).set({ emailVerifiedAt: new Date() }).where(eq(patients.id, row.patientId));
  }
  return created;
}

/** The link in the newest message to this address, opened from its sealed payload. */
async function linkSentTo(recipient: string): Promise<string | null> {
  const rows = await handle.db.select().from(notifications).where(and(eq(notifications.kind, 'patient_link'), eq(notifications.recipient, recipient)));
  const last = rows.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0];
  if (!last) return null;
  const sealed = (last.payload as NotificationPayload).sealedStatusLink;
  const url = sealed ? openLink(sealed) : null;
  return url ? url.split('/my/open/')[1] : null;
}

async function linksCount() {
  const [row] = await handle.db.select({ n: count() }).from(patientLinks);
  return Number(row.n);
}

beforeAll(async () => {
  handle = await setupTestDb();
  demoId = (await demoPractice(handle.db)).profile.id;
});

describe('lost your link', () => {
  it('sends a single-use link that lists that contact’s requests at this practice and nobody else’s', async () => {
    const starts = await freeStarts(handle.db, demoId, 30, 4, 30);
    const demo2 = await demoPractice(handle.db, 'demo-2');
    const [other] = await freeStarts(handle.db, demo2.profile.id, 30, 1, 30);
    const mine = [
      await requestFor('demo', starts[0], { name: 'Ana Pérez', email: 'ana.perez@example.com' }, true),
      await requestFor('demo', starts[1], { name: 'Ana Pérez', email: 'ana.perez@example.com' }, true),
    ];
    const someoneElse = await requestFor('demo', starts[2], { name: 'Bruno Gil', email: 'bruno@example.com' }, true);
    // Someone typed Ana's address without proving it: not hers to see.
    const unproved = await requestFor('demo', starts[3], { name: 'Carla Ruiz', email: 'ana.perez@example.com' }, false);
    const elsewhere = await requestFor('demo-2', other, { name: 'Ana Pérez', email: 'ana.perez@example.com' }, true);

    expect(await requestPatientLink(caller(), 'demo', { contact: '  Ana.Perez@Example.com ' })).toEqual({ ok: true });
    const token = await linkSentTo('ana.perez@example.com');
    expect(token).toBeTruthy();
    expect(await peekPatientLink(token!)).toEqual({ practiceName: expect.any(String) });

    const opened = await openPatientLink(token!);
    expect(opened.expiresAt.getTime() - Date.now()).toBeGreaterThan((SESSION_MINUTES - 1) * 60_000);
    // Single use: the same link opens nothing the second time.
    await expect(openPatientLink(token!)).rejects.toMatchObject({ code: 'not_found' });
    expect(await peekPatientLink(token!)).toBeNull();

    const session = await patientSession(opened.sessionToken);
    expect(session).toMatchObject({ slug: 'demo', contact: 'a•••@example.com' });
    const listed = await listMyRequests(opened.sessionToken);
    expect(listed.map((r) => r.id).sort()).toEqual(mine.map((r) => r.id).sort());
    expect(listed.every((r) => r.status === 'pending')).toBe(true);
    const one = await getMyRequest(opened.sessionToken, { requestId: mine[0].id });
    expect(one.startsAt.getTime()).toBe(starts[0].getTime());
    for (const id of [someoneElse.id, unproved.id, elsewhere.id, 'not-an-id']) {
      await expect(getMyRequest(opened.sessionToken, { requestId: id })).rejects.toMatchObject({ code: 'not_found' });
    }
    // The session ends after its hour.
    await expect(listMyRequests(opened.sessionToken, {}, { now: new Date(Date.now() + (SESSION_MINUTES + 1) * 60_000) })).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(listMyRequests('made-up')).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('answers an unknown or unproved contact exactly the same, and sends nothing', async () => {
    const before = await linksCount();
    expect(await requestPatientLink(caller(), 'demo', { contact: 'nobody-here@example.com' })).toEqual({ ok: true });
    expect(await requestPatientLink(caller(), 'demo', { contact: '+34 699 000 111' })).toEqual({ ok: true });
    expect(await linksCount()).toBe(before);
    expect(await linkSentTo('nobody-here@example.com')).toBeNull();
    await expect(requestPatientLink(caller(), 'demo', { contact: 'not a contact' })).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(requestPatientLink(caller(), 'no-such-practice', { contact: 'x@example.com' })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('a proved phone without WhatsApp gets the link at an e-mail proved with it; limits per contact and per address', async () => {
    const [start] = await freeStarts(handle.db, demoId, 30, 1, 200);
    const phone = testPhone();
    await requestFor('demo', start, { name: 'Diego Sanz', email: 'diego@example.com', phone }, true);
    expect(await requestPatientLink(caller(), 'demo', { contact: phone })).toEqual({ ok: true });
    expect(await linkSentTo('diego@example.com')).toBeTruthy();
    const [link] = await handle.db.select().from(patientLinks).where(inArray(patientLinks.contact, [phone]));
    expect(link).toMatchObject({ channel: 'email', contact: phone });

    // Three asks an hour per contact, known or not: the fourth is refused the same way.
    for (const contact of [phone, 'unknown-limit@example.com']) {
      for (let i = 0; i < (contact === phone ? 2 : 3); i++) await requestPatientLink(caller(), 'demo', { contact });
      await expect(requestPatientLink(caller(), 'demo', { contact })).rejects.toMatchObject({ code: 'rate_limited' });
    }
    const address = { clientAddress: testAddress(), baseUrl: 'http://localhost' };
    for (let i = 0; i < 10; i++) await requestPatientLink(address, 'demo', { contact: `someone-${i}@example.com` });
    await expect(requestPatientLink(address, 'demo', { contact: 'someone-else@example.com' })).rejects.toMatchObject({ code: 'rate_limited' });
  });
});
