import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { profiles, type MemberRole } from '@/db/schema';
import { groupByDay, listAgenda, type AgendaDay } from '@/lib/appointments/agenda';
import { pendingSummary } from '@/lib/appointments/requests';
import type { Actor } from '@/lib/auth/actor';
import { authorize } from '@/lib/auth/permissions';
import { addDays, startOfLocalDay, todayIn } from '@/lib/availability/time';
import { executor, type CallOptions } from '@/lib/db';
import { parseInput } from '@/lib/validation/fields';

/** How many days the overview looks ahead, today included. */
export const OVERVIEW_DAYS = 7;

export interface PracticeOverview {
  practice: { id: string; slug: string; displayName: string; specialty: string; timeZone: string };
  roles: MemberRole[];
  /** Today's date in the practice's time zone ('YYYY-MM-DD'). */
  today: string;
  pendingRequests: number;
  nearestDeadline: Date | null;
  /** Every appointment of today (whatever its status) and the confirmed ones of the next days. */
  days: AgendaDay[];
}

/**
 * The dashboard's first page for one practice: today's and the next days' appointments, the
 * pending requests and the nearest answer deadline.
 */
export async function getPracticeOverview(actor: Actor | null, profileId: string, input: Record<string, never> = {}, opts?: CallOptions): Promise<PracticeOverview> {
  const membership = authorize(actor, profileId, 'practice.view');
  parseInput(z.object({}), input);
  const now = opts?.now ?? new Date();
  const db = await executor(opts);
  const [[practice], pending] = await Promise.all([
    db
      .select({ id: profiles.id, slug: profiles.slug, displayName: profiles.displayName, specialty: profiles.specialty, timeZone: profiles.timeZone })
      .from(profiles)
      .where(eq(profiles.id, profileId))
      .limit(1),
    pendingSummary(actor, profileId, {}, { ...opts, now }),
  ]);
  const tz = practice.timeZone;
  const today = todayIn(tz, now);
  const items = await listAgenda(actor, profileId, { from: startOfLocalDay(today, tz), to: startOfLocalDay(addDays(today, OVERVIEW_DAYS), tz) }, opts);
  const dates = Array.from({ length: OVERVIEW_DAYS }, (_, i) => addDays(today, i));
  // Every appointment of today; from tomorrow on only what is still going to happen.
  const days = groupByDay(dates, items, tz).map((d) => (d.date === today ? d : { ...d, items: d.items.filter((i) => i.status === 'confirmed') }));
  return { practice, roles: membership.roles, today, pendingRequests: pending.count, nearestDeadline: pending.nearestDeadline, days };
}
