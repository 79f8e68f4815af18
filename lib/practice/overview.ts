import { eq } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { profiles } from '@/db/schema';
import { listAgenda, pendingSummary, startOfLocalDay, type AgendaItem } from '@/lib/appointments/queries';
import { requireMembership, type Actor } from '@/lib/auth/actor';
import { addDays, localDateOf, todayIn } from '@/lib/availability/time';

/** How many days the overview looks ahead, today included. */
export const OVERVIEW_DAYS = 7;

export interface PracticeOverview {
  practice: { id: string; slug: string; displayName: string; specialty: string; timeZone: string };
  role: 'doctor' | 'admin';
  /** Today's date in the practice's time zone ('YYYY-MM-DD'). */
  today: string;
  pendingRequests: number;
  nearestDeadline: Date | null;
  /** Every appointment of today (whatever its status) and the confirmed ones of the next days. */
  days: { date: string; items: AgendaItem[] }[];
}

/**
 * The dashboard's first page for one practice: today's and the next days' appointments, the
 * pending requests and the nearest answer deadline. Scoped by the actor's membership: a practice
 * the actor does not belong to is "not found".
 */
export async function getPracticeOverview(db: Executor, actor: Actor, profileId: string, now = new Date()): Promise<PracticeOverview> {
  const membership = requireMembership(actor, profileId);
  const [[practice], pending] = await Promise.all([
    db
      .select({ id: profiles.id, slug: profiles.slug, displayName: profiles.displayName, specialty: profiles.specialty, timeZone: profiles.timeZone })
      .from(profiles)
      .where(eq(profiles.id, membership.profileId))
      .limit(1),
    pendingSummary(db, actor, profileId, now),
  ]);
  const tz = practice.timeZone;
  const today = todayIn(tz, now);
  const dates = Array.from({ length: OVERVIEW_DAYS }, (_, i) => addDays(today, i));
  const items = await listAgenda(db, actor, profileId, startOfLocalDay(today, tz), startOfLocalDay(addDays(today, OVERVIEW_DAYS), tz));
  const days = dates.map((date) => ({ date, items: [] as AgendaItem[] }));
  const byDate = new Map(days.map((d) => [d.date, d]));
  for (const item of items) {
    const day = byDate.get(localDateOf(item.startsAt, tz));
    if (!day) continue;
    // Past days of the week are not shown; from tomorrow on only what is still going to happen.
    if (day.date !== today && item.status !== 'confirmed') continue;
    day.items.push(item);
  }
  return {
    practice,
    role: membership.role,
    today,
    pendingRequests: pending.count,
    nearestDeadline: pending.nearestDeadline,
    days,
  };
}
