import { and, eq } from 'drizzle-orm';
import { medicalServices, profiles, reservationRequests, reservations } from '@/db/schema';
import { executor, type CallOptions } from '@/lib/db';
import { requestTokenSchema } from '@/lib/validation/requests';
import { hashToken } from './tokens';

/** A confirmed appointment as a calendar entry needs it. */
export interface AppointmentForCalendar {
  reservationId: string;
  startsAt: Date;
  endsAt: Date;
  serviceName: string;
  practiceName: string;
  timeZone: string;
  address: string | null;
  /** E.164 */
  phone: string | null;
}

/**
 * The confirmed appointment behind a status token, for "Add to calendar"; null for an unknown
 * token, or a request that is not (or no longer) a confirmed appointment. The token is the
 * patient's proof, as on the status page.
 */
export async function appointmentByToken(token: string, opts?: CallOptions): Promise<AppointmentForCalendar | null> {
  if (!requestTokenSchema.safeParse(token).success) return null;
  const [row] = await (await executor(opts))
    .select({
      reservationId: reservations.id,
      startsAt: reservations.startsAt,
      endsAt: reservations.endsAt,
      serviceName: medicalServices.name,
      practiceName: profiles.displayName,
      timeZone: profiles.timeZone,
      address: profiles.address,
      phone: profiles.contactPhone,
    })
    .from(reservationRequests)
    .innerJoin(reservations, and(eq(reservations.requestId, reservationRequests.id), eq(reservations.status, 'confirmed')))
    .innerJoin(medicalServices, eq(medicalServices.id, reservationRequests.serviceId))
    .innerJoin(profiles, eq(profiles.id, reservationRequests.profileId))
    .where(and(eq(reservationRequests.tokenHash, hashToken(token)), eq(reservationRequests.status, 'approved')))
    .limit(1);
  return row ?? null;
}
