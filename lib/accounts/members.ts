import { and, asc, eq, sql } from 'drizzle-orm';
import { profileMembers, users, type MemberRole } from '@/db/schema';
import { audit } from '@/lib/audit';
import type { Actor } from '@/lib/auth/actor';
import { authorize } from '@/lib/auth/permissions';
import { revokeUserSessions } from '@/lib/auth/sessions';
import { executor, transaction, type CallOptions, type Tx } from '@/lib/db';
import { DomainError } from '@/lib/errors';
import { isUuid, parseInput } from '@/lib/validation/fields';
import type { z } from 'zod';
import { memberIdSchema, memberRolesSchema } from './schemas';

export type MemberIdInput = z.input<typeof memberIdSchema>;
export type MemberRolesInput = z.input<typeof memberRolesSchema>;

export interface MemberView {
  userId: string;
  name: string | null;
  email: string;
  roles: MemberRole[];
  joinedAt: Date;
  emailVerified: boolean;
}

/** The practice's members, by name (admins only). */
export async function listMembers(actor: Actor | null, profileId: string, _input?: object, opts?: CallOptions): Promise<MemberView[]> {
  authorize(actor, profileId, 'members.view');
  const db = await executor(opts);
  const rows = await db
    .select({ userId: users.id, name: users.name, email: users.email, roles: profileMembers.roles, joinedAt: profileMembers.createdAt, verified: users.emailVerified })
    .from(profileMembers)
    .innerJoin(users, eq(users.id, profileMembers.userId))
    .where(eq(profileMembers.profileId, profileId))
    .orderBy(asc(sql`lower(coalesce(${users.name}, ${users.email}))`))
    .limit(500);
  return rows.map(({ verified, ...r }) => ({ ...r, emailVerified: Boolean(verified) }));
}

const LAST_ADMIN = 'The practice needs at least one admin: make someone else an admin first.';

/**
 * Every member of the practice, locked: changes of roles and removals are serialized per
 * practice, so two admins demoting each other at once cannot leave it without one.
 */
async function lockMembers(tx: Tx, profileId: string) {
  return tx
    .select({ userId: profileMembers.userId, roles: profileMembers.roles })
    .from(profileMembers)
    .where(eq(profileMembers.profileId, profileId))
    .for('update');
}

function target<T extends { userId: string }>(members: T[], userId: unknown): T {
  const member = isUuid(userId) ? members.find((m) => m.userId === userId) : undefined;
  if (!member) throw new DomainError('not_found', 'No such member.');
  return member;
}

/** An admin sets a member's roles (doctor, admin or both); the last admin cannot lose the admin role. */
export async function changeMemberRoles(
  actor: Actor | null,
  profileId: string,
  input: MemberRolesInput,
  opts?: CallOptions,
): Promise<{ userId: string; roles: MemberRole[]; changed: boolean }> {
  authorize(actor, profileId, 'members.manage');
  const { userId, roles } = parseInput(memberRolesSchema, input);
  return transaction(opts, async (tx) => {
    const members = await lockMembers(tx, profileId);
    const member = target(members, userId);
    const before = [...member.roles].sort();
    if (before.join() === roles.join()) return { userId: member.userId, roles: before, changed: false };
    const adminsAfter = members.filter((m) => (m.userId === member.userId ? roles.includes('admin') : m.roles.includes('admin'))).length;
    if (adminsAfter === 0) throw new DomainError('conflict', LAST_ADMIN);
    await tx
      .update(profileMembers)
      .set({ roles })
      .where(and(eq(profileMembers.profileId, profileId), eq(profileMembers.userId, member.userId)));
    await audit(tx, {
      profileId,
      actorUserId: actor!.userId,
      actorKind: 'user',
      action: 'member.roles_changed',
      entityType: 'user',
      entityId: member.userId,
      details: { from: before, to: roles },
    });
    return { userId: member.userId, roles, changed: true };
  });
}

/**
 * An admin removes a member (themselves too, unless they are the last admin). Their access to
 * the practice ends at once: memberships are read from the database on every request. Someone
 * left with no practice at all has every session ended too.
 */
export async function removeMember(
  actor: Actor | null,
  profileId: string,
  input: MemberIdInput,
  opts?: CallOptions,
): Promise<{ userId: string; sessionsEnded: number }> {
  authorize(actor, profileId, 'members.manage');
  const { userId } = parseInput(memberIdSchema, input);
  const now = opts?.now ?? new Date();
  return transaction(opts, async (tx) => {
    const members = await lockMembers(tx, profileId);
    const member = target(members, userId);
    const adminsAfter = members.filter((m) => m.userId !== member.userId && m.roles.includes('admin')).length;
    if (adminsAfter === 0) throw new DomainError('conflict', LAST_ADMIN);
    await tx.delete(profileMembers).where(and(eq(profileMembers.profileId, profileId), eq(profileMembers.userId, member.userId)));
    const [elsewhere] = await tx.select({ profileId: profileMembers.profileId }).from(profileMembers).where(eq(profileMembers.userId, member.userId)).limit(1);
    const sessionsEnded = elsewhere ? 0 : await revokeUserSessions(member.userId, { reason: 'removed_from_practice', tx, now });
    await audit(tx, {
      profileId,
      actorUserId: actor!.userId,
      actorKind: 'user',
      action: 'member.removed',
      entityType: 'user',
      entityId: member.userId,
      details: { roles: member.roles, sessionsEnded },
    });
    return { userId: member.userId, sessionsEnded };
  });
}
