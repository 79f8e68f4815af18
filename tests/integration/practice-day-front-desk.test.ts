import { beforeAll, describe, expect, it, vi } from 'vitest';
import { and, eq } from 'drizzle-orm';
import type { DbHandle } from '@/db/client';
import { auditLog, notifications, profiles, reservationRequests, reservations, timeSlots } from '@/db/schema';
import { bookPhoneInAction } from '@/app/dashboard/appointments/actions';
import { saveNoteAction } from '@/app/dashboard/appointments/[id]/note-actions';
import { approveRequestAction } from '@/app/dashboard/requests/actions';
import { bookPhoneIn, cancelAppointment, getAppointment, listPendingRequests } from '@/lib/appointments';
import { approveRequest } from '@/lib/approval';
import type { Actor } from '@/lib/auth/actor';
import { readNoteHistory, saveNote } from '@/lib/notes';
import { setupTestDb } from '../helpers/db';
import { actorByEmail } from '../helpers/actors';
import { createTestRequest, demoPractice, freeStarts, requestBody, testAddress, testPhone } from '../helpers/booking';
import { addMember } from '../helpers/members';

// Server actions read the signed-in actor from the session; here it is whoever the test says.
const session = vi.hoisted(() => ({ actor: null as Actor | null }));
vi.mock('@/lib/auth/session', () => ({
  currentActor: async () => session.actor,
  requireActor: async () => session.actor,
  currentPractice: async () => undefined,
}));
vi.mock('next/cache', () => ({ revalidatePath: () => undefined }));

let handle: DbHandle;
let demoId: string;
let demo2Id: string;
let serviceId: string;
let frontDesk: Actor;
let admin: Actor;
let doctor: Actor;
let starts: Date[];

function form(values: Record<string, string>): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(values)) f.set(k, v);
  return f;
}

const phoneIn = (startsAt: Date, phone = testPhone()) => ({
  serviceId,
  startsAt: startsAt.toISOString(),
  patient: { name: 'Rosa Llamada', phone, email: 'rosa@example.com' },
  reason: 'Called about back pain',
  consent: 'on',
});

beforeAll(async () => {
  handle = await setupTestDb();
  const demo = await demoPractice(handle.db);
  demoId = demo.profile.id;
  demo2Id = (await demoPractice(handle.db, 'demo-2')).profile.id;
  serviceId = demo.byMinutes(30).id;
  starts = await freeStarts(handle.db, demoId, 30, 6);
  frontDesk = await addMember(handle.db, demoId, ['front_desk']);
  admin = await actorByEmail(handle.db, 'admin@demo.test');
  doctor = await actorByEmail(handle.db, 'doctor@demo.test');
});

describe('front desk: phone-in booking', () => {
  it('books a patient who phones in straight into an approved appointment, audited as on the staff member’s word', async () => {
    const booked = await bookPhoneIn(frontDesk, demoId, phoneIn(starts[0]));
    expect(booked.startsAt.getTime()).toBe(starts[0].getTime());

    const [request] = await handle.db.select().from(reservationRequests).where(eq(reservationRequests.id, booked.requestId));
    expect(request.status).toBe('approved');
    expect(request.decidedBy).toBe(frontDesk.userId);
    const [reservation] = await handle.db.select().from(reservations).where(eq(reservations.id, booked.reservationId));
    expect(reservation.status).toBe('confirmed');
    const slots = await handle.db.select({ status: timeSlots.status }).from(timeSlots).where(eq(timeSlots.requestId, booked.requestId));
    expect(slots.length).toBeGreaterThan(0);
    expect(slots.every((s) => s.status === 'reserved')).toBe(true);

    const [entry] = await handle.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'appointment.booked_by_phone'), eq(auditLog.entityId, booked.requestId)));
    expect(entry.actorUserId).toBe(frontDesk.userId);
    expect(entry.details).toMatchObject({ verifiedBy: 'staff', onPatientsWord: true, reservationId: booked.reservationId });
    const [created] = await handle.db.select().from(auditLog).where(and(eq(auditLog.action, 'request.created'), eq(auditLog.entityId, booked.requestId)));
    expect(created.details).toMatchObject({ verifiedBy: 'staff' });

    // The patient gets the confirmation, not a "we received your request" receipt.
    const messages = await handle.db.select({ kind: notifications.kind, status: notifications.status }).from(notifications).where(eq(notifications.requestId, booked.requestId));
    expect(messages.some((m) => m.kind === 'received')).toBe(true);
    expect(messages.filter((m) => m.kind === 'received').every((m) => m.status === 'skipped')).toBe(true);
    expect(messages.some((m) => m.kind === 'approved' && m.status === 'pending')).toBe(true);

    // It is an ordinary appointment the front desk can see and cancel.
    const detail = await getAppointment(frontDesk, demoId, { reservationId: booked.reservationId });
    expect(detail.patient.name).toBe('Rosa Llamada');
  });

  it('refuses a taken time, and the same time twice (nothing half-booked)', async () => {
    const phone = testPhone();
    await bookPhoneIn(frontDesk, demoId, phoneIn(starts[1], phone));
    await expect(bookPhoneIn(frontDesk, demoId, phoneIn(starts[1]))).rejects.toMatchObject({ code: 'slot_unavailable' });
    const requests = await handle.db.select({ id: reservationRequests.id }).from(reservationRequests).where(eq(reservationRequests.startsAt, starts[1]));
    expect(requests).toHaveLength(1);
  });

  it('is for the doctor and the front desk only, in their own practice', async () => {
    await expect(bookPhoneIn(admin, demoId, phoneIn(starts[2]))).rejects.toMatchObject({ code: 'forbidden' });
    await expect(bookPhoneIn(frontDesk, demo2Id, phoneIn(starts[2]))).rejects.toMatchObject({ code: 'not_found' });
    await expect(bookPhoneIn(null, demoId, phoneIn(starts[2]))).rejects.toMatchObject({ code: 'unauthorized' });
    const byDoctor = await bookPhoneIn(doctor, demoId, phoneIn(starts[2]));
    expect(byDoctor.reservationId).toBeTruthy();
  });

  it('through the action: fields are checked, and the booking is confirmed', async () => {
    session.actor = frontDesk;
    const bad = await bookPhoneInAction(undefined, form({ profileId: demoId, serviceId, startsAt: starts[3].toISOString(), 'patient.name': '', 'patient.phone': '600' }));
    expect(bad.fieldErrors?.['patient.name']).toBeTruthy();
    expect(bad.fieldErrors?.['patient.phone']).toBeTruthy();
    const ok = await bookPhoneInAction(
      undefined,
      form({ profileId: demoId, serviceId, startsAt: starts[3].toISOString(), 'patient.name': 'Julián Teléfono', 'patient.phone': testPhone(), consent: 'on' }),
    );
    expect(ok).toMatchObject({ ok: true, message: expect.stringMatching(/^Booked: Julián Teléfono/) });
  });

  it('never reads or writes a clinical note (lib and action)', async () => {
    const booked = await bookPhoneIn(doctor, demoId, phoneIn(starts[4]));
    await expect(readNoteHistory(frontDesk, demoId, { reservationId: booked.reservationId })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(
      saveNote(frontDesk, demoId, { reservationId: booked.reservationId, baseVersion: 0, subjective: 'x', objective: '', assessment: '', plan: '' }, { now: new Date(starts[4].getTime() + 60_000) }),
    ).rejects.toMatchObject({ code: 'forbidden' });
    session.actor = frontDesk;
    const viaAction = await saveNoteAction(undefined, form({ profileId: demoId, reservationId: booked.reservationId, baseVersion: '0', subjective: 'x' }));
    expect(viaAction.error).toMatch(/Only the practice’s doctors/);
    // The appointment page's data carries no note text for the front desk either.
    const detail = await getAppointment(frontDesk, demoId, { reservationId: booked.reservationId });
    expect(JSON.stringify(detail)).not.toMatch(/subjective|assessment/);
  });

  it('moves and cancels appointments', async () => {
    const booked = await bookPhoneIn(frontDesk, demoId, phoneIn(starts[5]));
    const cancelled = await cancelAppointment(frontDesk, demoId, { reservationId: booked.reservationId, reason: 'The patient called to cancel.' });
    expect(cancelled.reservationId).toBe(booked.reservationId);
  });

  it('answers requests only where the practice allows it', async () => {
    const [start] = await freeStarts(handle.db, demoId, 30, 1, 30 * 24);
    const created = await createTestRequest({ clientAddress: testAddress(), baseUrl: 'http://localhost' }, 'demo', requestBody(serviceId, start));
    expect((await listPendingRequests(frontDesk, demoId)).some((r) => r.id === created.id)).toBe(true);
    await expect(approveRequest(frontDesk, demoId, { requestId: created.id })).rejects.toMatchObject({ code: 'forbidden' });
    session.actor = frontDesk;
    expect((await approveRequestAction(undefined, form({ profileId: demoId, requestId: created.id }))).error).toMatch(/only the doctors answer/);

    await handle.db.update(profiles).set({ frontDeskDecides: true }).where(eq(profiles.id, demoId));
    try {
      const approved = await approveRequest(frontDesk, demoId, { requestId: created.id });
      expect(approved.changed).toBe(true);
      // The admin still only sees requests.
      await expect(approveRequest(admin, demoId, { requestId: created.id })).rejects.toMatchObject({ code: 'forbidden' });
    } finally {
      await handle.db.update(profiles).set({ frontDeskDecides: false }).where(eq(profiles.id, demoId));
    }
  });
});
