import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { DbHandle } from '@/db/client';
import { contactVerifications, notifications, patients, profiles, reservationRequests, timeSlots } from '@/db/schema';
import { approveRequest } from '@/lib/approval';
import { forgetPublicProfiles } from '@/lib/availability/public-profile';
import { createRequest, practiceBySlug } from '@/lib/booking/create';
import { acceptVerification } from '@/lib/booking/verification';
import { env } from '@/lib/env';
import { createIntegrationKey, revokeIntegrationKey } from '@/lib/integrations';
import { sendDueNotifications } from '@/lib/notifications';
import { setupTestDb } from '../helpers/db';
import { actorByEmail } from '../helpers/actors';
import { demoPractice, freeStarts, requestBody, testPhone } from '../helpers/booking';
import { cancelRequest, DEMO_KEY, getRequest, postRequest, postVerification } from '../helpers/routes';
import { startMessageStandIns, type MessageStandIns } from '../helpers/whatsapp';

// The public door of API.md "Who is calling" and DESIGN.md "Trust": an anonymous request holds no
// time until the patient proves the contact with a one-time code; an integration's key vouches for
// a phone it verified; a verified contact holds at most the practice's cap of pending requests.

let handle: DbHandle;
let demo: Awaited<ReturnType<typeof demoPractice>>;
let standIns: MessageStandIns;
let run = 0;

beforeAll(async () => {
  handle = await setupTestDb();
  demo = await demoPractice(handle.db);
  standIns = await startMessageStandIns({ phoneNumberId: '1098765', appUrl: 'http://localhost:3000' });
});

afterAll(async () => {
  await standIns.close();
});

const uniqueEmail = (who = 'patient') => `${who}.${Date.now()}.${++run}@example.com`;

/** The 6-digit code of the latest e-mail to an address, as the patient reads it. */
function codeFor(email: string): string {
  const mails = standIns.smtp.to(email);
  const match = /\b(\d{6})\b/.exec(mails.at(-1)?.text ?? '');
  if (!match) throw new Error(`no code mailed to ${email}`);
  return match[1];
}

async function anonymous(start: Date, patient: Record<string, unknown>, minutes = 15, headers: Record<string, string> = {}) {
  return postRequest('demo', requestBody(demo.byMinutes(minutes).id, start, { patient: { name: 'Lucía Fernández', phone: testPhone(), ...patient } }), headers, { anonymous: true });
}

async function slotStatus(start: Date) {
  const [slot] = await handle.db.select({ status: timeSlots.status }).from(timeSlots).where(and(eq(timeSlots.profileId, demo.profile.id), eq(timeSlots.startsAt, start)));
  return slot?.status;
}

describe('anonymous requests: a code first, nothing held', () => {
  it('202 with a masked destination; the code arrives by e-mail; the right code claims the time (201)', async () => {
    const [start] = await freeStarts(handle.db, demo.profile.id, 15, 1);
    const email = uniqueEmail('lucia');
    const started = await anonymous(start, { email });
    expect(started.status).toBe(202);
    expect(Object.keys(started.json)).toEqual(['verification']);
    const v = started.json.verification;
    expect(v).toEqual({ id: expect.any(String), channel: 'email', sentTo: `l•••@example.com`, expiresAt: expect.any(String) });
    expect(new Date(v.expiresAt).getTime() - Date.now()).toBeGreaterThan(9 * 60_000);
    // Nothing is held, no request exists.
    expect(await slotStatus(start)).toBe('available');
    expect(await handle.db.select().from(reservationRequests).where(sql`${reservationRequests.startsAt} = ${start.toISOString()}`)).toHaveLength(0);

    const code = codeFor(email);
    const wrong = await postVerification(v.id, { code: code === '000000' ? '111111' : '000000' });
    expect(wrong.status).toBe(422);
    expect(wrong.json.error).toMatchObject({ code: 'wrong_code', attemptsLeft: 4 });

    const created = await postVerification(v.id, { code });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ status: 'pending', startsAt: start.toISOString(), token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
    expect(await slotStatus(start)).toBe('pending_approval');
    expect((await getRequest(created.json.token)).json.status).toBe('pending');
    const [patient] = await handle.db.select().from(patients).where(eq(patients.email, email));
    expect(patient.emailVerifiedAt).not.toBeNull();

    // The same right code again (a double submit) answers with the same request, never a second.
    const again = await postVerification(v.id, { code });
    expect(again.status).toBe(201);
    expect(again.json.id).toBe(created.json.id);
    expect(again.json.token).toBe(created.json.token);
  });

  it('keeps the code only as a hash: not in the verification row, not in the message row once sent', async () => {
    const [start] = await freeStarts(handle.db, demo.profile.id, 15, 1);
    const email = uniqueEmail();
    const started = await anonymous(start, { email });
    const code = codeFor(email);
    const [row] = await handle.db.select().from(contactVerifications).where(eq(contactVerifications.id, started.json.verification.id));
    expect(JSON.stringify(row)).not.toContain(code);
    const messages = await handle.db.select().from(notifications).where(sql`${notifications.dedupeKey} LIKE ${`verification-${row.id}-%`}`);
    expect(messages).toHaveLength(1);
    expect(messages[0].status).toBe('sent');
    expect(JSON.stringify(messages[0])).not.toContain(code);
  });

  it('410 after five wrong codes (even the right one then), and after ten minutes', async () => {
    const [start] = await freeStarts(handle.db, demo.profile.id, 15, 1);
    const email = uniqueEmail();
    const { json } = await anonymous(start, { email });
    const code = codeFor(email);
    const wrong = code === '123456' ? '654321' : '123456';
    const lefts: number[] = [];
    for (let i = 0; i < 4; i++) lefts.push((await postVerification(json.verification.id, { code: wrong })).json.error.attemptsLeft);
    expect(lefts).toEqual([4, 3, 2, 1]);
    const fifth = await postVerification(json.verification.id, { code: wrong });
    expect(fifth.status).toBe(410);
    expect(fifth.json.error.code).toBe('verification_expired');
    expect((await postVerification(json.verification.id, { code })).status).toBe(410);

    const email2 = uniqueEmail();
    const later = await anonymous(start, { email: email2 });
    const tooLate = new Date(Date.now() + 11 * 60_000);
    await expect(acceptVerification(later.json.verification.id, { code: codeFor(email2) }, { baseUrl: 'http://localhost' }, { now: tooLate })).rejects.toMatchObject({
      code: 'verification_expired',
    });
    expect(await slotStatus(start)).toBe('available');
  });

  it('404 for an unknown or malformed verification', async () => {
    expect((await postVerification('00000000-0000-4000-8000-000000000000', { code: '123456' })).status).toBe(404);
    expect((await postVerification('nope', { code: '123456' })).json.error.code).toBe('not_found');
  });

  it('409 when the time was taken while the patient read the code; the same code then takes another start', async () => {
    const [start, other] = await freeStarts(handle.db, demo.profile.id, 15, 2);
    const email = uniqueEmail();
    const { json } = await anonymous(start, { email });
    // Someone else (an integration) takes the time meanwhile.
    expect((await postRequest('demo', requestBody(demo.byMinutes(15).id, start))).status).toBe(201);
    const taken = await postVerification(json.verification.id, { code: codeFor(email) });
    expect(taken.status).toBe(409);
    expect(taken.json.error.code).toBe('slot_unavailable');
    const moved = await postVerification(json.verification.id, { code: codeFor(email), startsAt: other.toISOString() });
    expect(moved.status).toBe(201);
    expect(moved.json.startsAt).toBe(other.toISOString());
  });

  it('checks the body and the time before counting: requests for a past time never use up a contact’s codes', async () => {
    const email = uniqueEmail();
    for (let i = 0; i < 8; i++) {
      const res = await anonymous(new Date('2020-03-02T09:00:00Z'), { email });
      expect(res.status).toBe(409);
      expect(res.json.error.code).toBe('slot_unavailable');
    }
    const [start] = await freeStarts(handle.db, demo.profile.id, 15, 1);
    expect((await anonymous(start, { email })).status).toBe(202);
    expect(standIns.smtp.to(email)).toHaveLength(1);
  });

  it('needs an e-mail address for the code, with the field named', async () => {
    const [start] = await freeStarts(handle.db, demo.profile.id, 15, 1);
    const res = await postRequest('demo', { ...requestBody(demo.byMinutes(15).id, start), patient: { name: 'No Mail', phone: testPhone() } }, {}, { anonymous: true });
    expect(res.status).toBe(422);
    expect(res.json.error.fields).toHaveProperty(['patient.email']);
  });

  it('replays the same Idempotency-Key as the same verification', async () => {
    const [start] = await freeStarts(handle.db, demo.profile.id, 15, 1);
    const body = requestBody(demo.byMinutes(15).id, start, { patient: { name: 'Replay', phone: testPhone(), email: uniqueEmail() } });
    const key = `anon-${Date.now()}`;
    const first = await postRequest('demo', body, { 'idempotency-key': key }, { anonymous: true });
    const second = await postRequest('demo', body, { 'idempotency-key': key }, { anonymous: true });
    expect([first.status, second.status]).toEqual([202, 202]);
    expect(second.json.verification.id).toBe(first.json.verification.id);
  });
});

describe('Content-Type, integration keys and phoneVerified', () => {
  it('415 for a body that is not declared as JSON (a cross-site no-cors post), and nothing changes', async () => {
    const [start] = await freeStarts(handle.db, demo.profile.id, 15, 1);
    const res = await postRequest('demo', JSON.stringify(requestBody(demo.byMinutes(15).id, start)), { 'content-type': 'text/plain;charset=UTF-8' }, { anonymous: true });
    expect(res.status).toBe(415);
    expect(res.json.error.code).toBe('unsupported_media_type');
    expect(await slotStatus(start)).toBe('available');
  });

  it('401 for a malformed, unknown or revoked key (a revoked key at once); 403 for another practice', async () => {
    const [start] = await freeStarts(handle.db, demo.profile.id, 15, 1);
    const body = requestBody(demo.byMinutes(15).id, start);
    for (const authorization of ['Bearer', 'Basic abc', `Bearer ${DEMO_KEY}x`, 'Bearer cst_00000000000000000000000000000000']) {
      const res = await postRequest('demo', body, { authorization });
      expect(res.status, authorization).toBe(401);
      expect(res.json.error.code).toBe('unauthorized');
    }
    const admin = await actorByEmail(handle.db, 'admin@demo.test');
    const made = await createIntegrationKey(admin, demo.profile.id, { name: 'Test bot' });
    expect((await postRequest('demo', body, { authorization: `Bearer ${made.key}` })).status).toBe(201);
    await revokeIntegrationKey(admin, demo.profile.id, { keyId: made.id });
    const [next] = await freeStarts(handle.db, demo.profile.id, 15, 1);
    const revoked = await postRequest('demo', requestBody(demo.byMinutes(15).id, next), { authorization: `Bearer ${made.key}` });
    expect(revoked.status).toBe(401);

    const other = await demoPractice(handle.db, 'demo-2');
    const [otherStart] = await freeStarts(handle.db, other.profile.id, other.services[0].durationMinutes, 1);
    const forbidden = await postRequest('demo-2', requestBody(other.services[0].id, otherStart));
    expect(forbidden.status).toBe(403);
    expect(forbidden.json.error.code).toBe('forbidden');
  });

  it('phoneVerified without a key is refused, with the field named', async () => {
    const [start] = await freeStarts(handle.db, demo.profile.id, 15, 1);
    const body = requestBody(demo.byMinutes(15).id, start, { patient: { name: 'Claims Verified', phone: testPhone(), email: uniqueEmail(), phoneVerified: true } });
    const res = await postRequest('demo', body, {}, { anonymous: true });
    expect(res.status).toBe(422);
    expect(res.json.error.fields).toHaveProperty(['patient.phoneVerified']);
  });

  it('a replayed Idempotency-Key reports the request’s current status', async () => {
    const [start] = await freeStarts(handle.db, demo.profile.id, 15, 1);
    const body = requestBody(demo.byMinutes(15).id, start);
    const key = `status-${Date.now()}`;
    const first = await postRequest('demo', body, { 'idempotency-key': key });
    await cancelRequest(first.json.token);
    const replay = await postRequest('demo', body, { 'idempotency-key': key });
    expect(replay.status).toBe(201);
    expect(replay.json.id).toBe(first.json.id);
    expect(replay.json.status).toBe('cancelled');
  });
});

describe('caps', () => {
  it('409 too_many_pending beyond the practice’s cap of pending requests per verified contact', async () => {
    const starts = await freeStarts(handle.db, demo.profile.id, 15, 3);
    const phone = testPhone();
    const statuses = [];
    for (const s of starts) statuses.push(await postRequest('demo', requestBody(demo.byMinutes(15).id, s, { patient: { name: 'Busy Patient', phone } })));
    expect(statuses.map((r) => r.status)).toEqual([201, 201, 409]);
    expect(statuses[2].json.error.code).toBe('too_many_pending');
    // Answering or cancelling one makes room again.
    await cancelRequest(statuses[0].json.token);
    expect((await postRequest('demo', requestBody(demo.byMinutes(15).id, starts[2], { patient: { name: 'Busy Patient', phone } }))).status).toBe(201);
  });
});

describe('what a booking needs of its practice, kept by the server (production)', () => {
  it('is read once and kept; the claim checks the window, the deadline and the practice being active against the settings it reads itself', async () => {
    // The environment as the tests have it (read once), before the kept copies are turned on.
    env();
    vi.stubEnv('NODE_ENV', 'production');
    const { horizonDays, approvalWindowMinutes, displayName } = demo.profile;
    const keyed = { clientAddress: '192.0.2.7', baseUrl: 'http://localhost:3000', integration: { keyId: 'k', profileId: demo.profile.id } };
    const body = (start: Date) => requestBody(demo.byMinutes(15).id, start, { patient: { name: 'Kept Copy', phone: testPhone(), phoneVerified: true } });
    try {
      const kept = await practiceBySlug('demo');
      // Changed behind lib's back: the kept copy is still served (no query)…
      await handle.db.update(profiles).set({ displayName: 'Changed by SQL', horizonDays: 1, approvalWindowMinutes: 7 }).where(eq(profiles.id, demo.profile.id));
      expect(await practiceBySlug('demo')).toBe(kept);
      expect(kept).toMatchObject({ displayName, horizonDays, approvalWindowMinutes });
      // …but a booking made with it is decided by the settings as they are now.
      const [soon] = await freeStarts(handle.db, demo.profile.id, 15, 1, 3);
      const [later] = await freeStarts(handle.db, demo.profile.id, 15, 1, 72);
      await expect(createRequest(keyed, 'demo', body(later))).rejects.toMatchObject({ code: 'slot_unavailable', message: expect.stringMatching(/horizon/) });
      expect(await slotStatus(later)).toBe('available');
      const t0 = Date.now();
      const created = await createRequest(keyed, 'demo', body(soon));
      expect(created.kind).toBe('created');
      const expiresAt = created.kind === 'created' ? new Date(created.request.expiresAt).getTime() : 0;
      expect(expiresAt - t0).toBeLessThanOrEqual(7 * 60_000 + 5_000);
      // A change committed through lib forgets the kept copies (settings.ts, catalog): read again.
      forgetPublicProfiles();
      expect((await practiceBySlug('demo')).displayName).toBe('Changed by SQL');
      await handle.db.update(profiles).set({ isActive: false }).where(eq(profiles.id, demo.profile.id));
      const [next] = await freeStarts(handle.db, demo.profile.id, 15, 1, 3);
      await expect(createRequest(keyed, 'demo', body(next))).rejects.toMatchObject({ code: 'not_found' });
      expect(await slotStatus(next)).toBe('available');
    } finally {
      await handle.db.update(profiles).set({ displayName, horizonDays, approvalWindowMinutes, isActive: true }).where(eq(profiles.id, demo.profile.id));
      forgetPublicProfiles();
      vi.unstubAllEnvs();
    }
  });
});

describe('nobody can take over another patient’s messages by knowing their name and phone', () => {
  it('a request with the victim’s name and phone, another e-mail and WhatsApp off makes a separate record; the victim is unchanged', async () => {
    const [mine, theirs] = await freeStarts(handle.db, demo.profile.id, 15, 2);
    const phone = testPhone();
    const victimEmail = uniqueEmail('alice');
    // Alice books with her own e-mail, proved by a code.
    const hers = await anonymous(mine, { name: 'Alice Victim', phone, email: victimEmail });
    const booked = await postVerification(hers.json.verification.id, { code: codeFor(victimEmail) });
    expect(booked.status).toBe(201);
    const [victimBefore] = await handle.db.select().from(patients).where(eq(patients.email, victimEmail));

    // The attacker knows her name and phone, and proves an e-mail of their own.
    const attackerEmail = uniqueEmail('mallory');
    const attack = await anonymous(theirs, { name: 'ALICE VICTIM', phone, email: attackerEmail, whatsappOptOut: true } as Record<string, unknown>);
    expect(attack.status).toBe(202);
    const attacked = await postVerification(attack.json.verification.id, { code: codeFor(attackerEmail) });
    expect(attacked.status).toBe(201);

    const [victimAfter] = await handle.db.select().from(patients).where(eq(patients.id, victimBefore.id));
    expect(victimAfter).toEqual(victimBefore);
    const records = await handle.db.select({ id: patients.id, email: patients.email }).from(patients).where(eq(patients.phone, phone));
    expect(records).toHaveLength(2);
    const [attackRequest] = await handle.db.select({ patientId: reservationRequests.patientId }).from(reservationRequests).where(eq(reservationRequests.id, attacked.json.id));
    expect(attackRequest.patientId).not.toBe(victimBefore.id);

    // Her appointment's confirmation still goes to her, not to the attacker.
    const doctor = await actorByEmail(handle.db, 'doctor@demo.test');
    await approveRequest(doctor, demo.profile.id, { requestId: booked.json.id });
    await sendDueNotifications();
    const toVictim = standIns.smtp.to(victimEmail).map((m) => m.subject);
    expect(toVictim.some((s) => /confirmed/i.test(s))).toBe(true);
    expect(standIns.smtp.to(attackerEmail).some((m) => /confirmed/i.test(m.subject))).toBe(false);
  });
});

describe('races through the new doors', () => {
  it('50 patients accepting their codes for the same start at once: exactly one request', async () => {
    const [start] = await freeStarts(handle.db, demo.profile.id, 30, 1, 30);
    const emails = Array.from({ length: 50 }, () => uniqueEmail('racer'));
    const started = [];
    for (const email of emails) {
      const res = await anonymous(start, { email }, 30, { 'x-forwarded-for': `198.18.${run % 250}.${emails.indexOf(email)}` });
      expect(res.status).toBe(202);
      started.push({ id: res.json.verification.id as string, code: codeFor(email) });
    }
    const answers = await Promise.all(started.map((s) => postVerification(s.id, { code: s.code })));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    expect(answers.filter((a) => a.status === 409).every((a) => a.json.error.code === 'slot_unavailable')).toBe(true);
  });
});

describe('the practice is not flooded', () => {
  it('new requests of one digest window go out as one e-mail listing those still waiting; each request writes its own row', async () => {
    const starts = await freeStarts(handle.db, demo.profile.id, 15, 5);
    const now = new Date();
    // At once: each request inserts its own row (no row that every booking of the practice updates).
    const made = await Promise.all(
      starts.map((s, i) => postRequest('demo', requestBody(demo.byMinutes(15).id, s, { patient: { name: `Digest Patient ${i}`, phone: testPhone() } }))),
    );
    expect(made.map((m) => m.status)).toEqual([201, 201, 201, 201, 201]);
    const ids = made.map((m) => m.json.id as string);
    const rows = () =>
      handle.db.select().from(notifications).where(and(sql`${notifications.dedupeKey} LIKE ${`practice-${demo.profile.id}-new-requests-%`}`, inArray(notifications.requestId, ids)));
    const waiting = await rows();
    expect(waiting).toHaveLength(5);
    expect(waiting.every((d) => d.kind === 'new_request' && d.requestId && d.status === 'pending' && d.dueAt > now)).toBe(true);
    // Answered before the window ends: it drops out of the digest.
    const doctor = await actorByEmail(handle.db, 'doctor@demo.test');
    await approveRequest(doctor, demo.profile.id, { requestId: ids[4] });

    const due = new Date(Math.max(...waiting.map((d) => d.dueAt.getTime())) + 1000);
    const before = standIns.smtp.messages.length;
    await sendDueNotifications({ now: due });
    const mails = standIns.smtp.messages.slice(before).filter((m) => m.text.includes('Digest Patient'));
    // One e-mail per window (the five may straddle a window's end: then two).
    expect(mails.length).toBeGreaterThanOrEqual(1);
    expect(mails.length).toBeLessThanOrEqual(2);
    const listed = mails.flatMap((m) => m.text.match(/Digest Patient \d/g) ?? []);
    expect(listed.sort()).toEqual(['Digest Patient 0', 'Digest Patient 1', 'Digest Patient 2', 'Digest Patient 3']);
    for (const m of mails) {
      // Earlier tests' requests of the same window are in it too: one line ("• …") each.
      const n = (m.text.match(/^• /gm) ?? []).length;
      expect(m.subject).toBe(n === 1 ? 'New appointment request (1)' : `New appointment requests (${n})`);
      expect(m.text.startsWith('New appointment requests for ')).toBe(true);
    }
    const after = await rows();
    expect(after.filter((d) => d.status === 'sent')).toHaveLength(4);
    expect(after.filter((d) => d.status === 'sent').every((d) => mails.some((m) => m.text.includes((d.payload as { digest: { item: string } }).digest.item.split('\n')[0])))).toBe(true);
    expect(after.find((d) => d.requestId === ids[4])).toMatchObject({ status: 'skipped', skipReason: 'request_answered' });
    // The rows of one e-mail share its provider id; the first keeps the e-mail as it went out.
    expect(new Set(after.filter((d) => d.status === 'sent').map((d) => d.providerId)).size).toBe(mails.length);
  });
});

describe('keys on every route', () => {
  it('a revoked or malformed key is 401 on the read routes too; another practice’s slug is 403', async () => {
    const { GET: profileRoute } = await import('@/app/api/v1/profiles/[slug]/route');
    const admin = await actorByEmail(handle.db, 'admin@demo.test');
    const made = await createIntegrationKey(admin, demo.profile.id, { name: 'Read bot' });
    const get = (slug: string, authorization: string) =>
      profileRoute(new Request(`http://localhost/api/v1/profiles/${slug}`, { headers: { authorization } }), { params: Promise.resolve({ slug }) });
    expect((await get('demo', `Bearer ${made.key}`)).status).toBe(200);
    expect((await get('demo-2', `Bearer ${made.key}`)).status).toBe(403);
    expect((await get('nope', `Bearer ${made.key}`)).status).toBe(404);
    expect((await get('demo', 'Bearer nonsense')).status).toBe(401);
    await revokeIntegrationKey(admin, demo.profile.id, { keyId: made.id });
    expect((await get('demo', `Bearer ${made.key}`)).status).toBe(401);
  });
});
