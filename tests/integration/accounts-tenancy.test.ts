import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { invitations, profileMembers } from '@/db/schema';
import {
  changeMemberRoles,
  inviteMember,
  listInvitations,
  listMembers,
  onboardingStatus,
  removeMember,
  resendInvitation,
  revokeInvitation,
  signUp,
  verifyEmail,
} from '@/lib/accounts';
import { loadActor, type Actor } from '@/lib/auth/actor';
import type { Db } from '@/lib/db';
import { setNotificationConfig } from '@/lib/notifications';
import { actorByEmail } from '../helpers/actors';
import { setupTestDb } from '../helpers/db';
import { startSmtpServer } from '../helpers/smtp';

/**
 * Every new entry point of lib/accounts that takes an actor and a practice, called across
 * practices and roles: an admin of one practice cannot invite into, list, change or remove the
 * members (or invitations) of another; a doctor cannot invite, change roles or remove anyone.
 * Nothing changes on a refused call.
 */
const BASE = 'http://app.test';
let db: Db;
let demoAdmin: Actor;
let demoDoctor: Actor;
let otherAdmin: Actor;
let demoId: string;
let otherId: string;
let demoInvitationId: string;
let otherInvitationId: string;
let demoDoctorId: string;

beforeAll(async () => {
  db = (await setupTestDb()).db;
  const smtp = await startSmtpServer();
  setNotificationConfig({ smtpUrl: smtp.url, printUnsent: false });
  const signed = await signUp(
    { practiceName: 'Otra Clínica', slug: 'otra-clinica', timeZone: 'Europe/Madrid', name: 'Other Admin', email: 'admin@otra.test', password: 'long-enough-pw' },
    { baseUrl: BASE },
  );
  // Verified through its mailed link, so the practice is live and in the owner's memberships.
  for (let i = 0; i < 100 && !smtp.to('admin@otra.test').length; i++) await new Promise((r) => setTimeout(r, 50));
  const token = /\/verify-email\/([A-Za-z0-9_-]{43})/.exec(smtp.to('admin@otra.test')[0].text)![1];
  await verifyEmail(token);
  otherAdmin = (await loadActor(db, signed.userId))!;
  otherId = signed.profileId;
  demoAdmin = await actorByEmail(db, 'admin@demo.test');
  demoDoctor = await actorByEmail(db, 'doctor@demo.test');
  demoId = demoAdmin.memberships[0].profileId;
  demoDoctorId = demoDoctor.userId;
  demoInvitationId = (await inviteMember(demoAdmin, demoId, { email: 'pending@demo.test', role: 'doctor' }, { baseUrl: BASE })).invitationId;
  otherInvitationId = (await inviteMember(otherAdmin, otherId, { email: 'pending@otra.test', role: 'admin' }, { baseUrl: BASE })).invitationId;
});

async function snapshot() {
  const members = await db.select().from(profileMembers);
  const invs = await db.select().from(invitations);
  return JSON.stringify({ members: members.map((m) => [m.profileId, m.userId, m.roles]).sort(), invs: invs.map((i) => [i.id, i.tokenHash, i.revokedAt, i.acceptedAt, i.expiresAt]).sort() });
}

describe('an admin of another practice', () => {
  it('cannot invite into, list, change or remove the members or invitations of demo (not found)', async () => {
    const before = await snapshot();
    const calls: [string, () => Promise<unknown>][] = [
      ['inviteMember', () => inviteMember(otherAdmin, demoId, { email: 'x@evil.test', role: 'admin' }, { baseUrl: BASE })],
      ['listMembers', () => listMembers(otherAdmin, demoId)],
      ['listInvitations', () => listInvitations(otherAdmin, demoId)],
      ['resendInvitation', () => resendInvitation(otherAdmin, demoId, { invitationId: demoInvitationId }, { baseUrl: BASE })],
      ['revokeInvitation', () => revokeInvitation(otherAdmin, demoId, { invitationId: demoInvitationId })],
      ['changeMemberRoles', () => changeMemberRoles(otherAdmin, demoId, { userId: demoDoctorId, roles: ['admin'] })],
      ['removeMember', () => removeMember(otherAdmin, demoId, { userId: demoDoctorId })],
      ['onboardingStatus', () => onboardingStatus(otherAdmin, demoId)],
    ];
    for (const [name, call] of calls) await expect(call(), name).rejects.toMatchObject({ code: 'not_found' });
    expect(await snapshot()).toBe(before);
  });

  it('cannot reach demo’s rows through its own practice id (a foreign invitation or member is not found)', async () => {
    const before = await snapshot();
    const calls: [string, () => Promise<unknown>][] = [
      ['resendInvitation', () => resendInvitation(otherAdmin, otherId, { invitationId: demoInvitationId }, { baseUrl: BASE })],
      ['revokeInvitation', () => revokeInvitation(otherAdmin, otherId, { invitationId: demoInvitationId })],
      ['changeMemberRoles', () => changeMemberRoles(otherAdmin, otherId, { userId: demoDoctorId, roles: ['admin'] })],
      ['removeMember', () => removeMember(otherAdmin, otherId, { userId: demoDoctorId })],
      ['demo admin → other invitation', () => revokeInvitation(demoAdmin, demoId, { invitationId: otherInvitationId })],
      ['demo admin → other owner', () => removeMember(demoAdmin, demoId, { userId: otherAdmin.userId })],
    ];
    for (const [name, call] of calls) await expect(call(), name).rejects.toMatchObject({ code: 'not_found' });
    const listed = await listMembers(otherAdmin, otherId);
    expect(listed.map((m) => m.email)).toEqual(['admin@otra.test']);
    expect((await listInvitations(otherAdmin, otherId)).map((i) => i.email)).toEqual(['pending@otra.test']);
    expect(await snapshot()).toBe(before);
  });
});

describe('a doctor', () => {
  it('cannot invite, list, change roles, remove, resend or revoke (forbidden), in their own practice', async () => {
    const before = await snapshot();
    const calls: [string, () => Promise<unknown>][] = [
      ['inviteMember', () => inviteMember(demoDoctor, demoId, { email: 'friend@demo.test', role: 'doctor' }, { baseUrl: BASE })],
      ['listMembers', () => listMembers(demoDoctor, demoId)],
      ['listInvitations', () => listInvitations(demoDoctor, demoId)],
      ['resendInvitation', () => resendInvitation(demoDoctor, demoId, { invitationId: demoInvitationId }, { baseUrl: BASE })],
      ['revokeInvitation', () => revokeInvitation(demoDoctor, demoId, { invitationId: demoInvitationId })],
      ['changeMemberRoles (self → admin)', () => changeMemberRoles(demoDoctor, demoId, { userId: demoDoctorId, roles: ['admin', 'doctor'] })],
      ['removeMember', () => removeMember(demoDoctor, demoId, { userId: demoAdmin.userId })],
    ];
    for (const [name, call] of calls) await expect(call(), name).rejects.toMatchObject({ code: 'forbidden' });
    // The checklist is readable by every member.
    expect(await onboardingStatus(demoDoctor, demoId)).toMatchObject({ slug: 'demo', hasService: true, hasHours: true, hasDoctor: true, doctorInvited: true });
    // A new practice starts with everything to do but the doctor (its owner said they are not).
    expect(await onboardingStatus(otherAdmin, otherId)).toEqual({ slug: 'otra-clinica', hasService: false, hasHours: false, hasDoctor: false, doctorInvited: false, complete: false });
    expect(await snapshot()).toBe(before);
  });

  it('signed out is unauthorized everywhere', async () => {
    for (const call of [
      () => inviteMember(null, demoId, { email: 'a@b.test', role: 'doctor' }, { baseUrl: BASE }),
      () => listMembers(null, demoId),
      () => changeMemberRoles(null, demoId, { userId: demoDoctorId, roles: ['admin'] }),
      () => removeMember(null, demoId, { userId: demoDoctorId }),
      () => revokeInvitation(null, demoId, { invitationId: demoInvitationId }),
    ]) {
      await expect(call()).rejects.toMatchObject({ code: 'unauthorized' });
    }
    const [row] = await db.select({ revokedAt: invitations.revokedAt }).from(invitations).where(eq(invitations.id, demoInvitationId));
    expect(row.revokedAt).toBeNull();
  });
});
