import { eq } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import { medicalServices, patients, reservationRequests, reservations, users } from '@/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { authorize } from '@/lib/auth/permissions';
import { todayIn } from '@/lib/availability/time';
import { scopedRow } from '@/lib/data/scope';
import { executor, type CallOptions } from '@/lib/db';
import { parseInput, text } from '@/lib/validation/fields';
import { earlierAppointmentsOf, inPractice, patientSummary, type EarlierAppointments, type PatientSummary, type ReservationStatus } from './patients';

export interface AppointmentDetail {
  id: string;
  requestId: string;
  startsAt: Date;
  endsAt: Date;
  status: ReservationStatus;
  confirmedAt: Date;
  cancelledAt: Date | null;
  cancelReason: string | null;
  cancelledByPatient: boolean;
  cancelledByName: string | null;
  /** The patient's reason for the visit, from the request. */
  reason: string;
  requestedAt: Date;
  service: { id: string; name: string; durationMinutes: number; priceAmount: number; currency: string };
  patient: PatientSummary;
  earlier: EarlierAppointments;
}

/** An appointment named by a URL or a form: its id (a malformed one is "not found"). */
export const appointmentRef = z.object({ reservationId: z.string({ error: 'Which appointment?' }) });
export type AppointmentRef = z.input<typeof appointmentRef>;

/** Why the practice rejects a request or cancels an appointment: the patient reads it. */
export const reasonForPatient = text(1000, 'The reason', { multiline: true, min: 1, required: 'Write the reason the patient will read.' });

/** How many earlier appointments the appointment page lists. */
const EARLIER_ON_PAGE = 20;

/** One appointment of the practice with the patient and their earlier appointments; not_found otherwise. */
export async function getAppointment(actor: Actor | null, profileId: string, input: AppointmentRef, opts?: CallOptions): Promise<AppointmentDetail> {
  const membership = authorize(actor, profileId, 'practice.view');
  const { reservationId } = parseInput(appointmentRef, input);
  const db = await executor(opts);
  const canceller = alias(users, 'canceller');
  const row = await scopedRow(reservations, profileId, reservationId, 'appointment', (where) =>
    db
      .select({
        id: reservations.id,
        requestId: reservations.requestId,
        startsAt: reservations.startsAt,
        endsAt: reservations.endsAt,
        status: reservations.status,
        confirmedAt: reservations.confirmedAt,
        cancelledAt: reservations.cancelledAt,
        cancelReason: reservations.cancelReason,
        cancelledByPatient: reservations.cancelledByPatient,
        cancelledByName: canceller.name,
        cancelledByEmail: canceller.email,
        reason: reservationRequests.reason,
        requestedAt: reservationRequests.createdAt,
        serviceId: medicalServices.id,
        serviceName: medicalServices.name,
        durationMinutes: medicalServices.durationMinutes,
        priceAmount: medicalServices.priceAmount,
        currency: medicalServices.currency,
        patientId: patients.id,
        patientName: patients.name,
        phone: patients.phone,
        email: patients.email,
        dateOfBirth: patients.dateOfBirth,
      })
      .from(reservations)
      .innerJoin(reservationRequests, inPractice(reservationRequests, reservations.requestId, profileId))
      .innerJoin(patients, inPractice(patients, reservations.patientId, profileId))
      .innerJoin(medicalServices, inPractice(medicalServices, reservations.serviceId, profileId))
      .leftJoin(canceller, eq(canceller.id, reservations.cancelledBy))
      .where(where)
      .limit(1),
  );
  const earlier = await earlierAppointmentsOf(db, profileId, [row.patientId], row.startsAt, EARLIER_ON_PAGE);
  return {
    id: row.id,
    requestId: row.requestId,
    startsAt: row.startsAt,
    endsAt: row.endsAt,
    status: row.status,
    confirmedAt: row.confirmedAt,
    cancelledAt: row.cancelledAt,
    cancelReason: row.cancelReason,
    cancelledByPatient: row.cancelledByPatient,
    cancelledByName: row.cancelledByName ?? row.cancelledByEmail ?? null,
    reason: row.reason,
    requestedAt: row.requestedAt,
    service: { id: row.serviceId, name: row.serviceName, durationMinutes: row.durationMinutes, priceAmount: row.priceAmount, currency: row.currency },
    patient: patientSummary(row, todayIn(membership.timeZone, opts?.now ?? new Date())),
    earlier: earlier.get(row.patientId) ?? { total: 0, recent: [] },
  };
}
