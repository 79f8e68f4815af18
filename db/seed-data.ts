import { eq } from 'drizzle-orm';
import type { Db } from './client';
import { availabilityRules, medicalServices, profileMembers, profiles, users } from './schema';
import { hashPassword } from '@/lib/auth/password';
import { materializeSlots } from '@/lib/availability/materialize';

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
