import { asc, eq, sql } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { profileMembers, profiles, users, type MemberRole } from '@/db/schema';
import { DomainError } from '@/lib/errors';

export interface Membership {
  profileId: string;
  slug: string;
  displayName: string;
  timeZone: string;
  role: MemberRole;
}

/** The signed-in person acting, with every practice they belong to. */
export interface Actor {
  userId: string;
  email: string;
  name: string | null;
  memberships: Membership[];
}

export async function loadActor(db: Executor, userId: string): Promise<Actor | null> {
  const [user] = await db
    .select({ id: users.id, email: users.email, name: users.name })
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
      role: profileMembers.role,
    })
    .from(profileMembers)
    .innerJoin(profiles, eq(profiles.id, profileMembers.profileId))
    .where(sql`${profileMembers.userId} = ${userId} AND ${profiles.isActive}`)
    .orderBy(asc(profiles.displayName));
  return { userId: user.id, email: user.email, name: user.name, memberships };
}

/**
 * The actor's membership of a practice, or a not-found error: another practice's data does not
 * exist for them. With `roles`, a member without one of those roles is refused explicitly.
 */
export function requireMembership(actor: Actor, profileId: string, roles?: readonly MemberRole[]): Membership {
  const membership = actor.memberships.find((m) => m.profileId === profileId);
  if (!membership) throw new DomainError('not_found', 'No such practice.');
  if (roles && !roles.includes(membership.role)) {
    const who = roles.map((r) => `${/^[aeiou]/.test(r) ? 'an' : 'a'} ${r}`).join(' or ');
    throw new DomainError('forbidden', `Only ${who} of this practice may do that.`);
  }
  return membership;
}

export function membershipBySlug(actor: Actor, slug: string | undefined): Membership | undefined {
  if (!actor.memberships.length) return undefined;
  return actor.memberships.find((m) => m.slug === slug) ?? actor.memberships[0];
}
