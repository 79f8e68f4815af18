'use server';

import { headers } from 'next/headers';
import {
  changeMemberRoles,
  inviteMember,
  mailOutcomeText,
  removeMember,
  resendInvitation,
  revokeInvitation,
  type InvitationIdInput,
  type InviteInput,
} from '@/lib/accounts';
import { practiceAction } from '@/lib/actions';
import type { Actor } from '@/lib/auth/actor';
import { publicOriginFromHeaders } from '@/lib/api/http';

const PATH = '/dashboard/members';

async function baseUrl() {
  return publicOriginFromHeaders(await headers());
}

export const inviteMemberAction = practiceAction(
  async (actor: Actor | null, profileId: string, input: InviteInput) => inviteMember(actor, profileId, input, { baseUrl: await baseUrl() }),
  { name: 'members.invite', revalidate: PATH },
  (r) => mailOutcomeText(r.mail === 'deferred' ? 'sent' : r.mail, `the invitation to ${r.email}`),
);

export const resendInvitationAction = practiceAction(
  async (actor: Actor | null, profileId: string, input: InvitationIdInput) => resendInvitation(actor, profileId, input, { baseUrl: await baseUrl() }),
  { name: 'members.resend_invitation', revalidate: PATH },
  (r) => mailOutcomeText(r.mail === 'deferred' ? 'sent' : r.mail, `a new link to ${r.email}`),
);

export const revokeInvitationAction = practiceAction(revokeInvitation, { name: 'members.revoke_invitation', revalidate: PATH }, (r) => `The invitation to ${r.email} is revoked.`);

export const changeRolesAction = practiceAction(changeMemberRoles, { name: 'members.change_roles', revalidate: PATH }, (r) =>
  r.changed ? 'Roles saved.' : 'Nothing changed.',
);

export const removeMemberAction = practiceAction(removeMember, { name: 'members.remove', revalidate: PATH }, () => 'Removed from the practice.');
