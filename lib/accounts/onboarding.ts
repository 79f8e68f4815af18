import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import { invitations, profiles } from '@/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { authorize } from '@/lib/auth/permissions';
import { executor, type CallOptions } from '@/lib/db';

export interface OnboardingStatus {
  slug: string;
  hasService: boolean;
  hasHours: boolean;
  /** A member is the doctor, or a doctor's invitation is pending. */
  hasDoctor: boolean;
  doctorInvited: boolean;
  /** Every step but the booking link (which is always there to copy) is done. */
  complete: boolean;
}

/** The first-run checklist of a practice: what is still missing before patients can book. */
export async function onboardingStatus(actor: Actor | null, profileId: string, _input?: object, opts?: CallOptions): Promise<OnboardingStatus> {
  authorize(actor, profileId, 'practice.view');
  const db = await executor(opts);
  const now = opts?.now ?? new Date();
  const [row] = await db
    .select({
      slug: profiles.slug,
      // Plain SQL: inside a select list Drizzle writes columns without their table, which a subquery would misread.
      hasService: sql<boolean>`EXISTS (SELECT 1 FROM medical_services s WHERE s.profile_id = ${profileId} AND s.is_active)`,
      hasHours: sql<boolean>`EXISTS (SELECT 1 FROM availability_rules r WHERE r.profile_id = ${profileId} AND r.is_active)`,
      hasDoctorMember: sql<boolean>`EXISTS (SELECT 1 FROM profile_members m WHERE m.profile_id = ${profileId} AND 'doctor' = ANY(m.roles))`,
    })
    .from(profiles)
    .where(eq(profiles.id, profileId))
    .limit(1);
  const [invited] = await db
    .select({ id: invitations.id })
    .from(invitations)
    .where(
      and(
        eq(invitations.profileId, profileId),
        sql`'doctor' = ANY(${invitations.roles})`,
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
        gt(invitations.expiresAt, now),
      ),
    )
    .limit(1);
  const hasService = Boolean(row?.hasService);
  const hasHours = Boolean(row?.hasHours);
  const hasDoctor = Boolean(row?.hasDoctorMember) || Boolean(invited);
  return { slug: row?.slug ?? '', hasService, hasHours, hasDoctor, doctorInvited: Boolean(invited), complete: hasService && hasHours && hasDoctor };
}
