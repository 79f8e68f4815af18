import { beforeAll, describe, expect, it, vi } from 'vitest';
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { auditLog, eventOutbox, notifications, patients, profiles, reservationRequests, reservations, timeSlots } from '@/db/schema';
import { approveRequestAction, rejectRequestAction } from '@/app/dashboard/requests/actions';
import { cancelAppointmentAction, recordOutcomeAction } from '@/app/dashboard/appointments/actions';
import { saveNoteAction } from '@/app/dashboard/appointments/[id]/note-actions';
import { agendaRange } from '@/components/appointments/agenda-range';
import {
  cancelAppointment,
  countPending,
  getAppointment,
  listAgenda,
  listPendingRequests,
  listRequestHistory,
  pendingSummary,
  recordAppointmentOutcome,
} from '@/lib/appointments';
import { approveRequest, rejectRequest } from '@/lib/approval';
import type { Actor } from '@/lib/auth/actor';
import { formatTime } from '@/lib/format';
import { localizeError } from '@/lib/i18n/errors';
import { getPracticeOverview } from '@/lib/practice/overview';
import { pageNumber } from '@/lib/validation/fields';
import { setupTestDb } from '../helpers/db';
import { actorByEmail } from '../helpers/actors';
import { demoPractice, freeStarts, requestBody, testAddress, createTestRequest } from '../helpers/booking';

// The server actions read the signed-in actor from the session (Auth.js); here it is whoever the
// test says. Everything below the session is real: the action wrapper, the lib, the database.
const session = vi.hoisted(() => ({ actor: null as Actor | null }));
vi.mock('@/lib/auth/session', () => ({
  currentActor: async () => session.actor,
  requireActor: async () => session.actor,
  currentPractice: async () => undefined,
}));
// Outside a Next request there is no cache to revalidate; the actions' calls are recorded instead.
const revalidated = vi.hoisted(() => [] as string[]);
vi.mock('next/cache', () => ({ revalidatePath: (path: string) => void revalidated.push(path) }));

/**
 * Issue 6, must-show 1: a doctor of demo-2 cannot approve, reject, cancel, record or read demo's
 * requests and appointments, through the lib functions or the server actions, and nothing changes;
 * an expired request is refused before any sweep ran; approving twice leaves one reservation.
 */

const TZ = 'Europe/Madrid';
let db: Db;
let doctor: Actor;
let admin: Actor;
let doctor2: Actor;
let demoId: string;
let demo2Id: string;
let demo: Awaited<ReturnType<typeof demoPractice>>;
let demo2: Awaited<ReturnType<typeof demoPractice>>;
/** A pending request of demo. */
let pendingId: string;
/** A confirmed future appointment of demo (and its request). */
let reservationId: string;
let reservationStartsAt: Date;
/** A pending request of demo-2, so doctor2 has something of their own. */
let ownPendingId: string;
let spareStarts: Date[];

async function request(slug: 'demo' | 'demo-2', startsAt: Date, overrides: Record<string, unknown> = {}) {
  const practice = slug === 'demo' ? demo : demo2;
  return createTestRequest({ clientAddress: testAddress(), baseUrl: 'http://localhost:3000' }, slug, requestBody(practice.services[0].id, startsAt, overrides));
}

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.append(k, v);
  return data;
}

beforeAll(async () => {
  db = (await setupTestDb()).db;
  doctor = await actorByEmail(db, 'doctor@demo.test');
  admin = await actorByEmail(db, 'admin@demo.test');
  doctor2 = await actorByEmail(db, 'doctor2@demo.test');
  const rows = await db.select({ id: profiles.id, slug: profiles.slug }).from(profiles);
  demoId = rows.find((r) => r.slug === 'demo')!.id;
  demo2Id = rows.find((r) => r.slug === 'demo-2')!.id;
  demo = await demoPractice(db, 'demo');
  demo2 = await demoPractice(db, 'demo-2');
  const starts = await freeStarts(db, demoId, demo.services[0].durationMinutes, 14, 6);
  const [a, b] = starts;
  spareStarts = starts.slice(2);
  pendingId = (await request('demo', a)).id;
  const approved = await request('demo', b);
  reservationId = (await approveRequest(doctor, demoId, { requestId: approved.id })).reservationId;
  reservationStartsAt = b;
  const [own] = await freeStarts(db, demo2Id, demo2.services[0].durationMinutes, 1, 6);
  ownPendingId = (await request('demo-2', own)).id;
});

/** Every row of demo's that a decision, a cancellation or an outcome could change. */
async function snapshot() {
  const [requests, appointments, slots, audit, events, messages] = await Promise.all([
    db.select().from(reservationRequests).where(eq(reservationRequests.profileId, demoId)).orderBy(asc(reservationRequests.id)),
    db.select().from(reservations).where(eq(reservations.profileId, demoId)).orderBy(asc(reservations.id)),
    db.select().from(timeSlots).where(eq(timeSlots.profileId, demoId)).orderBy(asc(timeSlots.startsAt)),
    db.select().from(auditLog).where(eq(auditLog.profileId, demoId)).orderBy(asc(auditLog.id)),
    db.select().from(eventOutbox).orderBy(asc(eventOutbox.id)),
    db.select().from(notifications).where(eq(notifications.profileId, demoId)).orderBy(asc(notifications.id)),
  ]);
  // The outbox dispatcher may mark earlier rows sent in the background; what matters is that
  // no row is added or removed and no business row changes.
  return { requests, appointments, slots, audit, events: events.map((e) => e.eventId), messages: messages.map((m) => m.dedupeKey) };
}

const week = () => ({ from: new Date(Date.now() - 86_400_000), to: new Date(Date.now() + 70 * 86_400_000) });

const afterStart = () => ({ now: new Date(reservationStartsAt.getTime() + 60_000) });

const libAttempts: [string, () => Promise<unknown>][] = [
  ['approveRequest', () => approveRequest(doctor2, demoId, { requestId: pendingId })],
  ['rejectRequest', () => rejectRequest(doctor2, demoId, { requestId: pendingId, reason: 'Not my patient' })],
  ['cancelAppointment', () => cancelAppointment(doctor2, demoId, { reservationId, reason: 'Not my patient' })],
  ['recordAppointmentOutcome completed', () => recordAppointmentOutcome(doctor2, demoId, { reservationId, outcome: 'completed' }, afterStart())],
  ['recordAppointmentOutcome no_show', () => recordAppointmentOutcome(doctor2, demoId, { reservationId, outcome: 'no_show' }, afterStart())],
  ['listPendingRequests', () => listPendingRequests(doctor2, demoId)],
  ['listRequestHistory', () => listRequestHistory(doctor2, demoId)],
  ['countPending', () => countPending(doctor2, demoId)],
  ['pendingSummary', () => pendingSummary(doctor2, demoId)],
  ['listAgenda', () => listAgenda(doctor2, demoId, week())],
  ['getAppointment', () => getAppointment(doctor2, demoId, { reservationId })],
  ['getPracticeOverview', () => getPracticeOverview(doctor2, demoId)],
  // doctor2's own practice with demo's row ids: looked up within demo-2, so not found.
  ['getAppointment via demo-2', () => getAppointment(doctor2, demo2Id, { reservationId })],
  ['approveRequest via demo-2', () => approveRequest(doctor2, demo2Id, { requestId: pendingId })],
  ['rejectRequest via demo-2', () => rejectRequest(doctor2, demo2Id, { requestId: pendingId, reason: 'Not my patient' })],
  ['cancelAppointment via demo-2', () => cancelAppointment(doctor2, demo2Id, { reservationId, reason: 'Not my patient' })],
  ['recordAppointmentOutcome via demo-2', () => recordAppointmentOutcome(doctor2, demo2Id, { reservationId, outcome: 'completed' }, afterStart())],
];

describe("a doctor of demo-2 and demo's requests and appointments (lib)", () => {
  it.each(libAttempts)('%s is refused as not found and changes nothing', async (_name, attempt) => {
    const before = await snapshot();
    await expect(attempt()).rejects.toMatchObject({ name: 'DomainError', code: 'not_found' });
    expect(await snapshot()).toEqual(before);
  });

  it("lists only demo-2's own rows when reading demo-2", async () => {
    const pending = await listPendingRequests(doctor2, demo2Id);
    expect(pending.map((r) => r.id)).toEqual([ownPendingId]);
    const agenda = await listAgenda(doctor2, demo2Id, week());
    expect(agenda.map((a) => a.id)).not.toContain(reservationId);
    const history = await listRequestHistory(doctor2, demo2Id);
    expect(history.entries.map((e) => e.id)).not.toContain(pendingId);
    expect(await countPending(doctor2, demo2Id)).toBe(1);
  });
});

describe("a doctor of demo-2 and demo's requests and appointments (server actions)", () => {
  const actionAttempts: [string, () => Promise<{ ok?: boolean; error?: string }>][] = [
    ['approve with demo as the practice', () => approveRequestAction(undefined, form({ profileId: demoId, requestId: pendingId }))],
    ['approve with demo-2 as the practice', () => approveRequestAction(undefined, form({ profileId: demo2Id, requestId: pendingId }))],
    ['reject with demo as the practice', () => rejectRequestAction(undefined, form({ profileId: demoId, requestId: pendingId, reason: 'x' }))],
    ['reject with demo-2 as the practice', () => rejectRequestAction(undefined, form({ profileId: demo2Id, requestId: pendingId, reason: 'x' }))],
    ['cancel with demo as the practice', () => cancelAppointmentAction(undefined, form({ profileId: demoId, reservationId, reason: 'x' }))],
    ['cancel with demo-2 as the practice', () => cancelAppointmentAction(undefined, form({ profileId: demo2Id, reservationId, reason: 'x' }))],
    ['outcome with demo as the practice', () => recordOutcomeAction(undefined, form({ profileId: demoId, reservationId, outcome: 'completed' }))],
    ['outcome with demo-2 as the practice', () => recordOutcomeAction(undefined, form({ profileId: demo2Id, reservationId, outcome: 'no_show' }))],
  ];

  it.each(actionAttempts)('%s is refused and changes nothing', async (_name, attempt) => {
    session.actor = doctor2;
    const before = await snapshot();
    const result = await attempt();
    expect(result.ok).toBeUndefined();
    expect(result.error).toMatch(/^No such (practice|request|appointment)\.$/);
    expect(await snapshot()).toEqual(before);
  });
});

describe('deadlines, double approvals and roles', () => {
  it('refuses to approve (or reject) an expired request before any sweep ran, naming the time', async () => {
    const created = await request('demo', spareStarts[0]);
    const expiresAt = new Date(Date.now() - 5 * 60_000);
    await db.update(reservationRequests).set({ expiresAt }).where(eq(reservationRequests.id, created.id));
    const [row] = await db.select({ status: reservationRequests.status }).from(reservationRequests).where(eq(reservationRequests.id, created.id));
    expect(row.status).toBe('pending');

    const refusal = approveRequest(doctor, demoId, { requestId: created.id });
    await expect(refusal).rejects.toMatchObject({ code: 'request_expired' });
    await expect(refusal).rejects.toThrow(`expired at`);
    await expect(refusal).rejects.toThrow(formatTime(expiresAt, TZ));
    await expect(refusal).rejects.toThrow(`(${TZ}); the time is free again.`);
    // On a Spanish page the same refusal reads in Spanish, its date formatted for the reader (issue 17).
    const message = ((await refusal.catch((e: unknown) => e)) as Error).message;
    expect(localizeError(message, 'es')).toMatch(/^Esta solicitud caducó el .+ \(hora de Madrid\); la hora vuelve a estar libre\.$/);
    expect(await db.select().from(reservations).where(eq(reservations.requestId, created.id))).toEqual([]);
    const held = await db.select().from(timeSlots).where(eq(timeSlots.requestId, created.id));
    expect(held).toEqual([]);
    await expect(rejectRequest(doctor, demoId, { requestId: created.id, reason: 'Too late' })).rejects.toMatchObject({ code: 'request_expired' });
  });

  it('shows the lib’s message when the approve action meets an expired request', async () => {
    const created = await request('demo', spareStarts[1]);
    await db.update(reservationRequests).set({ expiresAt: new Date(Date.now() - 60_000) }).where(eq(reservationRequests.id, created.id));
    session.actor = doctor;
    const result = await approveRequestAction(undefined, form({ profileId: demoId, requestId: created.id }));
    expect(result.error).toMatch(/^This request expired at .+ \(Europe\/Madrid\); the time is free again\.$/);
    expect(await db.select().from(reservations).where(eq(reservations.requestId, created.id))).toEqual([]);
  });

  it('approving twice leaves one reservation', async () => {
    const created = await request('demo', spareStarts[2]);
    const first = await approveRequest(doctor, demoId, { requestId: created.id });
    const second = await approveRequest(doctor, demoId, { requestId: created.id });
    expect(first.changed).toBe(true);
    expect(second).toMatchObject({ requestId: created.id, reservationId: first.reservationId, changed: false });
    session.actor = doctor;
    const viaAction = await approveRequestAction(undefined, form({ profileId: demoId, requestId: created.id }));
    expect(viaAction).toMatchObject({ ok: true, message: expect.stringMatching(/^Already approved/) });
    expect(await db.select().from(reservations).where(eq(reservations.requestId, created.id))).toHaveLength(1);
  });

  it('two approvals at once leave one reservation', async () => {
    const created = await request('demo', spareStarts[3]);
    const results = await Promise.all([approveRequest(doctor, demoId, { requestId: created.id }), approveRequest(doctor, demoId, { requestId: created.id })]);
    expect(results.map((r) => r.changed).sort()).toEqual([false, true]);
    expect(new Set(results.map((r) => r.reservationId)).size).toBe(1);
    expect(await db.select().from(reservations).where(eq(reservations.requestId, created.id))).toHaveLength(1);
    const slots = await db.select({ status: timeSlots.status }).from(timeSlots).where(eq(timeSlots.requestId, created.id));
    expect(slots.length).toBeGreaterThan(0);
    expect(slots.every((s) => s.status === 'reserved')).toBe(true);
  });

  it('refuses a rejection without a reason (lib and action) and keeps the request pending', async () => {
    const created = await request('demo', spareStarts[4]);
    await expect(rejectRequest(doctor, demoId, { requestId: created.id, reason: '   ' })).rejects.toMatchObject({ code: 'invalid_request', fields: { reason: expect.any(String) } });
    session.actor = doctor;
    const result = await rejectRequestAction(undefined, form({ profileId: demoId, requestId: created.id, reason: '  ' }));
    expect(result.fieldErrors?.reason?.[0]).toMatch(/reason/);
    const [row] = await db.select({ status: reservationRequests.status }).from(reservationRequests).where(eq(reservationRequests.id, created.id));
    expect(row.status).toBe('pending');

    revalidated.length = 0;
    const ok = await rejectRequestAction(undefined, form({ profileId: demoId, requestId: created.id, reason: 'Please book a longer visit.' }));
    expect(ok.ok).toBe(true);
    expect(revalidated).toEqual(['/dashboard']);
    const [after] = await db.select().from(reservationRequests).where(eq(reservationRequests.id, created.id));
    expect(after).toMatchObject({ status: 'rejected', decisionReason: 'Please book a longer visit.', decidedBy: doctor.userId });
    expect(await db.select().from(timeSlots).where(eq(timeSlots.requestId, created.id))).toEqual([]);
  });

  it("refuses the admin of demo: decisions are the doctor's", async () => {
    const created = await request('demo', spareStarts[5]);
    const before = await snapshot();
    await expect(approveRequest(admin, demoId, { requestId: created.id })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(rejectRequest(admin, demoId, { requestId: created.id, reason: 'No' })).rejects.toMatchObject({ code: 'forbidden' });
    session.actor = admin;
    const result = await approveRequestAction(undefined, form({ profileId: demoId, requestId: created.id }));
    expect(result.error).toMatch(/^Only .*doctor.* of this practice may do that\.$/);
    expect(await snapshot()).toEqual(before);
    // The admin still reads the list.
    expect((await listPendingRequests(admin, demoId)).map((r) => r.id)).toContain(created.id);
  });

  it('cancelling an appointment frees its future slots and tells the patient', async () => {
    const created = await request('demo', spareStarts[6]);
    const { reservationId: id } = await approveRequest(doctor, demoId, { requestId: created.id });
    const reserved = await db.select({ id: timeSlots.id, status: timeSlots.status }).from(timeSlots).where(eq(timeSlots.requestId, created.id));
    expect(reserved.length).toBeGreaterThan(0);
    expect(reserved.every((s) => s.status === 'reserved')).toBe(true);

    session.actor = doctor;
    const blank = await cancelAppointmentAction(undefined, form({ profileId: demoId, reservationId: id, reason: '' }));
    expect(blank.fieldErrors?.reason).toBeDefined();
    const result = await cancelAppointmentAction(undefined, form({ profileId: demoId, reservationId: id, reason: 'The doctor is ill.' }));
    expect(result.ok).toBe(true);

    const [appointment] = await db.select().from(reservations).where(eq(reservations.id, id));
    expect(appointment).toMatchObject({ status: 'cancelled', cancelReason: 'The doctor is ill.', cancelledBy: doctor.userId });
    const freed = await db.select({ status: timeSlots.status, requestId: timeSlots.requestId }).from(timeSlots).where(inArray(timeSlots.id, reserved.map((s) => s.id)));
    expect(freed.every((s) => s.status === 'available' && s.requestId === null)).toBe(true);
    const events = await db.select().from(eventOutbox).where(eq(eventOutbox.eventId, `request-${created.id}-cancelled`));
    expect(events).toHaveLength(1);
    // A second cancel changes nothing.
    await expect(cancelAppointment(doctor, demoId, { reservationId: id, reason: 'Again' })).rejects.toMatchObject({ code: 'conflict' });
  });

  it('records completed or no-show only after the start', async () => {
    const created = await request('demo', spareStarts[7]);
    const { reservationId: id } = await approveRequest(doctor, demoId, { requestId: created.id });
    session.actor = doctor;
    const early = await recordOutcomeAction(undefined, form({ profileId: demoId, reservationId: id, outcome: 'completed' }));
    expect(early.error).toMatch(/only after it has started/);
    await expect(recordAppointmentOutcome(doctor, demoId, { reservationId: id, outcome: 'no_show' })).rejects.toMatchObject({ code: 'conflict' });
    const [still] = await db.select({ status: reservations.status }).from(reservations).where(eq(reservations.id, id));
    expect(still.status).toBe('confirmed');

    await recordAppointmentOutcome(doctor, demoId, { reservationId: id, outcome: 'completed' }, { now: new Date(spareStarts[7].getTime() + 5 * 60_000) });
    const [done] = await db.select({ status: reservations.status }).from(reservations).where(eq(reservations.id, id));
    expect(done.status).toBe('completed');
    await expect(recordAppointmentOutcome(doctor, demoId, { reservationId: id, outcome: 'no_show' }, { now: new Date(spareStarts[7].getTime() + 10 * 60_000) })).rejects.toMatchObject({ code: 'conflict' });
  });
});

describe('what the dashboard reads', () => {
  it('lists pending requests by deadline with age and earlier appointments, and leaves lapsed ones to the history', async () => {
    // A returning patient: one completed appointment last month, then a new request.
    const phone = '+34699000111';
    const later = await request('demo', spareStarts[8], { patient: { name: 'Rosa Vidal', phone, dateOfBirth: '1980-06-15' } });
    const [patient] = await db.select().from(patients).where(and(eq(patients.profileId, demoId), eq(patients.phone, phone)));
    const pastStart = new Date(Date.now() - 30 * 86_400_000);
    await insertPastAppointment(patient.id, pastStart);
    const sooner = await request('demo', spareStarts[9]);
    await db.update(reservationRequests).set({ expiresAt: new Date(Date.now() + 10 * 60_000) }).where(eq(reservationRequests.id, sooner.id));
    const lapsed = await request('demo', spareStarts[10]);
    await db.update(reservationRequests).set({ expiresAt: new Date(Date.now() - 60_000) }).where(eq(reservationRequests.id, lapsed.id));

    const pending = await listPendingRequests(doctor, demoId);
    const ids = pending.map((r) => r.id);
    expect(ids[0]).toBe(sooner.id);
    expect(ids).toContain(later.id);
    expect(ids).not.toContain(lapsed.id);
    const deadlines = pending.map((r) => r.expiresAt.getTime());
    expect(deadlines).toEqual([...deadlines].sort((a, b) => a - b));

    const rosa = pending.find((r) => r.id === later.id)!;
    expect(rosa.patient).toMatchObject({ name: 'Rosa Vidal', phone, dateOfBirth: '1980-06-15' });
    expect(rosa.patient.age).toBeGreaterThanOrEqual(45);
    expect(rosa.reason).toBe('Persistent cough for two weeks');
    expect(rosa.service.name).toBe(demo.services[0].name);
    expect(rosa.earlier.total).toBe(1);
    expect(rosa.earlier.recent[0]).toMatchObject({ status: 'completed', startsAt: pastStart });
    expect(pending.find((r) => r.id === sooner.id)!.earlier).toEqual({ total: 0, recent: [] });

    expect(await countPending(doctor, demoId)).toBe(pending.length);
    const summary = await pendingSummary(doctor, demoId);
    expect(summary.nearestDeadline?.getTime()).toBe(deadlines[0]);

    const history = await listRequestHistory(doctor, demoId, { pageSize: 200 });
    const lapsedEntry = history.entries.find((e) => e.id === lapsed.id);
    expect(lapsedEntry?.status).toBe('expired');
    const created = history.entries.map((e) => e.createdAt.getTime());
    expect(created).toEqual([...created].sort((a, b) => b - a));
    expect(history.entries.map((e) => e.id)).not.toContain(sooner.id);
  });

  it('reads an appointment with the patient and the earlier appointments, and the agenda of its day', async () => {
    const detail = await getAppointment(doctor, demoId, { reservationId });
    expect(detail).toMatchObject({ id: reservationId, status: 'confirmed', startsAt: reservationStartsAt, reason: 'Persistent cough for two weeks' });
    expect(detail.patient.name).toBe('Lucía Fernández');
    const agenda = await listAgenda(doctor, demoId, { from: new Date(reservationStartsAt.getTime() - 60_000), to: new Date(reservationStartsAt.getTime() + 60_000) });
    expect(agenda.map((a) => a.id)).toEqual([reservationId]);
    await expect(getAppointment(doctor, demoId, { reservationId: 'not-a-uuid' })).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('hostile input from the dashboard', () => {
  it('a NUL, a control or a bidi character in a reason or a note section is a field error, never a 500, and changes nothing', async () => {
    const created = await request('demo', spareStarts[11]);
    session.actor = doctor;
    const before = await snapshot();
    const attempts: [Promise<{ ok?: boolean; error?: string; fieldErrors?: Record<string, string[]> }>, string][] = [
      [rejectRequestAction(undefined, form({ profileId: demoId, requestId: created.id, reason: 'No\u0000 time' })), 'reason'],
      [cancelAppointmentAction(undefined, form({ profileId: demoId, reservationId, reason: 'Ill\u0000' })), 'reason'],
      [cancelAppointmentAction(undefined, form({ profileId: demoId, reservationId, reason: 'Ill \u202Eli' })), 'reason'],
      ...(['subjective', 'objective', 'assessment', 'plan'] as const).map(
        (field) =>
          [saveNoteAction(undefined, form({ profileId: demoId, reservationId, baseVersion: '0', [field]: 'Cough\u0000' })), field] as [
            Promise<{ ok?: boolean; error?: string; fieldErrors?: Record<string, string[]> }>,
            string,
          ],
      ),
    ];
    for (const [attempt, field] of attempts) {
      const result = await attempt;
      expect(result.ok).toBeUndefined();
      expect(result.error).not.toMatch(/went wrong/);
      expect(result.fieldErrors?.[field]?.[0]).toMatch(/characters/);
    }
    // A form cannot carry a lone surrogate (FormData makes it U+FFFD); the lib refuses one from any other caller.
    await expect(cancelAppointment(doctor, demoId, { reservationId, reason: 'Ill \uD800' })).rejects.toMatchObject({ code: 'invalid_request', fields: { reason: expect.any(String) } });
    const badId = await cancelAppointmentAction(undefined, form({ profileId: demoId, reservationId: `${reservationId}\u0000`, reason: 'Ill' }));
    expect(badId.error).toBe('No such appointment.');
    expect(await snapshot()).toEqual(before);
  });

  it('agenda dates outside 1900–2200 fall back to today; history pages are bounded', async () => {
    const today = agendaRange({}, TZ).today;
    for (const [view, date] of [['week', '0000-01-01'], ['day', '9999-12-31'], ['day', '2026-02-30'], ['week', 'abc']] as const) {
      const range = agendaRange({ view, date }, TZ);
      expect(range).toMatchObject({ view, date: today, dateIgnored: true });
      await expect(listAgenda(doctor, demoId, range)).resolves.toBeInstanceOf(Array);
    }
    const edge = agendaRange({ view: 'week', date: '2200-12-31' }, TZ);
    expect(edge.dateIgnored).toBe(false);
    await expect(listAgenda(doctor, demoId, edge)).resolves.toEqual([]);

    for (const page of ['1e20', 'Infinity', '-1', 'abc', '0', '10001']) expect(pageNumber(page)).toBe(1);
    expect(pageNumber('10000')).toBe(10_000);
    const last = await listRequestHistory(doctor, demoId, { page: 10_000 });
    expect(last).toMatchObject({ page: 10_000, entries: [], hasMore: false });
    await expect(listRequestHistory(doctor, demoId, { page: 1e20 })).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(listAgenda(doctor, demoId, { from: new Date('0001-01-01T00:00:00Z'), to: new Date() })).rejects.toMatchObject({ code: 'invalid_request' });
  });
});

/** A completed appointment in the past, made the way approval makes one (request approved, reservation). */
async function insertPastAppointment(patientId: string, startsAt: Date) {
  const service = demo.services[0];
  const endsAt = new Date(startsAt.getTime() + service.durationMinutes * 60_000);
  const decidedAt = new Date(startsAt.getTime() - 86_400_000);
  const [req] = await db
    .insert(reservationRequests)
    .values({
      profileId: demoId,
      serviceId: service.id,
      patientId,
      startsAt,
      endsAt,
      reason: 'Check-up',
      consentAt: decidedAt,
      status: 'approved',
      expiresAt: decidedAt,
      decidedAt,
      decidedBy: doctor.userId,
      tokenHash: `test-${startsAt.getTime()}-${Math.random()}`,
    })
    .returning({ id: reservationRequests.id });
  await db.insert(reservations).values({ requestId: req.id, profileId: demoId, serviceId: service.id, patientId, startsAt, endsAt, status: 'completed', confirmedAt: decidedAt });
}
