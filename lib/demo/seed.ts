import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '@/lib/db';
import {
  appointmentNotes,
  availabilityRules,
  integrationKeys,
  medicalServices,
  patients,
  profileMembers,
  profiles,
  reservationRequests,
  reservations,
  timeSlots,
  users,
} from '@/db/schema';
import { DEMO_PASSWORD, demoHistory, demoHistoryNote, demoHours, demoPractices, demoUsers, demoWeekdays } from '@/db/seed-data';
import { hashPassword } from '@/lib/auth/password';
import { materializeSlots } from '@/lib/availability/materialize';
import { addDays, isoWeekday, todayIn, zonedLocalToUtc } from '@/lib/availability/time';
import { storedKey } from '@/lib/integrations';

export { DEMO_PASSWORD };

/** The demo practice's integration key, published in the README (API.md, "Who is calling"). */
export const DEMO_INTEGRATION_KEY = 'cst_demo_4f1c2a9e7b3d5e6f8a0b1c2d3e4f5a6b';

/**
 * The demo practices and sign-ins (rows in db/seed-data.ts), with slots for their booking horizon.
 * Idempotent: an existing `demo` practice means the seed ran. Returns false when there was nothing
 * to do.
 */
export async function seedDemo(db: Db, now: Date = new Date()): Promise<boolean> {
  const existing = await db.select({ id: profiles.id }).from(profiles).where(eq(profiles.slug, 'demo')).limit(1);
  if (existing.length) return false;
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const profileIds = await db.transaction(async (tx) => {
    const userRows = await tx
      .insert(users)
      .values(demoUsers.map((u) => ({ email: u.email, name: u.name, passwordHash })))
      .returning({ id: users.id });
    const userId = new Map(demoUsers.map((u, i) => [u.key, userRows[i].id]));
    const practiceRows = await tx
      .insert(profiles)
      .values(demoPractices.map((p) => p.profile))
      .returning({ id: profiles.id });
    const ids = practiceRows.map((p) => p.id);
    await tx.insert(profileMembers).values(
      demoPractices.flatMap((p, i) => p.members.map((m) => ({ profileId: ids[i], userId: userId.get(m.user)!, roles: [...m.roles] }))),
    );
    await tx.insert(medicalServices).values(demoPractices.flatMap((p, i) => p.services.map((s) => ({ ...s, profileId: ids[i] }))));
    await tx.insert(availabilityRules).values(
      ids.flatMap((profileId) =>
        demoWeekdays.flatMap((weekday) => demoHours.map(([startTime, endTime]) => ({ profileId, weekday, startTime, endTime }))),
      ),
    );
    const demoId = ids[demoPractices.findIndex((p) => p.profile.slug === 'demo')];
    await tx.insert(integrationKeys).values({ profileId: demoId, name: 'Demo WhatsApp bot', ...storedKey(DEMO_INTEGRATION_KEY), createdBy: userId.get('admin') });
    return ids;
  });
  for (const id of profileIds) await materializeSlots(db, id, now);
  return true;
}

/**
 * A little history for the demo practice, so the dashboard has something to show on first start:
 * two appointments on the last weekday (confirmed: the doctor can write their notes and mark them)
 * and an older completed one with a note. Past times never come from the booking flow, so they are
 * inserted directly, with the same invariants (approved request, reservation, reserved slots).
 */
export async function seedDemoHistory(db: Db, now: Date = new Date()): Promise<void> {
  const [demo] = await db.select({ id: profiles.id, tz: profiles.timeZone }).from(profiles).where(eq(profiles.slug, 'demo'));
  if (!demo) return;
  const already = await db.select({ id: patients.id }).from(patients).where(eq(patients.profileId, demo.id)).limit(1);
  if (already.length) return;
  const [doctor] = await db.select({ id: users.id }).from(users).where(eq(users.email, 'doctor@demo.test'));
  const services = await db.select().from(medicalServices).where(eq(medicalServices.profileId, demo.id));
  const consult = services.find((s) => s.durationMinutes === 30) ?? services[0];

  let day = addDays(todayIn(demo.tz, now), -1);
  while (isoWeekday(day) > 5) day = addDays(day, -1);
  await db.transaction(async (tx) => {
    const patientIds = new Map<string, string>();
    for (const v of demoHistory) {
      if (!patientIds.has(v.name)) {
        const [p] = await tx
          .insert(patients)
          .values({ profileId: demo.id, name: v.name, phone: v.phone, dateOfBirth: v.dob, email: `${v.name.split(' ')[0].toLowerCase()}@example.com` })
          .returning({ id: patients.id });
        patientIds.set(v.name, p.id);
      }
      const startsAt = zonedLocalToUtc(addDays(day, -v.daysBefore), v.time, demo.tz)!;
      const endsAt = new Date(startsAt.getTime() + consult.durationMinutes * 60_000);
      const createdAt = new Date(startsAt.getTime() - 3 * 86_400_000);
      const [request] = await tx
        .insert(reservationRequests)
        .values({
          profileId: demo.id,
          serviceId: consult.id,
          patientId: patientIds.get(v.name)!,
          startsAt,
          endsAt,
          reason: v.reason,
          consentAt: createdAt,
          status: 'approved',
          expiresAt: new Date(createdAt.getTime() + 86_400_000),
          decidedAt: new Date(createdAt.getTime() + 3_600_000),
          decidedBy: doctor.id,
          tokenHash: randomBytes(32).toString('hex'),
          createdAt,
        })
        .returning({ id: reservationRequests.id });
      const [reservation] = await tx
        .insert(reservations)
        .values({ requestId: request.id, profileId: demo.id, serviceId: consult.id, patientId: patientIds.get(v.name)!, startsAt, endsAt, status: v.status, confirmedAt: new Date(createdAt.getTime() + 3_600_000) })
        .returning({ id: reservations.id });
      for (let t = startsAt.getTime(); t < endsAt.getTime(); t += 15 * 60_000) {
        await tx
          .insert(timeSlots)
          .values({ profileId: demo.id, startsAt: new Date(t), endsAt: new Date(t + 15 * 60_000), status: 'reserved', requestId: request.id })
          .onConflictDoNothing();
      }
      if (v.status === 'completed') {
        await tx.insert(appointmentNotes).values({ profileId: demo.id, reservationId: reservation.id, version: 1, authorId: doctor.id, ...demoHistoryNote, createdAt: endsAt });
      }
    }
  });
}
