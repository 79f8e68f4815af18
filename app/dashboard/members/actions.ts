'use server';

import { headers } from 'next/headers';
import {
  changeMemberRoles,
  inviteMember,
  removeMember,
  resendInvitation,
  revokeInvitation,
  type InvitationIdInput,
  type InviteInput,
} from '@/lib/accounts';
import { actionTranslator, practiceAction } from '@/lib/actions';
import type { Actor } from '@/lib/auth/actor';
import { publicOriginFromHeaders } from '@/lib/api/http';

const PATH = '/dashboard/members';

async function baseUrl() {
  return publicOriginFromHeaders(await headers());
}

export const inviteMemberAction = practiceAction(
  async (actor: Actor | null, profileId: string, input: InviteInput) => inviteMember(actor, profileId, input, { baseUrl: await baseUrl() }),
  { name: 'members.invite', revalidate: PATH },
  async (r) => {
    const [t, tMail] = await Promise.all([actionTranslator('dashboard.members'), actionTranslator('auth.mail')]);
    return tMail(r.mail === 'deferred' ? 'sent' : r.mail, { what: t('invitationTo', { email: r.email }) });
  },
);

export const resendInvitationAction = practiceAction(
  async (actor: Actor | null, profileId: string, input: InvitationIdInput) => resendInvitation(actor, profileId, input, { baseUrl: await baseUrl() }),
  { name: 'members.resend_invitation', revalidate: PATH },
  async (r) => {
    const [t, tMail] = await Promise.all([actionTranslator('dashboard.members'), actionTranslator('auth.mail')]);
    return tMail(r.mail === 'deferred' ? 'sent' : r.mail, { what: t('newLinkTo', { email: r.email }) });
  },
);

export const revokeInvitationAction = practiceAction(revokeInvitation, { name: 'members.revoke_invitation', revalidate: PATH }, async (r) =>
  (await actionTranslator('dashboard.members'))('revoked', { email: r.email }),
);

export const changeRolesAction = practiceAction(changeMemberRoles, { name: 'members.change_roles', revalidate: PATH }, async (r) =>
  r.changed ? (await actionTranslator('dashboard.members'))('rolesSaved') : (await actionTranslator('dashboard.members'))('nothingChanged'),
);

export const removeMemberAction = practiceAction(removeMember, { name: 'members.remove', revalidate: PATH }, async () =>
  (await actionTranslator('dashboard.members'))('removed'),
);
