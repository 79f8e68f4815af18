import { eq } from 'drizzle-orm';
import type { Db } from './client';
import { randomBytes } from 'node:crypto';
import { appointmentNotes, availabilityRules, medicalServices, patients, profileMembers, profiles, reservationRequests, reservations, timeSlots, users } from './schema';
import { hashPassword } from '@/lib/auth/password';
import { materializeSlots } from '@/lib/availability/materialize';
import { addDays, isoWeekday, todayIn, zonedLocalToUtc } from '@/lib/availability/time';

export const DEMO_PASSWORD = 'demo-password-1';

const weekdays = [1, 2, 3, 4, 5];
const hours = [
  ['09:00', '13:00'],
  ['15:00', '18:00'],
] as const;

/**
 * The demo practices and sign-ins. Idempotent: an existing `demo` practice means the seed ran.
 * Returns false when there was nothing to do.
 */
export async function seedDemo(db: Db, now: Date = new Date()): Promise<boolean> {
  const existing = await db.select({ id: profiles.id }).from(profiles).where(eq(profiles.slug, 'demo')).limit(1);
  if (existing.length) return false;
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const profileIds = await db.transaction(async (tx) => {
    const [doctor, admin, doctor2] = await tx
      .insert(users)
      .values([
        { email: 'doctor@demo.test', name: 'Dr. Ana García', passwordHash },
        { email: 'admin@demo.test', name: 'Marta López (admin)', passwordHash },
        { email: 'doctor2@demo.test', name: 'Dr. Luis Pérez', passwordHash },
      ])
      .returning({ id: users.id });
    const [demo, demo2] = await tx
      .insert(profiles)
      .values([
        {
          slug: 'demo',
          displayName: 'Dr. Ana García',
          specialty: 'General practice',
          timeZone: 'Europe/Madrid',
          slotMinutes: 15,
          minNoticeMinutes: 120,
          approvalWindowMinutes: 24 * 60,
          horizonDays: 60,
          contactPhone: '+34910000000',
          contactEmail: 'consulta@demo.test',
          address: 'Calle Mayor 1, 28013 Madrid',
        },
        {
          slug: 'demo-2',
          displayName: 'Dr. Luis Pérez',
          specialty: 'Paediatrics',
          timeZone: 'Europe/Madrid',
          slotMinutes: 15,
          minNoticeMinutes: 120,
          approvalWindowMinutes: 24 * 60,
          horizonDays: 60,
          contactPhone: '+34930000000',
          address: 'Passeig de Gràcia 10, 08007 Barcelona',
        },
      ])
      .returning({ id: profiles.id });
    await tx.insert(profileMembers).values([
      { profileId: demo.id, userId: doctor.id, role: 'doctor' },
      { profileId: demo.id, userId: admin.id, role: 'admin' },
      { profileId: demo2.id, userId: doctor2.id, role: 'doctor' },
    ]);
    await tx.insert(medicalServices).values([
      { profileId: demo.id, name: 'Quick consultation', description: 'A short visit: prescriptions, results, a single question.', durationMinutes: 15, priceAmount: 3000, currency: 'EUR' },
      { profileId: demo.id, name: 'General consultation', description: 'A standard visit with examination.', durationMinutes: 30, priceAmount: 5000, currency: 'EUR' },
      { profileId: demo.id, name: 'Full check-up', description: 'A complete check-up with history and examination.', durationMinutes: 60, priceAmount: 9000, currency: 'EUR' },
      { profileId: demo2.id, name: 'Paediatric visit', description: 'A visit for children up to 14.', durationMinutes: 30, priceAmount: 4500, currency: 'EUR' },
    ]);
    await tx.insert(availabilityRules).values(
      [demo.id, demo2.id].flatMap((profileId) =>
        weekdays.flatMap((weekday) => hours.map(([startTime, endTime]) => ({ profileId, weekday, startTime, endTime }))),
      ),
    );
    return [demo.id, demo2.id];
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
  const visits = [
    { name: 'María Sánchez', phone: '+34600111001', dob: '1978-04-12', date: addDays(day, -28), time: '10:00', reason: 'Annual check-up', status: 'completed' as const },
    { name: 'María Sánchez', phone: '+34600111001', dob: '1978-04-12', date: day, time: '10:00', reason: 'Headaches for a week', status: 'confirmed' as const },
    { name: 'Jorge Martín', phone: '+34600111002', dob: '1990-11-30', date: day, time: '10:30', reason: 'Sore throat and fever', status: 'confirmed' as const },
  ];
  await db.transaction(async (tx) => {
    const patientIds = new Map<string, string>();
    for (const v of visits) {
      if (!patientIds.has(v.name)) {
        const [p] = await tx
          .insert(patients)
          .values({ profileId: demo.id, name: v.name, phone: v.phone, dateOfBirth: v.dob, email: `${v.name.split(' ')[0].toLowerCase()}@example.com` })
          .returning({ id: patients.id });
        patientIds.set(v.name, p.id);
      }
      const startsAt = zonedLocalToUtc(v.date, v.time, demo.tz)!;
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
        await tx.insert(appointmentNotes).values({
          profileId: demo.id,
          reservationId: reservation.id,
          version: 1,
          authorId: doctor.id,
          subjective: 'No complaints. Routine annual check-up.',
          objective: 'BP 125/80, HR 72, BMI 24.1.',
          assessment: 'Healthy adult.',
          plan: 'Blood test next year.',
          createdAt: endsAt,
        });
      }
    }
  });
}
