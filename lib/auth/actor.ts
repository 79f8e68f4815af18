import { eq, sql } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { users, type MemberRole } from '@/db/schema';

export interface Membership {
  profileId: string;
  slug: string;
  displayName: string;
  timeZone: string;
  roles: MemberRole[];
  /** The practice's default language (issue 17): the dashboard's when its member chose none. */
  defaultLocale?: string;
  /** ISO 3166-1 alpha-2 (issue 15): phone numbers of this country are shown nationally. */
  country?: string;
}

/** The signed-in person acting, with every practice they belong to. */
export interface Actor {
  userId: string;
  email: string;
  name: string | null;
  /** The dashboard language this person chose (users.locale), null: none chosen. */
  locale?: string | null;
  memberships: Membership[];
}

export async function loadActor(db: Executor, userId: string): Promise<Actor | null> {
  // One round trip: the user and, as a JSON column, every active practice they belong to.
  const [user] = await db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      locale: users.locale,
      // Raw names: in a one-table select drizzle writes columns unqualified, which would bind inside.
      memberships: sql<Membership[]>`(
        SELECT coalesce(json_agg(json_build_object('profileId', p.id, 'slug', p.slug, 'displayName', p.display_name, 'timeZone', p.time_zone,
          'defaultLocale', p.default_locale, 'country', p.country, 'roles', m.roles) ORDER BY p.display_name), '[]')
        FROM profile_members m JOIN profiles p ON p.id = m.profile_id
        WHERE m.user_id = ${userId} AND p.is_active)`,
    })
    .from(users)
    .where(eq(users.id, userId))
    .limit(1);
  if (!user) return null;
  return { userId: user.id, email: user.email, name: user.name, locale: user.locale, memberships: user.memberships };
}

export function membershipBySlug(actor: Actor, slug: string | undefined): Membership | undefined {
  if (!actor.memberships.length) return undefined;
  return actor.memberships.find((m) => m.slug === slug) ?? actor.memberships[0];
}
