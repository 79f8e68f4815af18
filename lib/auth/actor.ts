import { asc, eq, sql } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { profileMembers, profiles, users, type MemberRole } from '@/db/schema';

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
  const [user] = await db
    .select({ id: users.id, email: users.email, name: users.name, locale: users.locale })
    .from(users)
    .where(eq(users.id, userId))
    .limit(1);
  if (!user) return null;
  const memberships = await db
    .select({
      profileId: profiles.id,
      slug: profiles.slug,
      displayName: profiles.displayName,
      timeZone: profiles.timeZone,
      defaultLocale: profiles.defaultLocale,
      country: profiles.country,
      roles: profileMembers.roles,
    })
    .from(profileMembers)
    .innerJoin(profiles, eq(profiles.id, profileMembers.profileId))
    .where(sql`${profileMembers.userId} = ${userId} AND ${profiles.isActive}`)
    .orderBy(asc(profiles.displayName));
  return { userId: user.id, email: user.email, name: user.name, locale: user.locale, memberships };
}

export function membershipBySlug(actor: Actor, slug: string | undefined): Membership | undefined {
  if (!actor.memberships.length) return undefined;
  return actor.memberships.find((m) => m.slug === slug) ?? actor.memberships[0];
}
