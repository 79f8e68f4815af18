import { beforeAll, describe, expect, it } from 'vitest';
import { and, asc, eq } from 'drizzle-orm';
import type { DbHandle } from '@/db/client';
import { auditLog, notifications, requestProposals, reservationRequests, reservations, timeSlots } from '@/db/schema';
import { approveRequest, rejectRequest } from '@/lib/approval';
import type { Actor } from '@/lib/auth/actor';
import { expireRequest } from '@/lib/booking/expire';
import { cancelRequestByToken } from '@/lib/booking/status';
import { acceptProposal, offeredTimes, proposeTimes } from '@/lib/proposals';
import { setupTestDb } from '../helpers/db';
import { actorByEmail } from '../helpers/actors';
import { createTestRequest, demoPractice, freeStarts, requestBody, testAddress } from '../helpers/booking';
import { addMember } from '../helpers/members';

let handle: DbHandle;
let demoId: string;
let serviceId: string;
let doctor: Actor;
let pool: Date[];

/** Three distinct free starts of 30 minutes, taken from a shared pool so no two tests collide. */
function take(n: number): Date[] {
  const out = pool.splice(0, n);
  if (out.length < n) throw new Error('pool exhausted');
  return out;
}

async function newRequest(start: Date) {
  return createTestRequest({ clientAddress: testAddress(), baseUrl: 'http://localhost' }, 'demo', requestBody(serviceId, start));
}

async function slotsOf(requestId: string) {
  return handle.db.select({ startsAt: timeSlots.startsAt, status: timeSlots.status }).from(timeSlots).where(eq(timeSlots.requestId, requestId)).orderBy(asc(timeSlots.startsAt));
}

async function statusAt(start: Date) {
  const rows = await handle.db
    .select({ status: timeSlots.status, requestId: timeSlots.requestId })
    .from(timeSlots)
    .where(and(eq(timeSlots.profileId, demoId), eq(timeSlots.startsAt, start)));
  return rows[0];
}

async function requestRow(id: string) {
  const [row] = await handle.db.select().from(reservationRequests).where(eq(reservationRequests.id, id));
  return row;
}

/**
 * The invariant every race must end in: an ended request holds nothing; an approved one holds
 * exactly its appointment's slots, reserved; a pending one holds only pending slots.
 */
async function expectConsistent(requestId: string) {
  const request = await requestRow(requestId);
  const slots = await slotsOf(requestId);
  if (['cancelled', 'expired', 'rejected'].includes(request.status)) {
    expect(slots).toEqual([]);
  } else if (request.status === 'approved') {
    const [reservation] = await handle.db.select().from(reservations).where(eq(reservations.requestId, requestId));
    expect(reservation.startsAt.getTime()).toBe(request.startsAt.getTime());
    if (reservation.status === 'cancelled') {
      expect(slots).toEqual([]);
      return request.status;
    }
    expect(slots.length).toBeGreaterThan(0);
    expect(slots.every((s) => s.status === 'reserved' && s.startsAt >= reservation.startsAt && s.startsAt < reservation.endsAt)).toBe(true);
  } else {
    expect(slots.every((s) => s.status === 'pending_approval')).toBe(true);
  }
  return request.status;
}

beforeAll(async () => {
  handle = await setupTestDb();
  const demo = await demoPractice(handle.db);
  demoId = demo.profile.id;
  serviceId = demo.byMinutes(30).id;
  doctor = await actorByEmail(handle.db, 'doctor@demo.test');
  pool = await freeStarts(handle.db, demoId, 30, 40, 30);
});

describe('propose another time', () => {
  it('holds the offered times instead of the requested one; the patient accepts one; the other is free again', async () => {
    const [asked, first, second] = take(3);
    const created = await newRequest(asked);
    const proposed = await proposeTimes(doctor, demoId, { requestId: created.id, startsAt: [first.toISOString(), second.toISOString()] });
    expect(proposed.times.map((t) => t.startsAt.getTime())).toEqual([first.getTime(), second.getTime()]);

    expect(await statusAt(asked)).toMatchObject({ status: 'available', requestId: null });
    expect(await statusAt(first)).toMatchObject({ status: 'pending_approval', requestId: created.id });
    expect(await statusAt(second)).toMatchObject({ status: 'pending_approval', requestId: created.id });
    expect((await requestRow(created.id)).proposedAt).not.toBeNull();
    const [message] = await handle.db.select().from(notifications).where(and(eq(notifications.requestId, created.id), eq(notifications.kind, 'proposed')));
    expect(message.body).toContain('offers');
    const [entry] = await handle.db.select().from(auditLog).where(and(eq(auditLog.action, 'request.times_proposed'), eq(auditLog.entityId, created.id)));
    expect(entry.actorUserId).toBe(doctor.userId);

    // The original time is no longer the doctor's to approve: the patient answers now.
    await expect(approveRequest(doctor, demoId, { requestId: created.id })).rejects.toMatchObject({ code: 'request_not_pending' });

    const offered = await offeredTimes(created.token);
    expect(offered).toHaveLength(2);
    const accepted = await acceptProposal(created.token, { proposalId: offered[1].id });
    expect(accepted.startsAt.getTime()).toBe(second.getTime());

    const request = await requestRow(created.id);
    expect(request.status).toBe('approved');
    expect(request.startsAt.getTime()).toBe(second.getTime());
    const [reservation] = await handle.db.select().from(reservations).where(eq(reservations.requestId, created.id));
    expect(reservation.startsAt.getTime()).toBe(second.getTime());
    expect(await statusAt(second)).toMatchObject({ status: 'reserved', requestId: created.id });
    expect(await statusAt(first)).toMatchObject({ status: 'available', requestId: null });
    const proposals = await handle.db.select().from(requestProposals).where(eq(requestProposals.requestId, created.id)).orderBy(asc(requestProposals.startsAt));
    expect(proposals.map((p) => p.status)).toEqual(['released', 'accepted']);
    await expectConsistent(created.id);
    // Accepting twice is refused and changes nothing.
    await expect(acceptProposal(created.token, { proposalId: offered[0].id })).rejects.toMatchObject({ code: 'request_not_pending' });
    expect(await statusAt(first)).toMatchObject({ status: 'available' });
  });

  it('refuses a taken time, the requested time and more than three, keeping the request as it was', async () => {
    const [asked, other, taken] = take(3);
    await newRequest(taken);
    const created = await newRequest(asked);
    await expect(proposeTimes(doctor, demoId, { requestId: created.id, startsAt: [other.toISOString(), taken.toISOString()] })).rejects.toMatchObject({
      code: 'slot_unavailable',
    });
    await expect(proposeTimes(doctor, demoId, { requestId: created.id, startsAt: [asked.toISOString()] })).rejects.toMatchObject({ code: 'invalid_request' });
    const four = [1, 2, 3, 4].map((h) => new Date(other.getTime() + h * 86_400_000).toISOString());
    await expect(proposeTimes(doctor, demoId, { requestId: created.id, startsAt: four })).rejects.toMatchObject({ code: 'invalid_request' });
    // Nothing moved: the requested time is still held, the other one free.
    expect(await statusAt(asked)).toMatchObject({ status: 'pending_approval', requestId: created.id });
    expect(await statusAt(other)).toMatchObject({ status: 'available' });
    expect((await requestRow(created.id)).proposedAt).toBeNull();
  });

  it('is refused to the admin, and to the front desk unless the practice allows it', async () => {
    const [asked, other] = take(2);
    const created = await newRequest(asked);
    const admin = await actorByEmail(handle.db, 'admin@demo.test');
    await expect(proposeTimes(admin, demoId, { requestId: created.id, startsAt: [other.toISOString()] })).rejects.toMatchObject({ code: 'forbidden' });
    const desk = await addMember(handle.db, demoId, ['front_desk']);
    await expect(proposeTimes(desk, demoId, { requestId: created.id, startsAt: [other.toISOString()] })).rejects.toMatchObject({ code: 'forbidden' });
    const demo2 = await demoPractice(handle.db, 'demo-2');
    await expect(proposeTimes(doctor, demo2.profile.id, { requestId: created.id, startsAt: [other.toISOString()] })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('rejecting after proposing releases the offered times', async () => {
    const [asked, other] = take(2);
    const created = await newRequest(asked);
    await proposeTimes(doctor, demoId, { requestId: created.id, startsAt: [other.toISOString()] });
    await rejectRequest(doctor, demoId, { requestId: created.id, reason: 'Fully booked this month.' });
    expect(await statusAt(other)).toMatchObject({ status: 'available' });
    expect(await offeredTimes(created.token)).toEqual([]);
    await expectConsistent(created.id);
  });
});

describe('races: proposal, the patient’s cancel and the expiry end consistent in either order', () => {
  it('propose, then the patient cancels: everything is released and the offer cannot be taken', async () => {
    const [asked, other] = take(2);
    const created = await newRequest(asked);
    await proposeTimes(doctor, demoId, { requestId: created.id, startsAt: [other.toISOString()] });
    const [offer] = await offeredTimes(created.token);
    await cancelRequestByToken(created.token);
    expect(await expectConsistent(created.id)).toBe('cancelled');
    expect(await statusAt(other)).toMatchObject({ status: 'available' });
    await expect(acceptProposal(created.token, { proposalId: offer.id })).rejects.toMatchObject({ code: 'request_not_pending' });
  });

  it('the patient cancels, then the doctor proposes: refused, nothing held', async () => {
    const [asked, other] = take(2);
    const created = await newRequest(asked);
    await cancelRequestByToken(created.token);
    await expect(proposeTimes(doctor, demoId, { requestId: created.id, startsAt: [other.toISOString()] })).rejects.toMatchObject({ code: 'request_not_pending' });
    expect(await statusAt(other)).toMatchObject({ status: 'available' });
    expect(await expectConsistent(created.id)).toBe('cancelled');
  });

  it('propose, then the deadline passes: the request expires and every offered time is free', async () => {
    const [asked, other] = take(2);
    const created = await newRequest(asked);
    await proposeTimes(doctor, demoId, { requestId: created.id, startsAt: [other.toISOString()] });
    const [offer] = await offeredTimes(created.token);
    const after = new Date(new Date(created.expiresAt).getTime() + 1000);
    expect(await expireRequest(created.id, { now: after })).toBe(true);
    expect(await expectConsistent(created.id)).toBe('expired');
    expect(await statusAt(other)).toMatchObject({ status: 'available' });
    await expect(acceptProposal(created.token, { proposalId: offer.id }, { now: after })).rejects.toMatchObject({ code: 'request_expired' });
  });

  it('the deadline passes, then the doctor proposes: refused as expired, nothing held', async () => {
    const [asked, other] = take(2);
    const created = await newRequest(asked);
    const after = new Date(new Date(created.expiresAt).getTime() + 1000);
    await expect(proposeTimes(doctor, demoId, { requestId: created.id, startsAt: [other.toISOString()] }, { now: after })).rejects.toMatchObject({
      code: 'request_expired',
    });
    expect(await expectConsistent(created.id)).toBe('expired');
    expect(await statusAt(other)).toMatchObject({ status: 'available' });
  });

  it('accepted before the deadline, then the expiry runs: the appointment stands', async () => {
    const [asked, other] = take(2);
    const created = await newRequest(asked);
    await proposeTimes(doctor, demoId, { requestId: created.id, startsAt: [other.toISOString()] });
    const [offer] = await offeredTimes(created.token);
    await acceptProposal(created.token, { proposalId: offer.id });
    expect(await expireRequest(created.id, { now: new Date(new Date(created.expiresAt).getTime() + 1000) })).toBe(false);
    expect(await expectConsistent(created.id)).toBe('approved');
  });

  it('at the same moment: proposal against cancel, accept against cancel, accept against expiry', async () => {
    for (let round = 0; round < 3; round++) {
      const [asked, other] = take(2);
      const created = await newRequest(asked);
      await Promise.allSettled([proposeTimes(doctor, demoId, { requestId: created.id, startsAt: [other.toISOString()] }), cancelRequestByToken(created.token)]);
      expect(await expectConsistent(created.id)).toBe('cancelled');
      expect(await statusAt(other)).toMatchObject({ status: 'available' });
    }
    {
      const [asked, other] = take(2);
      const created = await newRequest(asked);
      await proposeTimes(doctor, demoId, { requestId: created.id, startsAt: [other.toISOString()] });
      const [offer] = await offeredTimes(created.token);
      await Promise.allSettled([acceptProposal(created.token, { proposalId: offer.id }), cancelRequestByToken(created.token)]);
      // Either the request was cancelled first, or it was accepted and the cancel then cancelled the appointment.
      const status = await expectConsistent(created.id);
      const [reservation] = await handle.db.select().from(reservations).where(eq(reservations.requestId, created.id));
      if (status === 'approved') expect(reservation.status).toBe('cancelled');
      expect(await statusAt(other)).toMatchObject({ status: 'available' });
    }
    {
      const [asked, other] = take(2);
      const created = await newRequest(asked);
      await proposeTimes(doctor, demoId, { requestId: created.id, startsAt: [other.toISOString()] });
      const [offer] = await offeredTimes(created.token);
      const after = new Date(new Date(created.expiresAt).getTime() + 1000);
      const [accept, expire] = await Promise.allSettled([acceptProposal(created.token, { proposalId: offer.id }), expireRequest(created.id, { now: after })]);
      const status = await expectConsistent(created.id);
      expect(['approved', 'expired']).toContain(status);
      expect(accept.status === 'fulfilled').toBe(status === 'approved');
      expect(expire.status === 'fulfilled' && expire.value).toBe(status === 'expired');
    }
  });
});
