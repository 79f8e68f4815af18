import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { notifications, reservationRequests } from '@/db/schema';
import { approveHeld } from '@/lib/approval';
import type { Actor } from '@/lib/auth/actor';
import { authorize } from '@/lib/auth/permissions';
import { findBookableStarts } from '@/lib/availability/query';
import { todayIn } from '@/lib/availability/time';
import { bookableService, createVerifiedRequest, practiceBySlug } from '@/lib/booking/create';
import { hashBody } from '@/lib/booking/tokens';
import { transaction, type CallOptions } from '@/lib/db';
import { DomainError } from '@/lib/errors';
import { errorText } from '@/lib/i18n/errors';
import { notificationConfig } from '@/lib/notifications';
import { dispatchOutboxAfterCommit } from '@/lib/outbox';
import { parseInput } from '@/lib/validation/fields';
import { requestBodySchemaFor, type CreateRequestInput } from '@/lib/validation/requests';

export type PhoneInInput = CreateRequestInput;

export interface BookedAppointment {
  reservationId: string;
  requestId: string;
  patientName: string;
  startsAt: Date;
  endsAt: Date;
  timeZone: string;
}

/**
 * A patient who phones in, booked by a staff member straight into an approved appointment. The
 * phone is taken on the staff member's word (audited as such: `verifiedBy: 'staff'`), the time must
 * be one the booking page would offer, and the request and its approval are one transaction: the
 * patient gets the confirmation (no "received" receipt), the practice no new-request notice.
 */
export async function bookPhoneIn(actor: Actor | null, profileId: string, input: PhoneInInput, opts?: CallOptions): Promise<BookedAppointment> {
  const membership = authorize(actor, profileId, 'appointments.book');
  const now = opts?.now ?? new Date();
  const practice = await practiceBySlug(membership.slug, opts);
  if (practice.id !== profileId) throw new DomainError('not_found', errorText('appointments.noPractice'));
  // The phone as the staff member typed it: national numbers read with the practice's country.
  const body = parseInput(requestBodySchemaFor(practice.country), input);
  const service = await bookableService(practice, body, now, opts);
  const baseUrl = notificationConfig().appUrl ?? 'http://localhost:3000';

  const booked = await transaction(opts, async (tx) => {
    const created = await createVerifiedRequest(
      practice,
      { service, body, bodyHash: hashBody(body), contact: { kind: 'phone', value: body.patient.phone, by: 'staff' }, baseUrl, actorKind: 'patient' },
      { tx, now },
    );
    // Booked while on the phone: no "we received your request" receipt, no new-request notice.
    await tx
      .update(notifications)
      .set({ status: 'skipped', skipReason: 'request_answered' })
      .where(and(eq(notifications.requestId, created.id), sql`${notifications.kind} IN ('received', 'new_request', 'expiry_warning')`, eq(notifications.status, 'pending')));
    const [request] = await tx
      .select({
        id: reservationRequests.id,
        profileId: reservationRequests.profileId,
        serviceId: reservationRequests.serviceId,
        patientId: reservationRequests.patientId,
        startsAt: reservationRequests.startsAt,
        endsAt: reservationRequests.endsAt,
      })
      .from(reservationRequests)
      .where(and(eq(reservationRequests.id, created.id), eq(reservationRequests.profileId, profileId)))
      .for('update')
      .limit(1);
    const reservationId = await approveHeld(tx, actor!, request, now, {
      undoSeconds: 0,
      action: 'appointment.booked_by_phone',
      details: { verifiedBy: 'staff', onPatientsWord: true },
    });
    if (!reservationId) throw new DomainError('conflict', errorText('appointments.notCompleted'));
    return { reservationId, requestId: request.id, startsAt: request.startsAt, endsAt: request.endsAt };
  });
  if (!opts?.tx) dispatchOutboxAfterCommit();
  return { ...booked, patientName: body.patient.name, timeZone: practice.timeZone };
}

const startsSchema = z.object({
  serviceId: z.uuid({ message: 'Choose a service.' }),
  date: z.iso.date({ message: 'Use a date as YYYY-MM-DD.' }).optional(),
});

/**
 * The free starts of a service on one local date (today when none is given), as the booking page
 * would offer them now: what the phone-in form lists.
 */
export async function listBookableStarts(
  actor: Actor | null,
  profileId: string,
  input: z.input<typeof startsSchema>,
  opts?: CallOptions,
): Promise<{ date: string; starts: Date[] }> {
  const membership = authorize(actor, profileId, 'appointments.book');
  const { serviceId, date } = parseInput(startsSchema, input);
  const day = date ?? todayIn(membership.timeZone, opts?.now ?? new Date());
  const found = await findBookableStarts({ profileId }, { serviceId, from: day, to: day }, opts);
  return { date: day, starts: found.starts.map((s) => s.startsAt) };
}
