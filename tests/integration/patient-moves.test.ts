import { beforeAll, describe, expect, it } from 'vitest';
import { and, asc, eq } from 'drizzle-orm';
import type { DbHandle } from '@/db/client';
import { auditLog, notifications, profiles, requestMoves, reservationRequests, reservations, timeSlots } from '@/db/schema';
import { approveRequest } from '@/lib/approval';
import type { Actor } from '@/lib/auth/actor';
import { findBookableStarts } from '@/lib/availability/query';
import { localDateOf } from '@/lib/availability/time';
import { moveContext, moveRequest, withdrawMove } from '@/lib/booking/move';
import { appliedMovesByRequest, approveMove, expireOverdueMoves, listPendingMoves, rejectMove } from '@/lib/booking/move-decide';
import { cancelRequestByToken } from '@/lib/booking/status';
import type { DomainError } from '@/lib/errors';
import { localizeError } from '@/lib/i18n/errors';
import { setupTestDb, testDbKind } from '../helpers/db';
import { actorByEmail } from '../helpers/actors';
import { createTestRequest, demoPractice, freeStarts, requestBody, testAddress, testPhone } from '../helpers/booking';

/*
 * Moves by the patient (issue 15, lib/booking/move-rules.ts) on the real database: a pending
 * request moves at once; an appointment's move waits for the practice, who approves it or keeps the
 * original; limits; the races with the doctor's approval in both orders; the old time is offered
 * again exactly when the rules say.
 */

let handle: DbHandle;
let demoId: string;
let serviceId: string;
let timeZone: string;
let doctor: Actor;
let pool: Date[];

function take(n: number): Date[] {
  const out = pool.splice(0, n);
  if (out.length < n) throw new Error('pool exhausted');
  return out;
}

/** Past the few seconds after an approval during which a move waits (the approval may be undone). */
const later = () => new Date(Date.now() + 15_000);

async function newRequest(start: Date, patient?: Record<string, unknown>) {
  const body = requestBody(serviceId, start);
  return createTestRequest({ clientAddress: testAddress(), baseUrl: 'http://localhost' }, 'demo', patient ? { ...body, patient: { ...body.patient, ...patient } } : body);
}

async function approved(start: Date, patient?: Record<string, unknown>) {
  const created = await newRequest(start, patient);
  await approveRequest(doctor, demoId, { requestId: created.id });
  return created;
}

async function statusAt(start: Date) {
  const [row] = await handle.db
    .select({ status: timeSlots.status, requestId: timeSlots.requestId })
    .from(timeSlots)
    .where(and(eq(timeSlots.profileId, demoId), eq(timeSlots.startsAt, start)));
  return row;
}

/** Whether the booking page offers this start for the service now. */
async function offered(start: Date, now = new Date()): Promise<boolean> {
  const day = localDateOf(start, timeZone);
  const { starts } = await findBookableStarts({ profileId: demoId }, { serviceId, from: day, to: day }, { now });
  return starts.some((s) => s.startsAt.getTime() === start.getTime());
}

async function heldBy(requestId: string) {
  return handle.db.select({ startsAt: timeSlots.startsAt, status: timeSlots.status }).from(timeSlots).where(eq(timeSlots.requestId, requestId)).orderBy(asc(timeSlots.startsAt));
}

async function requestRow(id: string) {
  const [row] = await handle.db.select().from(reservationRequests).where(eq(reservationRequests.id, id));
  return row;
}

async function kinds(requestId: string) {
  const rows = await handle.db.select({ kind: notifications.kind, body: notifications.body }).from(notifications).where(eq(notifications.requestId, requestId));
  return rows;
}

/** An approved request holds exactly its appointment's time, reserved (plus, with a pending move, the asked time held). */
async function expectAppointmentAt(requestId: string, start: Date, held: Date | null) {
  const request = await requestRow(requestId);
  const [reservation] = await handle.db.select().from(reservations).where(eq(reservations.requestId, requestId));
  expect(request.status).toBe('approved');
  expect(request.startsAt.getTime()).toBe(start.getTime());
  expect(reservation.startsAt.getTime()).toBe(start.getTime());
  const slots = await heldBy(requestId);
  const reserved = slots.filter((s) => s.status === 'reserved');
  const pending = slots.filter((s) => s.status === 'pending_approval');
  expect(reserved.every((s) => s.startsAt >= reservation.startsAt && s.startsAt < reservation.endsAt)).toBe(true);
  expect(reserved.length).toBeGreaterThan(0);
  if (held) expect(pending[0]?.startsAt.getTime()).toBe(held.getTime());
  else expect(pending).toEqual([]);
}

beforeAll(async () => {
  handle = await setupTestDb();
  const demo = await demoPractice(handle.db);
  demoId = demo.profile.id;
  timeZone = demo.profile.timeZone;
  serviceId = demo.byMinutes(30).id;
  doctor = await actorByEmail(handle.db, 'doctor@demo.test');
  pool = await freeStarts(handle.db, demoId, 30, 40, 30);
});

describe('a pending request moves at once', () => {
  it('holds the new time, frees the old one in the same transaction, and the doctor sees "was … asks …"', async () => {
    const [a, b] = take(2);
    const created = await newRequest(a);
    const before = await requestRow(created.id);
    expect(await offered(a)).toBe(false);

    const moved = await moveRequest(created.token, { startsAt: b.toISOString() }, { baseUrl: 'http://localhost' });
    expect(moved.status).toBe('applied');
    expect(await statusAt(a)).toMatchObject({ status: 'available', requestId: null });
    expect(await statusAt(b)).toMatchObject({ status: 'pending_approval', requestId: created.id });
    expect(await offered(a)).toBe(true);
    expect(await offered(b)).toBe(false);
    const after = await requestRow(created.id);
    expect(after.status).toBe('pending');
    expect(after.startsAt.getTime()).toBe(b.getTime());
    expect(after.moveCount).toBe(1);
    // Moving does not buy the practice more time to answer.
    expect(after.expiresAt.getTime()).toBeLessThanOrEqual(before.expiresAt.getTime());

    const was = await appliedMovesByRequest(handle.db, demoId, [created.id]);
    expect(was.get(created.id)?.fromStartsAt.getTime()).toBe(a.getTime());
    const messages = await kinds(created.id);
    expect(messages.map((m) => m.kind)).toEqual(expect.arrayContaining(['moved', 'move_requested']));
    expect(messages.find((m) => m.kind === 'move_requested')!.body).toMatch(/was .* asks /);
    const [entry] = await handle.db.select().from(auditLog).where(and(eq(auditLog.action, 'request.moved'), eq(auditLog.entityId, created.id)));
    expect(entry.actorKind).toBe('patient');

    // The doctor approves it at the new time.
    const result = await approveRequest(doctor, demoId, { requestId: created.id });
    expect(result.startsAt.getTime()).toBe(b.getTime());
    await expectAppointmentAt(created.id, b, null);
  });

  it('refuses a taken time and the same time, leaving the request as it was', async () => {
    const [a, b] = take(2);
    await newRequest(b);
    const created = await newRequest(a);
    await expect(moveRequest(created.token, { startsAt: b.toISOString() })).rejects.toMatchObject({ code: 'slot_unavailable' });
    await expect(moveRequest(created.token, { startsAt: a.toISOString() })).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(moveRequest(created.token, { startsAt: 'soon' })).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(moveRequest('not-a-token', { startsAt: b.toISOString() })).rejects.toMatchObject({ code: 'not_found' });
    expect(await statusAt(a)).toMatchObject({ status: 'pending_approval', requestId: created.id });
    expect((await requestRow(created.id)).moveCount).toBe(0);
  });
});

describe('an appointment moves when the practice approves', () => {
  it('holds the asked time beside the appointment; approving moves it and frees the old time', async () => {
    const [a, b] = take(2);
    const created = await approved(a);
    const moved = await moveRequest(created.token, { startsAt: b.toISOString() }, { now: later() });
    expect(moved.status).toBe('pending');
    // Both held until the practice answers: neither is offered.
    await expectAppointmentAt(created.id, a, b);
    expect(await offered(a)).toBe(false);
    expect(await offered(b)).toBe(false);
    const context = await moveContext(created.token, { now: later() });
    expect(context.pendingMove?.toStartsAt.getTime()).toBe(b.getTime());
    expect(context.refusal).toMatch(/already asked/);

    const list = await listPendingMoves(doctor, demoId);
    const item = list.find((m) => m.requestId === created.id)!;
    expect(item.from.startsAt.getTime()).toBe(a.getTime());
    expect(item.to.startsAt.getTime()).toBe(b.getTime());

    const decided = await approveMove(doctor, demoId, { moveId: moved.moveId });
    expect(decided.startsAt.getTime()).toBe(b.getTime());
    await expectAppointmentAt(created.id, b, null);
    expect(await offered(a)).toBe(true);
    expect(await statusAt(a)).toMatchObject({ status: 'available', requestId: null });
    const [move] = await handle.db.select().from(requestMoves).where(eq(requestMoves.id, moved.moveId));
    expect(move).toMatchObject({ status: 'approved', decidedBy: doctor.userId });
    const messages = await handle.db.select().from(notifications).where(eq(notifications.requestId, created.id));
    const confirmation = messages.find((m) => m.kind === 'move_approved')!;
    expect(JSON.stringify(confirmation.payload)).toContain('SEQUENCE:1');
    // The old time's reminders never leave; the new time's are queued under the usual keys.
    const reminders = messages.filter((m) => m.kind === 'reminder');
    expect(reminders.filter((m) => m.status === 'pending').every((m) => m.dueAt < b)).toBe(true);
    expect(reminders.some((m) => m.skipReason === 'appointment_moved')).toBe(true);
    // Answering twice is refused.
    await expect(rejectMove(doctor, demoId, { moveId: moved.moveId })).rejects.toMatchObject({ code: 'conflict' });
  });

  it('"Keep original" frees the asked time and the appointment stays', async () => {
    const [a, b] = take(2);
    const created = await approved(a);
    const moved = await moveRequest(created.token, { startsAt: b.toISOString() }, { now: later() });
    await rejectMove(doctor, demoId, { moveId: moved.moveId });
    await expectAppointmentAt(created.id, a, null);
    expect(await offered(b)).toBe(true);
    expect((await kinds(created.id)).map((m) => m.kind)).toContain('move_declined');
  });

  it('the patient may keep their time; a cancel withdraws the move; the sweep frees an unanswered one', async () => {
    const [a, b, c, d, e] = take(5);
    const kept = await approved(a);
    const first = await moveRequest(kept.token, { startsAt: b.toISOString() }, { now: later() });
    expect(await withdrawMove(kept.token)).toEqual({ withdrawn: true });
    await expectAppointmentAt(kept.id, a, null);
    expect(await offered(b)).toBe(true);
    await expect(approveMove(doctor, demoId, { moveId: first.moveId })).rejects.toMatchObject({ code: 'conflict' });

    const cancelled = await approved(c);
    const second = await moveRequest(cancelled.token, { startsAt: d.toISOString() }, { now: later() });
    await cancelRequestByToken(cancelled.token);
    expect(await heldBy(cancelled.id)).toEqual([]);
    expect(await offered(c)).toBe(true);
    expect(await offered(d)).toBe(true);
    const [withdrawn] = await handle.db.select().from(requestMoves).where(eq(requestMoves.id, second.moveId));
    expect(withdrawn.status).toBe('withdrawn');

    // Unanswered until its deadline (asked + the approval window of 24 h): the sweep frees it then, not before.
    const unanswered = await approved(e);
    const [f] = take(1);
    const third = await moveRequest(unanswered.token, { startsAt: f.toISOString() }, { now: later() });
    expect(await expireOverdueMoves({ now: new Date(Date.now() + 60 * 60_000) })).toBe(0);
    await expectAppointmentAt(unanswered.id, e, f);
    const deadline = (await listPendingMoves(doctor, demoId)).find((m) => m.moveId === third.moveId)!.deadline;
    expect(await expireOverdueMoves({ now: new Date(deadline.getTime() + 1000) })).toBeGreaterThanOrEqual(1);
    await expectAppointmentAt(unanswered.id, e, null);
    expect((await kinds(unanswered.id)).find((m) => m.kind === 'move_declined')?.body).toMatch(/in time/);
  });

  it('is answered only by those who answer requests, and only in their practice', async () => {
    const [a, b] = take(2);
    const created = await approved(a);
    const moved = await moveRequest(created.token, { startsAt: b.toISOString() }, { now: later() });
    const admin = await actorByEmail(handle.db, 'admin@demo.test');
    await expect(approveMove(admin, demoId, { moveId: moved.moveId })).rejects.toMatchObject({ code: 'forbidden' });
    const other = await actorByEmail(handle.db, 'doctor2@demo.test');
    const demo2 = other.memberships[0].profileId;
    await expect(approveMove(other, demoId, { moveId: moved.moveId })).rejects.toMatchObject({ code: 'not_found' });
    await expect(approveMove(other, demo2, { moveId: moved.moveId })).rejects.toMatchObject({ code: 'not_found' });
    await expect(rejectMove(other, demo2, { moveId: moved.moveId })).rejects.toMatchObject({ code: 'not_found' });
    expect((await listPendingMoves(other, demo2)).some((m) => m.moveId === moved.moveId)).toBe(false);
    await expectAppointmentAt(created.id, a, b);
  });
});

describe('limits', () => {
  it('no later than the cutoff before the start, and at most the practice’s number of moves', async () => {
    const [a, b, c, d] = take(4);
    const created = await newRequest(a);
    await handle.db.update(profiles).set({ moveCutoffMinutes: 30 * 1440 }).where(eq(profiles.id, demoId));
    try {
      const refusal = await moveRequest(created.token, { startsAt: b.toISOString() }).catch((err: unknown) => err as DomainError);
      expect(refusal).toMatchObject({ code: 'conflict', message: expect.stringMatching(/up to 30 days before the start/) });
      // A Spanish page says it in Spanish: the span and the instant in the reader's words.
      expect(localizeError((refusal as DomainError).message, 'es', 'conflict')).toMatch(/^La hora se puede cambiar en línea hasta 30 días antes del inicio \(.+\)\. Para cambiarla ahora, contacte con la consulta\.$/);
    } finally {
      await handle.db.update(profiles).set({ moveCutoffMinutes: 1440 }).where(eq(profiles.id, demoId));
    }
    await moveRequest(created.token, { startsAt: b.toISOString() });
    await moveRequest(created.token, { startsAt: c.toISOString() });
    const limit = await moveRequest(created.token, { startsAt: d.toISOString() }).catch((err: unknown) => err as DomainError);
    expect(limit).toMatchObject({ code: 'conflict', message: expect.stringMatching(/moved 2 times/) });
    expect(localizeError((limit as DomainError).message, 'es', 'conflict')).toMatch(/^Esta solicitud ya se ha cambiado 2 veces, lo máximo que .+ permite en línea\./);
    expect(await statusAt(c)).toMatchObject({ status: 'pending_approval', requestId: created.id });
    expect(await offered(a)).toBe(true);
    expect(await offered(b)).toBe(true);
    expect(await offered(d)).toBe(true);

    await handle.db.update(profiles).set({ maxMovesPerRequest: 0 }).where(eq(profiles.id, demoId));
    try {
      const [e, f] = take(2);
      const none = await newRequest(e);
      await expect(moveRequest(none.token, { startsAt: f.toISOString() })).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/does not take moves online/) });
    } finally {
      await handle.db.update(profiles).set({ maxMovesPerRequest: 2 }).where(eq(profiles.id, demoId));
    }
  });

  it('never two held times beyond the contact’s cap: a waiting move counts as a pending request', async () => {
    const phone = testPhone();
    const patient = { phone, name: 'Marta Ruiz' };
    const [a, b, c, d, e] = take(5);
    const appointment = await approved(a, patient);
    const first = await newRequest(b, patient);
    await newRequest(c, patient);
    // Two requests waiting (the cap): asking to move the appointment would hold a third time.
    await expect(moveRequest(appointment.token, { startsAt: d.toISOString() }, { now: later() })).rejects.toMatchObject({ code: 'too_many_pending' });
    expect(await offered(d)).toBe(true);
    await cancelRequestByToken(first.token);
    await moveRequest(appointment.token, { startsAt: d.toISOString() }, { now: later() });
    // Now one pending request and one waiting move: a new request is refused.
    await expect(newRequest(e, patient)).rejects.toMatchObject({ code: 'too_many_pending' });
  });
});

// Two transactions open at once need two connections: the machine's Postgres (PGlite has one).
describe.skipIf(testDbKind() !== 'postgres')('races with the doctor’s approval of the original end consistent in both orders', () => {
  it('the move commits first: the doctor approves the request at its new time', async () => {
    const [a, b] = take(2);
    const created = await newRequest(a);
    let approval: ReturnType<typeof approveRequest> | undefined;
    await handle.db.transaction(async (tx) => {
      await moveRequest(created.token, { startsAt: b.toISOString() }, { tx });
      // The doctor clicks Approve while the move holds the request: their transaction waits for it.
      approval = approveRequest(doctor, demoId, { requestId: created.id });
      await new Promise((r) => setTimeout(r, 300));
    });
    const result = await approval!;
    expect(result.startsAt.getTime()).toBe(b.getTime());
    await expectAppointmentAt(created.id, b, null);
    expect(await offered(a)).toBe(true);
  });

  it('the approval commits first: the move becomes a move of the appointment, waiting for the practice', async () => {
    const [a, b] = take(2);
    const created = await newRequest(a);
    const at = later();
    let move: ReturnType<typeof moveRequest> | undefined;
    await handle.db.transaction(async (tx) => {
      await approveRequest(doctor, demoId, { requestId: created.id }, { tx, now: new Date(at.getTime() - 12_000) });
      move = moveRequest(created.token, { startsAt: b.toISOString() }, { now: at });
      await new Promise((r) => setTimeout(r, 300));
    });
    const moved = await move!;
    expect(moved.status).toBe('pending');
    await expectAppointmentAt(created.id, a, b);
    expect(await offered(a, at)).toBe(false);
    await approveMove(doctor, demoId, { moveId: moved.moveId });
    await expectAppointmentAt(created.id, b, null);
  });

});

describe('a move and an approval sent at once', () => {
  it('either one wins first and the end state is one of the two above', async () => {
    const [a, b] = take(2);
    const created = await newRequest(a);
    const [approval, move] = await Promise.allSettled([
      approveRequest(doctor, demoId, { requestId: created.id }),
      moveRequest(created.token, { startsAt: b.toISOString() }),
    ]);
    expect(approval.status).toBe('fulfilled');
    const request = await requestRow(created.id);
    expect(request.status).toBe('approved');
    if (move.status === 'fulfilled') {
      // The move came first (applied): approved at the new time.
      expect(move.value.status).toBe('applied');
      await expectAppointmentAt(created.id, b, null);
    } else {
      // The approval came first: the move waits a few seconds after an answer.
      expect(move.reason).toMatchObject({ code: 'conflict' });
      await expectAppointmentAt(created.id, a, null);
    }
  });
});
