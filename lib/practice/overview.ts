import { and, asc, count, eq, gt, min, sql } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { medicalServices, patients, profiles, reservationRequests, reservations } from '@/db/schema';
import { requireMembership, type Actor } from '@/lib/auth/actor';

export interface PracticeOverview {
  practice: { id: string; slug: string; displayName: string; specialty: string; timeZone: string };
  role: 'doctor' | 'admin';
  pendingRequests: number;
  nearestDeadline: Date | null;
  upcoming: { id: string; startsAt: Date; endsAt: Date; patientName: string; serviceName: string; status: string }[];
}

/**
 * The dashboard's first page for one practice. Scoped by the actor's membership: a practice the
 * actor does not belong to is "not found".
 */
export async function getPracticeOverview(db: Executor, actor: Actor, profileId: string, now = new Date()): Promise<PracticeOverview> {
  const membership = requireMembership(actor, profileId);
  const [practice] = await db
    .select({ id: profiles.id, slug: profiles.slug, displayName: profiles.displayName, specialty: profiles.specialty, timeZone: profiles.timeZone })
    .from(profiles)
    .where(eq(profiles.id, membership.profileId))
    .limit(1);
  const [pending] = await db
    .select({ n: count(), nearest: min(reservationRequests.expiresAt) })
    .from(reservationRequests)
    .where(
      and(
        eq(reservationRequests.profileId, membership.profileId),
        eq(reservationRequests.status, 'pending'),
        gt(reservationRequests.expiresAt, now),
      ),
    );
  const upcoming = await db
    .select({
      id: reservations.id,
      startsAt: reservations.startsAt,
      endsAt: reservations.endsAt,
      status: reservations.status,
      patientName: patients.name,
      serviceName: medicalServices.name,
    })
    .from(reservations)
    .innerJoin(patients, eq(patients.id, reservations.patientId))
    .innerJoin(medicalServices, eq(medicalServices.id, reservations.serviceId))
    .where(
      and(
        eq(reservations.profileId, membership.profileId),
        eq(reservations.status, 'confirmed'),
        gt(reservations.endsAt, now),
        sql`${reservations.startsAt} < ${new Date(now.getTime() + 7 * 86_400_000).toISOString()}`,
      ),
    )
    .orderBy(asc(reservations.startsAt))
    .limit(50);
  return {
    practice,
    role: membership.role,
    pendingRequests: Number(pending?.n ?? 0),
    nearestDeadline: pending?.nearest ? new Date(pending.nearest) : null,
    upcoming,
  };
}
