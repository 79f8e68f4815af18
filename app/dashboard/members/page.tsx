import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { InvitationList } from '@/components/members/invitation-list';
import { InviteForm } from '@/components/members/invite-form';
import { MemberList } from '@/components/members/member-list';
import { listInvitations, listMembers } from '@/lib/accounts';
import { can } from '@/lib/auth/permissions';
import { currentPractice, requireActor } from '@/lib/auth/session';
import { formatWhen } from '@/lib/i18n/format';
import { pageLocale } from '@/lib/i18n/page-locale';
import { changeRolesAction, inviteMemberAction, removeMemberAction, resendInvitationAction, revokeInvitationAction } from './actions';

export const dynamic = 'force-dynamic';
export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('dashboard.members'))('title') };
}

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
  const [t, locale] = await Promise.all([getTranslations('dashboard.members'), pageLocale()]);
  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-bold">{t('title')}</h1>
        <p className="text-slate-700">{t('intro', { practice: practice.displayName })}</p>
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
          {t('invite')}
        </h2>
        <p className="text-sm text-slate-700">{t('inviteIntro')}</p>
        <InviteForm profileId={practice.profileId} action={inviteMemberAction} />
      </section>
      <InvitationList
        profileId={practice.profileId}
        invitations={invitations.map((i) => ({
          ...i,
          createdAt: i.createdAt.toISOString(),
          expiresAt: i.expiresAt.toISOString(),
          validUntil: formatWhen(locale, i.expiresAt, 'UTC'),
        }))}
        resend={resendInvitationAction}
        revoke={revokeInvitationAction}
      />
    </div>
  );
}
