import { and, asc, eq, gt, isNull, sql } from 'drizzle-orm';
import { invitations, profileMembers, profiles, users, type MemberRole } from '@/db/schema';
import { audit } from '@/lib/audit';
import type { Actor } from '@/lib/auth/actor';
import { hashPassword } from '@/lib/auth/password';
import { authorize, describeRoles } from '@/lib/auth/permissions';
import { scopedRow } from '@/lib/data/scope';
import { executor, transaction, type CallOptions, type Tx } from '@/lib/db';
import { DomainError } from '@/lib/errors';
import { fieldError, parseInput } from '@/lib/validation/fields';
import type { z } from 'zod';
import { sendStaffMail, type StaffMailOutcome } from './mail';
import { acceptNewAccountSchema, invitationIdSchema, inviteSchema } from './schemas';
import type { PublicCaller } from './signup';
import { INVITATION_MS, hashToken, isTokenShape, linkTo, newToken } from './tokens';

export type InviteInput = z.input<typeof inviteSchema>;
export type InvitationIdInput = z.input<typeof invitationIdSchema>;
export type AcceptNewAccountInput = z.input<typeof acceptNewAccountSchema>;

export interface InvitationView {
  id: string;
  email: string;
  roles: MemberRole[];
  createdAt: Date;
  expiresAt: Date;
  expired: boolean;
}

export interface InviteResult {
  invitationId: string;
  email: string;
  mail: StaffMailOutcome | 'deferred';
}

/** The invitation mail; each send carries a fresh token, so a resent invitation's old link dies. */
async function mailInvitation(
  inv: { id: string; profileId: string; email: string; roles: MemberRole[]; practiceName: string; inviterName: string | null },
  link: string,
): Promise<StaffMailOutcome> {
  return sendStaffMail({
    purpose: 'invitation',
    to: inv.email,
    subject: `You are invited to ${inv.practiceName}`,
    text: [
      `${inv.inviterName ?? 'An admin'} invites you to join ${inv.practiceName} as ${describeRoles(inv.roles)}.`,
      '',
      'Accept the invitation here:',
      link,
      '',
      'The link works once, for 7 days. If you did not expect it, ignore this message.',
    ].join('\n'),
    profileId: inv.profileId,
    userId: null,
    entityType: 'invitation',
    entityId: inv.id,
  });
}

/**
 * An admin invites someone by e-mail with a role (doctor or admin): a hashed, single-use token
 * valid 7 days, mailed after the commit. Refused for a present member or a pending invitation
 * to the same address (resend that one instead).
 */
export async function inviteMember(actor: Actor | null, profileId: string, input: InviteInput, opts: CallOptions & { baseUrl: string }): Promise<InviteResult> {
  authorize(actor, profileId, 'members.manage');
  const { email, role } = parseInput(inviteSchema, input);
  const now = opts.now ?? new Date();
  const { token, hash } = newToken();
  const created = await transaction(opts, async (tx) => {
    const [practice] = await tx.select({ name: profiles.displayName }).from(profiles).where(eq(profiles.id, profileId)).for('update').limit(1);
    if (!practice) throw new DomainError('not_found', 'No such practice.');
    const [member] = await tx
      .select({ userId: profileMembers.userId })
      .from(profileMembers)
      .innerJoin(users, eq(users.id, profileMembers.userId))
      .where(and(eq(profileMembers.profileId, profileId), sql`lower(${users.email}) = ${email}`))
      .limit(1);
    if (member) throw fieldError('email', 'This person is already a member of the practice.', 'conflict');
    const [pending] = await tx
      .select({ id: invitations.id })
      .from(invitations)
      .where(and(eq(invitations.profileId, profileId), eq(invitations.email, email), isNull(invitations.acceptedAt), isNull(invitations.revokedAt), gt(invitations.expiresAt, now)))
      .limit(1);
    if (pending) throw fieldError('email', 'This address already has a pending invitation: resend it from the list below.', 'conflict');
    const [row] = await tx
      .insert(invitations)
      .values({ profileId, email, roles: [role], tokenHash: hash, invitedBy: actor!.userId, createdAt: now, expiresAt: new Date(now.getTime() + INVITATION_MS) })
      .returning({ id: invitations.id });
    await audit(tx, { profileId, actorUserId: actor!.userId, actorKind: 'user', action: 'invitation.created', entityType: 'invitation', entityId: row.id, details: { roles: [role] } });
    return { id: row.id, practiceName: practice.name };
  });
  const mail = opts.tx
    ? ('deferred' as const)
    : await mailInvitation({ id: created.id, profileId, email, roles: [role], practiceName: created.practiceName, inviterName: actor!.name }, linkTo(opts.baseUrl, '/invitations', token));
  return { invitationId: created.id, email, mail };
}

/** The practice's invitations not accepted or revoked, newest first (expired ones marked). */
export async function listInvitations(actor: Actor | null, profileId: string, _input?: object, opts?: CallOptions): Promise<InvitationView[]> {
  authorize(actor, profileId, 'members.view');
  const db = await executor(opts);
  const now = opts?.now ?? new Date();
  const rows = await db
    .select({ id: invitations.id, email: invitations.email, roles: invitations.roles, createdAt: invitations.createdAt, expiresAt: invitations.expiresAt })
    .from(invitations)
    .where(and(eq(invitations.profileId, profileId), isNull(invitations.acceptedAt), isNull(invitations.revokedAt)))
    .orderBy(asc(invitations.email))
    .limit(200);
  return rows.map((r) => ({ ...r, expired: r.expiresAt <= now }));
}

/** A pending invitation gets a new link (the old one stops working) valid 7 days from now. */
export async function resendInvitation(actor: Actor | null, profileId: string, input: InvitationIdInput, opts: CallOptions & { baseUrl: string }): Promise<InviteResult> {
  authorize(actor, profileId, 'members.manage');
  const { invitationId } = parseInput(invitationIdSchema, input);
  const now = opts.now ?? new Date();
  const { token, hash } = newToken();
  const inv = await transaction(opts, async (tx) => {
    const row = await scopedRow(invitations, profileId, invitationId, 'invitation', (where) =>
      tx
        .select({ id: invitations.id, email: invitations.email, roles: invitations.roles, acceptedAt: invitations.acceptedAt, revokedAt: invitations.revokedAt })
        .from(invitations)
        .where(where)
        .for('update')
        .limit(1),
    );
    if (row.acceptedAt || row.revokedAt) throw new DomainError('conflict', `This invitation was already ${row.acceptedAt ? 'accepted' : 'revoked'}.`);
    await tx.update(invitations).set({ tokenHash: hash, expiresAt: new Date(now.getTime() + INVITATION_MS) }).where(eq(invitations.id, row.id));
    await audit(tx, { profileId, actorUserId: actor!.userId, actorKind: 'user', action: 'invitation.resent', entityType: 'invitation', entityId: row.id });
    const [practice] = await tx.select({ name: profiles.displayName }).from(profiles).where(eq(profiles.id, profileId)).limit(1);
    return { ...row, practiceName: practice.name };
  });
  const mail = opts.tx
    ? ('deferred' as const)
    : await mailInvitation({ id: inv.id, profileId, email: inv.email, roles: inv.roles, practiceName: inv.practiceName, inviterName: actor!.name }, linkTo(opts.baseUrl, '/invitations', token));
  return { invitationId: inv.id, email: inv.email, mail };
}

/** A pending invitation is revoked: its link stops working. */
export async function revokeInvitation(actor: Actor | null, profileId: string, input: InvitationIdInput, opts?: CallOptions): Promise<{ invitationId: string; email: string }> {
  authorize(actor, profileId, 'members.manage');
  const { invitationId } = parseInput(invitationIdSchema, input);
  const now = opts?.now ?? new Date();
  return transaction(opts, async (tx) => {
    const row = await scopedRow(invitations, profileId, invitationId, 'invitation', (where) =>
      tx.select({ id: invitations.id, email: invitations.email }).from(invitations).where(where).limit(1),
    );
    const [done] = await tx
      .update(invitations)
      .set({ revokedAt: now })
      .where(and(eq(invitations.id, row.id), isNull(invitations.acceptedAt), isNull(invitations.revokedAt)))
      .returning({ id: invitations.id });
    if (!done) throw new DomainError('conflict', 'This invitation was already accepted or revoked.');
    await audit(tx, { profileId, actorUserId: actor!.userId, actorKind: 'user', action: 'invitation.revoked', entityType: 'invitation', entityId: row.id });
    return { invitationId: row.id, email: row.email };
  });
}

export interface InvitationPreview {
  practiceName: string;
  slug: string;
  email: string;
  roles: MemberRole[];
  expiresAt: Date;
  /** Whether an account with the invited e-mail exists: then the invitee signs in and joins. */
  accountExists: boolean;
}

const UNUSABLE = 'This invitation link has expired, was already used or was revoked. Ask the practice’s admin for a new one.';

/** What the invitation page shows for a link; `not_found` when it cannot be used. Public. */
export async function previewInvitation(token: unknown, _input?: object, opts?: CallOptions): Promise<InvitationPreview> {
  if (!isTokenShape(token)) throw new DomainError('not_found', UNUSABLE);
  const db = await executor(opts);
  const now = opts?.now ?? new Date();
  const [row] = await db
    .select({ email: invitations.email, roles: invitations.roles, expiresAt: invitations.expiresAt, practiceName: profiles.displayName, slug: profiles.slug })
    .from(invitations)
    .innerJoin(profiles, eq(profiles.id, invitations.profileId))
    .where(and(eq(invitations.tokenHash, hashToken(token)), isNull(invitations.acceptedAt), isNull(invitations.revokedAt), gt(invitations.expiresAt, now)))
    .limit(1);
  if (!row) throw new DomainError('not_found', UNUSABLE);
  const [user] = await db.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = ${row.email}`).limit(1);
  return { ...row, accountExists: Boolean(user) };
}

export interface AcceptResult {
  profileId: string;
  slug: string;
  userId: string;
  email: string;
  roles: MemberRole[];
}

/** Claims the invitation (compare-and-set: unused, not revoked, in time), locked for the accept. */
async function claimInvitation(tx: Tx, token: unknown, now: Date) {
  if (!isTokenShape(token)) throw new DomainError('not_found', UNUSABLE);
  const [row] = await tx
    .select({ id: invitations.id, profileId: invitations.profileId, email: invitations.email, roles: invitations.roles, slug: profiles.slug })
    .from(invitations)
    .innerJoin(profiles, eq(profiles.id, invitations.profileId))
    .where(and(eq(invitations.tokenHash, hashToken(token)), isNull(invitations.acceptedAt), isNull(invitations.revokedAt), gt(invitations.expiresAt, now)))
    .for('update', { of: invitations })
    .limit(1);
  if (!row) throw new DomainError('not_found', UNUSABLE);
  return row;
}

async function join(tx: Tx, inv: Awaited<ReturnType<typeof claimInvitation>>, userId: string, now: Date, actorKind: 'user'): Promise<MemberRole[]> {
  const [member] = await tx
    .insert(profileMembers)
    .values({ profileId: inv.profileId, userId, roles: inv.roles, createdAt: now })
    .onConflictDoUpdate({
      target: [profileMembers.profileId, profileMembers.userId],
      // Already a member (invited twice): the roles add up.
      set: { roles: sql`ARRAY(SELECT DISTINCT unnest(${profileMembers.roles} || excluded.roles) ORDER BY 1)::member_role[]` },
    })
    .returning({ roles: profileMembers.roles });
  const [done] = await tx
    .update(invitations)
    .set({ acceptedAt: now, acceptedBy: userId })
    .where(and(eq(invitations.id, inv.id), isNull(invitations.acceptedAt)))
    .returning({ id: invitations.id });
  if (!done) throw new DomainError('not_found', UNUSABLE);
  await audit(tx, { profileId: inv.profileId, actorUserId: userId, actorKind, action: 'invitation.accepted', entityType: 'invitation', entityId: inv.id });
  await audit(tx, { profileId: inv.profileId, actorUserId: userId, actorKind, action: 'member.added', entityType: 'user', entityId: userId, details: { roles: member.roles } });
  return member.roles;
}

/**
 * The invitee has no account: they choose their name and password, and join. The link proved
 * the e-mail, so the account starts verified. An address that already has an account signs in
 * and joins instead (`acceptInvitationAsUser`).
 */
export async function acceptInvitation(token: unknown, input: AcceptNewAccountInput, opts?: CallOptions & Partial<PublicCaller>): Promise<AcceptResult> {
  const { name, password } = parseInput(acceptNewAccountSchema, input);
  const now = opts?.now ?? new Date();
  const passwordHash = await hashPassword(password);
  return transaction(opts, async (tx) => {
    const inv = await claimInvitation(tx, token, now);
    const [existing] = await tx.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = ${inv.email}`).limit(1);
    if (existing) throw new DomainError('conflict', 'There is already an account with this e-mail: sign in, then open the invitation link again to join.');
    const [user] = await tx
      .insert(users)
      .values({ name, email: inv.email, passwordHash, passwordChangedAt: now, emailVerified: now, createdAt: now })
      .returning({ id: users.id });
    const roles = await join(tx, inv, user.id, now, 'user');
    return { profileId: inv.profileId, slug: inv.slug, userId: user.id, email: inv.email, roles };
  });
}

/** A signed-in person joins with one click; the invitation must be for their own e-mail. */
export async function acceptInvitationAsUser(actor: Actor | null, token: unknown, _input?: object, opts?: CallOptions): Promise<AcceptResult> {
  if (!actor) throw new DomainError('unauthorized', 'Sign in first, then open the invitation link again.');
  const now = opts?.now ?? new Date();
  return transaction(opts, async (tx) => {
    const inv = await claimInvitation(tx, token, now);
    if (inv.email !== actor.email.toLowerCase()) {
      throw new DomainError('forbidden', 'This invitation is for another e-mail address. Sign out and open the link again, or ask the admin to invite the address you sign in with.');
    }
    const roles = await join(tx, inv, actor.userId, now, 'user');
    return { profileId: inv.profileId, slug: inv.slug, userId: actor.userId, email: inv.email, roles };
  });
}
