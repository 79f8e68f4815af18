'use server';

import { acceptInvitation, acceptInvitationAsUser, type AcceptNewAccountInput } from '@/lib/accounts';
import { errorState, publicAction, type ActionState } from '@/lib/actions';
import { currentActor } from '@/lib/auth/session';

export const acceptInvitationAction = publicAction(
  async (input: Record<string, unknown>) => acceptInvitation(input.token, input as AcceptNewAccountInput),
  { name: 'accounts.accept_invitation' },
  () => 'Welcome! Your account is ready: sign in with your e-mail and the password you chose.',
);

/** One click for someone already signed in with the invited address. */
export async function joinPracticeAction(_prev: ActionState | undefined, formData: FormData): Promise<ActionState> {
  if (!(formData instanceof FormData)) return { error: 'The form could not be read. Reload the page and try again.' };
  try {
    const joined = await acceptInvitationAsUser(await currentActor(), formData.get('token'));
    return { ok: true, message: `You joined the practice (${joined.slug}).` };
  } catch (err) {
    return errorState(err, null, 'accounts.join_practice');
  }
}
