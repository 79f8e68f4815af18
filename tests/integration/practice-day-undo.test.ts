import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { and, eq, like } from 'drizzle-orm';
import type { DbHandle } from '@/db/client';
import { auditLog, notifications, reservationRequests, reservations, timeSlots } from '@/db/schema';
import { approveRequestAction, approveSelectedAction, undoDecisionAction } from '@/app/dashboard/requests/actions';
import { inngest } from '@/inngest/client';
import { approveRequest, approveRequests, rejectRequest, undoDecision, UNDO_SECONDS } from '@/lib/approval';
import type { Actor } from '@/lib/auth/actor';
import { transaction } from '@/lib/db';
import { sendDueNotifications } from '@/lib/notifications';
import { setupTestDb } from '../helpers/db';
import { actorByEmail } from '../helpers/actors';
import { createTestRequest, demoPractice, freeStarts, requestBody, testAddress } from '../helpers/booking';
import { startMessageStandIns, type MessageStandIns } from '../helpers/whatsapp';

const session = vi.hoisted(() => ({ actor: null as Actor | null }));
vi.mock('@/lib/auth/session', () => ({
  currentActor: async () => session.actor,
  requireActor: async () => session.actor,
  currentPractice: async () => undefined,
}));
vi.mock('next/cache', () => ({ revalidatePath: () => undefined }));

let handle: DbHandle;
let demoId: string;
let serviceId: string;
let doctor: Actor;
let pool: Date[];
let standIns: MessageStandIns;
let made = 0;

function form(values: Record<string, string | string[]>): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(values)) for (const one of [v].flat()) f.append(k, one);
  return f;
}

async function newRequest() {
  made++;
  const email = `undo-${made}-${process.pid}@example.com`;
  const created = await createTestRequest(
    { clientAddress: testAddress(), baseUrl: 'http://localhost' },
    'demo',
    requestBody(serviceId, pool.shift()!, { patient: { name: `Undo Patient ${made}`, phone: `+346010${String(made).padStart(5, '0')}`, email } }),
  );
  return { ...created, email };
}

async function request(id: string) {
  const [row] = await handle.db.select().from(reservationRequests).where(eq(reservationRequests.id, id));
  return row;
}

beforeAll(async () => {
  handle = await setupTestDb();
  vi.spyOn(inngest, 'send').mockResolvedValue({ ids: [] } as never);
  vi.spyOn(console, 'info').mockImplementation(() => undefined);
  standIns = await startMessageStandIns({ phoneNumberId: '1098765', appUrl: 'http://localhost' });
  const demo = await demoPractice(handle.db);
  demoId = demo.profile.id;
  serviceId = demo.byMinutes(30).id;
  doctor = await actorByEmail(handle.db, 'doctor@demo.test');
  pool = await freeStarts(handle.db, demoId, 30, 20, 30);
});

afterAll(async () => {
  await standIns?.close();
});

describe('undo an approval or a rejection', () => {
  it('an approval undone within the window sends nothing, and the request is pending again with its deadline', async () => {
    const created = await newRequest();
    const before = await request(created.id);
    const t0 = new Date();
    const approved = await approveRequest(doctor, demoId, { requestId: created.id }, { now: t0, undoSeconds: UNDO_SECONDS });
    expect(approved.undoUntil?.getTime()).toBe(t0.getTime() + UNDO_SECONDS * 1000);

    // The confirmation waits for the window: a sweep now sends it nowhere.
    await sendDueNotifications({ now: new Date(t0.getTime() + 2000) });
    const waiting = await handle.db.select().from(notifications).where(and(eq(notifications.requestId, created.id), eq(notifications.kind, 'approved')));
    expect(waiting.length).toBeGreaterThan(0);
    expect(waiting.every((n) => n.status === 'pending' && n.dueAt.getTime() === t0.getTime() + UNDO_SECONDS * 1000)).toBe(true);

    const undone = await undoDecision(doctor, demoId, { requestId: created.id }, { now: new Date(t0.getTime() + 3000) });
    expect(undone).toMatchObject({ undone: 'approved', status: 'pending' });

    const after = await request(created.id);
    expect(after.status).toBe('pending');
    expect(after.expiresAt.getTime()).toBe(before.expiresAt.getTime());
    expect(after.decidedAt).toBeNull();
    expect(await handle.db.select().from(reservations).where(eq(reservations.requestId, created.id))).toEqual([]);
    const slots = await handle.db.select({ status: timeSlots.status }).from(timeSlots).where(eq(timeSlots.requestId, created.id));
    expect(slots.length).toBeGreaterThan(0);
    expect(slots.every((s) => s.status === 'pending_approval')).toBe(true);

    // Long after the window, the sweep still sends no confirmation: the rows were skipped.
    await sendDueNotifications({ now: new Date(t0.getTime() + 120_000) });
    const rows = await handle.db.select().from(notifications).where(and(eq(notifications.requestId, created.id), like(notifications.dedupeKey, '%:undone:%')));
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((n) => n.status === 'skipped' && n.skipReason === 'decision_undone' && n.sentAt === null)).toBe(true);
    expect(standIns.smtp.to(created.email).filter((m) => m.subject.startsWith('Appointment confirmed'))).toHaveLength(0);
    const [entry] = await handle.db.select().from(auditLog).where(and(eq(auditLog.action, 'request.decision_undone'), eq(auditLog.entityId, created.id)));
    expect(entry.details).toMatchObject({ undone: 'approved' });

    // A new approval writes its own messages, which do go out.
    const t1 = new Date();
    await approveRequest(doctor, demoId, { requestId: created.id }, { now: t1 });
    await sendDueNotifications({ now: new Date(t1.getTime() + 1000) });
    expect(standIns.smtp.to(created.email).filter((m) => m.subject.startsWith('Appointment confirmed'))).toHaveLength(1);
  });

  it('too late: after the window, or once a message left, the decision stands', async () => {
    const created = await newRequest();
    const t0 = new Date();
    await approveRequest(doctor, demoId, { requestId: created.id }, { now: t0, undoSeconds: UNDO_SECONDS });
    await expect(undoDecision(doctor, demoId, { requestId: created.id }, { now: new Date(t0.getTime() + UNDO_SECONDS * 1000 + 1) })).rejects.toMatchObject({
      code: 'conflict',
    });
    expect((await request(created.id)).status).toBe('approved');

    const sent = await newRequest();
    const t1 = new Date();
    await approveRequest(doctor, demoId, { requestId: sent.id }, { now: t1, undoSeconds: 0 });
    await sendDueNotifications({ now: new Date(t1.getTime() + 500) });
    await expect(undoDecision(doctor, demoId, { requestId: sent.id }, { now: new Date(t1.getTime() + 1000) })).rejects.toMatchObject({ code: 'conflict' });
    expect((await request(sent.id)).status).toBe('approved');
  });

  it('a rejection undone holds the time again; refused if the time was taken meanwhile', async () => {
    const created = await newRequest();
    const t0 = new Date();
    await rejectRequest(doctor, demoId, { requestId: created.id, reason: 'Not this week.' }, { now: t0, undoSeconds: UNDO_SECONDS });
    expect(await handle.db.select().from(timeSlots).where(eq(timeSlots.requestId, created.id))).toEqual([]);
    const undone = await undoDecision(doctor, demoId, { requestId: created.id }, { now: new Date(t0.getTime() + 2000) });
    expect(undone).toMatchObject({ undone: 'rejected', status: 'pending' });
    const held = await handle.db.select({ status: timeSlots.status }).from(timeSlots).where(eq(timeSlots.requestId, created.id));
    expect(held.length).toBeGreaterThan(0);
    expect((await request(created.id)).decisionReason).toBeNull();

    // Rejected again, the time taken by someone else, then undo: refused, the rejection stands.
    const t1 = new Date();
    await rejectRequest(doctor, demoId, { requestId: created.id, reason: 'Not this week.' }, { now: t1, undoSeconds: UNDO_SECONDS });
    await createTestRequest({ clientAddress: testAddress(), baseUrl: 'http://localhost' }, 'demo', requestBody(serviceId, created.startsAt ? new Date(created.startsAt) : new Date()));
    await expect(undoDecision(doctor, demoId, { requestId: created.id }, { now: new Date(t1.getTime() + 1000) })).rejects.toMatchObject({ code: 'slot_unavailable' });
    expect((await request(created.id)).status).toBe('rejected');
  });

  it('the admin cannot undo; another practice’s request is not found', async () => {
    const created = await newRequest();
    const t0 = new Date();
    await approveRequest(doctor, demoId, { requestId: created.id }, { now: t0, undoSeconds: UNDO_SECONDS });
    const admin = await actorByEmail(handle.db, 'admin@demo.test');
    await expect(undoDecision(admin, demoId, { requestId: created.id }, { now: t0 })).rejects.toMatchObject({ code: 'forbidden' });
    const other = await actorByEmail(handle.db, 'doctor2@demo.test');
    const demo2 = other.memberships[0].profileId;
    await expect(undoDecision(other, demo2, { requestId: created.id }, { now: t0 })).rejects.toMatchObject({ code: 'not_found' });
    expect((await request(created.id)).status).toBe('approved');
  });

  it('through the actions: approve says how to undo, undo puts it back', async () => {
    session.actor = doctor;
    const created = await newRequest();
    const approved = await approveRequestAction(undefined, form({ profileId: demoId, requestId: created.id }));
    expect(approved).toMatchObject({ ok: true, values: { undoRequestId: created.id } });
    const undone = await undoDecisionAction(undefined, form({ profileId: demoId, requestId: created.id }));
    expect(undone).toMatchObject({ ok: true, message: expect.stringMatching(/^Undone:/) });
    expect((await request(created.id)).status).toBe('pending');
  });
});

describe('bulk approve', () => {
  it('approves every selected request on its own and says which could not be', async () => {
    const a = await newRequest();
    const b = await newRequest();
    const c = await newRequest();
    await rejectRequest(doctor, demoId, { requestId: c.id, reason: 'Duplicate.' });
    const result = await approveRequests(doctor, demoId, { requestIds: [a.id, b.id, c.id] });
    expect(result.approved.map((r) => r.requestId).sort()).toEqual([a.id, b.id].sort());
    expect(result.refused).toEqual([{ requestId: c.id, message: 'This request was already rejected.' }]);
    expect((await request(a.id)).status).toBe('approved');
    expect((await request(b.id)).status).toBe('approved');

    const d = await newRequest();
    session.actor = doctor;
    const viaAction = await approveSelectedAction(undefined, form({ profileId: demoId, 'requestIds[]': [d.id, a.id] }));
    expect(viaAction).toMatchObject({ ok: true, message: expect.stringMatching(/^Approved 1 request\./) });
    const admin = await actorByEmail(handle.db, 'admin@demo.test');
    await expect(approveRequests(admin, demoId, { requestIds: [d.id] })).rejects.toMatchObject({ code: 'forbidden' });
  });
});

describe('a decision inside a caller’s transaction', () => {
  it('commits with the caller, never before: a caller that rolls back leaves the request pending', async () => {
    // On node-postgres a decision that owns its transaction sends its write with the COMMIT;
    // given the caller's transaction, it must leave the commit to the caller.
    const approved = await newRequest();
    const rejected = await newRequest();
    const err = await transaction(undefined, async (tx) => {
      await approveRequest(doctor, demoId, { requestId: approved.id }, { tx });
      await rejectRequest(doctor, demoId, { requestId: rejected.id, reason: 'Please call us first.' }, { tx });
      expect((await tx.select({ status: reservationRequests.status }).from(reservationRequests).where(eq(reservationRequests.id, approved.id)))[0].status).toBe('approved');
      throw new Error('the caller changes its mind');
    }).then(
      () => null,
      (e: unknown) => e,
    );
    expect((err as Error).message).toBe('the caller changes its mind');
    expect((await request(approved.id)).status).toBe('pending');
    expect((await request(rejected.id)).status).toBe('pending');
    // On their own, each commits (its last statement carrying the COMMIT).
    await approveRequest(doctor, demoId, { requestId: approved.id });
    await rejectRequest(doctor, demoId, { requestId: rejected.id, reason: 'Please call us first.' });
    expect((await request(approved.id)).status).toBe('approved');
    expect((await request(rejected.id)).status).toBe('rejected');
  });
});
