import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, invitations, profileMembers, profiles, staffSessions, users, userTokens } from '@/db/schema';
import {
  acceptInvitation,
  acceptInvitationAsUser,
  changeMemberRoles,
  changePassword,
  createPracticeForOperator,
  inviteMember,
  listInvitations,
  listMembers,
  previewInvitation,
  removeMember,
  requestPasswordReset,
  resendInvitation,
  resetLinkUsable,
  resetPassword,
  revokeInvitation,
  signUp,
  slugAvailability,
  verifyEmail,
} from '@/lib/accounts';
import { loadActor, type Actor } from '@/lib/auth/actor';
import { verifyPassword } from '@/lib/auth/password';
import { hashSessionToken, newSessionToken } from '@/lib/auth/sessions';
import type { Db } from '@/lib/db';
import { setNotificationConfig } from '@/lib/notifications';
import { actorByEmail } from '../helpers/actors';
import { setupTestDb } from '../helpers/db';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp';

const BASE = 'http://app.test';
let db: Db;
let smtp: TestSmtpServer;

/** The link of the newest mail to `to` whose subject matches, waiting for it to arrive. */
async function linkFrom(to: string, subject: RegExp, path: string): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const mail = smtp.to(to).filter((m) => subject.test(m.subject)).at(-1);
    if (mail) {
      const m = new RegExp(`${BASE}${path}/([A-Za-z0-9_-]{43})`).exec(mail.text);
      if (!m) throw new Error(`no ${path} link in the mail`);
      return m[1];
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no mail to ${to} matching ${subject}`);
}

/** Whether the password matches the account's stored argon2id hash (what sign-in checks). */
async function passwordWorks(email: string, password: string): Promise<boolean> {
  const [user] = await db.select({ hash: users.passwordHash }).from(users).where(eq(users.email, email));
  return Boolean(user?.hash) && (await verifyPassword(user.hash!, password));
}

async function actorOf(userId: string): Promise<Actor> {
  return (await loadActor(db, userId))!;
}

async function sessionFor(userId: string): Promise<string> {
  const [row] = await db
    .insert(staffSessions)
    .values({ userId, tokenHash: hashSessionToken(newSessionToken()), expiresAt: new Date(Date.now() + 3600_000) })
    .returning({ id: staffSessions.id });
  return row.id;
}

async function liveSessions(userId: string): Promise<string[]> {
  const rows = await db.select({ id: staffSessions.id }).from(staffSessions).where(and(eq(staffSessions.userId, userId), sql`${staffSessions.revokedAt} IS NULL`));
  return rows.map((r) => r.id);
}

beforeAll(async () => {
  db = (await setupTestDb()).db;
  smtp = await startSmtpServer();
  setNotificationConfig({ smtpUrl: smtp.url, printUnsent: false });
});

afterAll(async () => {
  setNotificationConfig(undefined);
  await smtp.close();
});

describe('sign-up', () => {
  it('creates an inactive practice with its owner as admin and doctor; the mailed link verifies once and puts it online', async () => {
    expect(await slugAvailability({ slug: 'clinica-norte' })).toEqual({ slug: 'clinica-norte', available: true });
    expect((await slugAvailability({ slug: 'demo' })).available).toBe(false);
    expect((await slugAvailability({ slug: 'Bad Slug!' })).available).toBe(false);

    const result = await signUp(
      { practiceName: 'Clínica Norte', slug: 'clinica-norte', specialty: 'Pediatrics', timeZone: 'America/Bogota', name: 'Dra. Sofía Ruiz', email: 'Sofia@Norte.test', password: 'long-enough-pw', isDoctor: 'on' },
      { baseUrl: BASE, clientAddress: '203.0.113.9' },
    );
    expect(result.mail).toBe('sent');
    const [practice] = await db.select().from(profiles).where(eq(profiles.id, result.profileId));
    expect(practice).toMatchObject({ slug: 'clinica-norte', isActive: false, timeZone: 'America/Bogota', displayName: 'Clínica Norte' });
    const [member] = await db.select().from(profileMembers).where(eq(profileMembers.profileId, result.profileId));
    expect([...member.roles].sort()).toEqual(['admin', 'doctor']);
    // Inactive: not in the owner's dashboard yet.
    expect((await actorOf(result.userId)).memberships).toHaveLength(0);
    expect((await slugAvailability({ slug: 'clinica-norte' })).available).toBe(false);

    const token = await linkFrom('sofia@norte.test', /Confirm your e-mail/, '/verify-email');
    const [stored] = await db.select({ hash: userTokens.tokenHash }).from(userTokens).where(eq(userTokens.userId, result.userId));
    expect(stored.hash).not.toContain(token);
    const verified = await verifyEmail(token);
    expect(verified.activated.map((p) => p.slug)).toEqual(['clinica-norte']);
    expect((await actorOf(result.userId)).memberships.map((m) => m.slug)).toEqual(['clinica-norte']);
    await expect(verifyEmail(token)).rejects.toMatchObject({ code: 'verification_expired' });
    const actions = await db.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.profileId, result.profileId));
    expect(actions.map((a) => a.action)).toEqual(expect.arrayContaining(['practice.signed_up', 'mail.email_verification', 'practice.activated']));
  });

  it('an owner who is not the doctor is admin only; a taken slug or e-mail is a field error', async () => {
    const r = await signUp(
      { practiceName: 'Centro Sur', slug: 'centro-sur', timeZone: 'Europe/Madrid', name: 'Luis Manager', email: 'manager@sur.test', password: 'long-enough-pw' },
      { baseUrl: BASE },
    );
    const [member] = await db.select().from(profileMembers).where(eq(profileMembers.profileId, r.profileId));
    expect(member.roles).toEqual(['admin']);
    await expect(
      signUp({ practiceName: 'X', slug: 'centro-sur', timeZone: 'Europe/Madrid', name: 'Y', email: 'other@sur.test', password: 'long-enough-pw' }, { baseUrl: BASE }),
    ).rejects.toMatchObject({ code: 'conflict', fields: { slug: expect.any(String) } });
    await expect(
      signUp({ practiceName: 'X', slug: 'centro-oeste', timeZone: 'Europe/Madrid', name: 'Y', email: 'MANAGER@sur.test', password: 'long-enough-pw' }, { baseUrl: BASE }),
    ).rejects.toMatchObject({ code: 'conflict', fields: { email: expect.any(String) } });
    await expect(
      signUp({ practiceName: 'X', slug: 'centro-este', timeZone: 'Mars/Olympus', name: 'Y', email: 'y@sur.test', password: 'short' }, { baseUrl: BASE }),
    ).rejects.toMatchObject({ code: 'invalid_request', fields: { timeZone: expect.any(String), password: expect.any(String) } });
  });

  it('a verification link stops working after 48 hours (moved clock)', async () => {
    const t0 = new Date('2031-03-01T10:00:00Z');
    const r = await signUp(
      { practiceName: 'Tarde', slug: 'tarde', timeZone: 'Europe/Madrid', name: 'Late', email: 'late@tarde.test', password: 'long-enough-pw' },
      { baseUrl: BASE, now: t0 },
    );
    const token = await linkFrom('late@tarde.test', /Confirm/, '/verify-email');
    await expect(verifyEmail(token, {}, { now: new Date(t0.getTime() + 48 * 3600_000 + 1000) })).rejects.toMatchObject({ code: 'verification_expired' });
    const [p] = await db.select({ isActive: profiles.isActive }).from(profiles).where(eq(profiles.id, r.profileId));
    expect(p.isActive).toBe(false);
  });
});

describe('invitations and members', () => {
  it('an admin invites a doctor; the mailed link sets the password, works once, and the doctor signs in to the practice', async () => {
    const admin = await actorByEmail(db, 'admin@demo.test');
    const demo = admin.memberships[0].profileId;
    const invited = await inviteMember(admin, demo, { email: 'New.Doctor@Demo.test', role: 'doctor' }, { baseUrl: BASE });
    expect(invited).toMatchObject({ email: 'new.doctor@demo.test', mail: 'sent' });
    await expect(inviteMember(admin, demo, { email: 'new.doctor@demo.test', role: 'admin' }, { baseUrl: BASE })).rejects.toMatchObject({ code: 'conflict' });
    await expect(inviteMember(admin, demo, { email: 'doctor@demo.test', role: 'doctor' }, { baseUrl: BASE })).rejects.toMatchObject({ code: 'conflict' });
    expect((await listInvitations(admin, demo)).map((i) => i.email)).toContain('new.doctor@demo.test');

    const first = await linkFrom('new.doctor@demo.test', /invited/, '/invitations');
    // Resending mails a new link; the first one dies.
    await resendInvitation(admin, demo, { invitationId: invited.invitationId }, { baseUrl: BASE });
    await expect.poll(() => smtp.to('new.doctor@demo.test').length).toBe(2);
    const token = await linkFrom('new.doctor@demo.test', /invited/, '/invitations');
    expect(token).not.toBe(first);
    await expect(previewInvitation(first)).rejects.toMatchObject({ code: 'not_found' });
    expect(await previewInvitation(token)).toMatchObject({ email: 'new.doctor@demo.test', roles: ['doctor'], accountExists: false });

    const joined = await acceptInvitation(token, { name: 'Dr. Nuevo', password: 'a-new-doctor-pw' });
    expect(joined.roles).toEqual(['doctor']);
    await expect(acceptInvitation(token, { name: 'Again', password: 'a-new-doctor-pw' })).rejects.toMatchObject({ code: 'not_found' });
    expect(await passwordWorks('new.doctor@demo.test', 'a-new-doctor-pw')).toBe(true);
    const doctor = await actorOf(joined.userId);
    expect(doctor.memberships.map((m) => [m.slug, m.roles])).toEqual([['demo', ['doctor']]]);
  });

  it('a front-desk member is invited with that role and holds it (the permission map decides what it may do)', async () => {
    const admin = await actorByEmail(db, 'admin@demo.test');
    const demo = admin.memberships[0].profileId;
    const invited = await inviteMember(admin, demo, { email: 'desk@demo.test', role: 'front_desk' }, { baseUrl: BASE });
    expect(invited).toMatchObject({ email: 'desk@demo.test', mail: 'sent' });
    const token = await linkFrom('desk@demo.test', /invited/, '/invitations');
    const joined = await acceptInvitation(token, { name: 'Front Desk', password: 'a-front-desk-pw' });
    expect(joined.roles).toEqual(['front_desk']);
    const desk = await actorOf(joined.userId);
    const { can } = await import('@/lib/auth/permissions');
    expect(can(desk.memberships[0].roles, 'notes.read')).toBe(false);
    expect(can(desk.memberships[0].roles, 'appointments.book')).toBe(true);
  });

  it('a revoked invitation cannot be used; an expired one (7 days, moved clock) neither; a signed-in user joins with one click', async () => {
    const admin = await actorByEmail(db, 'admin@demo.test');
    const demo = admin.memberships[0].profileId;
    const revoked = await inviteMember(admin, demo, { email: 'revoked@demo.test', role: 'admin' }, { baseUrl: BASE });
    const revokedToken = await linkFrom('revoked@demo.test', /invited/, '/invitations');
    await revokeInvitation(admin, demo, { invitationId: revoked.invitationId });
    await expect(acceptInvitation(revokedToken, { name: 'R', password: 'long-enough-pw' })).rejects.toMatchObject({ code: 'not_found' });

    // doctor2 has an account (practice demo-2) and is invited to demo as an admin.
    const t0 = new Date();
    await inviteMember(admin, demo, { email: 'doctor2@demo.test', role: 'admin' }, { baseUrl: BASE, now: t0 });
    const token = await linkFrom('doctor2@demo.test', /invited/, '/invitations');
    const doctor2 = await actorByEmail(db, 'doctor2@demo.test');
    await expect(acceptInvitationAsUser(doctor2, token, {}, { now: new Date(t0.getTime() + 7 * 24 * 3600_000 + 1000) })).rejects.toMatchObject({ code: 'not_found' });
    const other = await actorByEmail(db, 'doctor@demo.test');
    await expect(acceptInvitationAsUser(other, token)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(acceptInvitation(token, { name: 'X', password: 'long-enough-pw' })).rejects.toMatchObject({ code: 'conflict' });
    const joined = await acceptInvitationAsUser(doctor2, token);
    expect(joined.roles).toEqual(['admin']);
    expect((await actorOf(doctor2.userId)).memberships.map((m) => m.slug).sort()).toEqual(['demo', 'demo-2']);
  });

  it('roles change; the last admin cannot be demoted or removed; a removed member loses the practice at once', async () => {
    const practice = await signUp(
      { practiceName: 'Solo', slug: 'solo-admin', timeZone: 'Europe/Madrid', name: 'Only Admin', email: 'only@solo.test', password: 'long-enough-pw' },
      { baseUrl: BASE },
    );
    await verifyEmail(await linkFrom('only@solo.test', /Confirm/, '/verify-email'));
    const owner = await actorOf(practice.userId);
    const p = practice.profileId;
    await expect(changeMemberRoles(owner, p, { userId: owner.userId, roles: ['doctor'] })).rejects.toMatchObject({ code: 'conflict' });
    await expect(removeMember(owner, p, { userId: owner.userId })).rejects.toMatchObject({ code: 'conflict' });
    expect(await changeMemberRoles(owner, p, { userId: owner.userId, roles: ['admin', 'doctor'] })).toMatchObject({ changed: true, roles: ['admin', 'doctor'] });

    await inviteMember(owner, p, { email: 'helper@solo.test', role: 'admin' }, { baseUrl: BASE });
    const joined = await acceptInvitation(await linkFrom('helper@solo.test', /invited/, '/invitations'), { name: 'Helper', password: 'long-enough-pw' });
    const session = await sessionFor(joined.userId);
    // Two admins now: the owner may step down to doctor only.
    expect(await changeMemberRoles(owner, p, { userId: owner.userId, roles: ['doctor'] })).toMatchObject({ changed: true });
    const ownerNow = await actorOf(owner.userId);
    await expect(removeMember(ownerNow, p, { userId: joined.userId })).rejects.toMatchObject({ code: 'forbidden' });
    const helper = await actorOf(joined.userId);
    await expect(removeMember(helper, p, { userId: joined.userId })).rejects.toMatchObject({ code: 'conflict' });
    await changeMemberRoles(helper, p, { userId: owner.userId, roles: ['admin', 'doctor'] });
    const removed = await removeMember(await actorOf(owner.userId), p, { userId: joined.userId });
    expect(removed.sessionsEnded).toBe(1);
    expect(await liveSessions(joined.userId)).not.toContain(session);
    expect(await liveSessions(joined.userId)).toEqual([]);
    expect((await actorOf(joined.userId)).memberships).toEqual([]);
    // The stale actor object (an old request) is refused by lib from the next load on.
    await expect(listMembers(await actorOf(joined.userId), p)).rejects.toMatchObject({ code: 'not_found' });
    const audit = await db.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.profileId, p));
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['member.roles_changed', 'member.removed', 'invitation.created', 'invitation.accepted']));
  });
});

describe('password reset and change', () => {
  it('the same answer for a known and an unknown e-mail; the link works once; the old password stops working; sessions end', async () => {
    const [user] = await db.select({ id: users.id }).from(users).where(eq(users.email, 'doctor@demo.test'));
    const s1 = await sessionFor(user.id);
    const before = smtp.messages.length;
    const unknown = await requestPasswordReset({ email: 'nobody@nowhere.test' }, { baseUrl: BASE });
    await unknown.mail;
    const known = await requestPasswordReset({ email: 'DOCTOR@demo.test' }, { baseUrl: BASE });
    expect(known.message).toBe(unknown.message);
    await known.mail;
    expect(smtp.messages.length).toBe(before + 1);
    expect(smtp.to('nobody@nowhere.test')).toHaveLength(0);
    const token = await linkFrom('doctor@demo.test', /new password/, '/reset-password');
    expect(await resetLinkUsable(token)).toBe(true);

    const done = await resetPassword(token, { password: 'brand-new-password' });
    expect(done.sessionsEnded).toBe(1);
    expect(await liveSessions(user.id)).not.toContain(s1);
    await expect(resetPassword(token, { password: 'another-password-2' })).rejects.toMatchObject({ code: 'verification_expired' });
    expect(await passwordWorks('doctor@demo.test', 'demo-password-1')).toBe(false);
    expect(await passwordWorks('doctor@demo.test', 'brand-new-password')).toBe(true);
  });

  it('a reset link does not work after an hour (moved clock), and only the newest link works', async () => {
    const t0 = new Date('2031-05-05T08:00:00Z');
    await (await requestPasswordReset({ email: 'admin@demo.test' }, { baseUrl: BASE, now: t0 })).mail;
    const older = await linkFrom('admin@demo.test', /new password/, '/reset-password');
    await (await requestPasswordReset({ email: 'admin@demo.test' }, { baseUrl: BASE, now: t0 })).mail;
    await expect.poll(() => smtp.to('admin@demo.test').filter((m) => /new password/.test(m.subject)).length).toBe(2);
    const token = await linkFrom('admin@demo.test', /new password/, '/reset-password');
    expect(token).not.toBe(older);
    await expect(resetPassword(older, { password: 'some-password-1' }, { now: t0 })).rejects.toMatchObject({ code: 'verification_expired' });
    const late = new Date(t0.getTime() + 60 * 60_000 + 1);
    expect(await resetLinkUsable(token, { now: late })).toBe(false);
    await expect(resetPassword(token, { password: 'some-password-1' }, { now: late })).rejects.toMatchObject({ code: 'verification_expired' });
    expect(await resetLinkUsable(token, { now: new Date(t0.getTime() + 59 * 60_000) })).toBe(true);
    expect(await passwordWorks('admin@demo.test', 'demo-password-1')).toBe(true);
  });

  it('changing the password asks for the current one and ends every other session', async () => {
    const me = await actorByEmail(db, 'doctor2@demo.test');
    const current = await sessionFor(me.userId);
    const other = await sessionFor(me.userId);
    await expect(changePassword(me, { currentPassword: 'wrong-password', newPassword: 'changed-password-1' })).rejects.toMatchObject({ fields: { currentPassword: expect.any(String) } });
    const r = await changePassword(me, { currentPassword: 'demo-password-1', newPassword: 'changed-password-1' }, { sessionId: current });
    expect(r.sessionsEnded).toBe(1);
    const live = await liveSessions(me.userId);
    expect(live).toContain(current);
    expect(live).not.toContain(other);
    expect(await passwordWorks('doctor2@demo.test', 'changed-password-1')).toBe(true);
    await expect(changePassword(null, { currentPassword: 'x', newPassword: 'changed-password-2' })).rejects.toMatchObject({ code: 'unauthorized' });
  });
});

describe('operator command', () => {
  it('creates a live practice and an admin invitation; a taken slug and a bad e-mail are clear errors', async () => {
    const r = await createPracticeForOperator({ slug: 'op-clinic', name: 'Operator Clinic', adminEmail: 'Boss@Op.test', doctor: true }, { baseUrl: BASE });
    expect(r.invitationUrl).toMatch(new RegExp(`^${BASE}/invitations/[A-Za-z0-9_-]{43}$`));
    const [p] = await db.select({ isActive: profiles.isActive }).from(profiles).where(eq(profiles.id, r.profileId));
    expect(p.isActive).toBe(true);
    const [inv] = await db.select({ roles: invitations.roles, email: invitations.email }).from(invitations).where(eq(invitations.id, r.invitationId));
    expect(inv).toEqual({ roles: ['admin', 'doctor'], email: 'boss@op.test' });
    const joined = await acceptInvitation(r.invitationUrl.split('/').at(-1), { name: 'Boss', password: 'long-enough-pw' });
    expect(joined.roles).toEqual(['admin', 'doctor']);
    await expect(createPracticeForOperator({ slug: 'op-clinic', name: 'Again', adminEmail: 'a@op.test' }, { baseUrl: BASE })).rejects.toMatchObject({
      code: 'conflict',
      fields: { slug: 'That address is taken; choose another.' },
    });
    await expect(createPracticeForOperator({ slug: 'op-2', name: 'Again', adminEmail: 'not-an-email' }, { baseUrl: BASE })).rejects.toMatchObject({
      code: 'invalid_request',
      fields: { adminEmail: 'Enter a valid e-mail address.' },
    });
  });
});
