import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { InvitationList } from '@/components/members/invitation-list';
import { InviteForm } from '@/components/members/invite-form';
import { MemberList } from '@/components/members/member-list';
import { listInvitations, listMembers } from '@/lib/accounts';
import { can } from '@/lib/auth/permissions';
import { currentPractice, requireActor } from '@/lib/auth/session';
import { changeRolesAction, inviteMemberAction, removeMemberAction, resendInvitationAction, revokeInvitationAction } from './actions';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Members' };

export default async function MembersPage() {
  const actor = await requireActor();
  const practice = await currentPractice(actor);
  if (!practice) return null;
  if (!can(practice.roles, 'members.view')) redirect('/dashboard');
  const now = new Date();
  const [members, invitations] = await Promise.all([
    listMembers(actor, practice.profileId, {}, { now }),
    listInvitations(actor, practice.profileId, {}, { now }),
  ]);
  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-bold">Members</h1>
        <p className="text-slate-700">Who works in {practice.displayName}, and what each may do. A practice always keeps at least one admin.</p>
      </div>
      <MemberList
        profileId={practice.profileId}
        selfId={actor.userId}
        members={members.map((m) => ({ ...m, joinedAt: m.joinedAt.toISOString() }))}
        changeRoles={changeRolesAction}
        remove={removeMemberAction}
      />
      <section aria-labelledby="invite-heading" className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="invite-heading" className="text-lg font-semibold">
          Invite someone
        </h2>
        <p className="text-sm text-slate-700">They get an e-mail with a link that works once, for 7 days.</p>
        <InviteForm profileId={practice.profileId} action={inviteMemberAction} />
      </section>
      <InvitationList
        profileId={practice.profileId}
        invitations={invitations.map((i) => ({ ...i, createdAt: i.createdAt.toISOString(), expiresAt: i.expiresAt.toISOString() }))}
        resend={resendInvitationAction}
        revoke={revokeInvitationAction}
      />
    </div>
  );
}
