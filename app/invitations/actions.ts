'use server';

import { acceptInvitation, acceptInvitationAsUser, type AcceptNewAccountInput } from '@/lib/accounts';
import { actionTranslator, errorState, notAFormState, publicAction, type ActionState } from '@/lib/actions';
import { currentActor } from '@/lib/auth/session';

export const acceptInvitationAction = publicAction(
  async (input: Record<string, unknown>) => {
    await acceptInvitation(input.token, input as AcceptNewAccountInput);
    return (await actionTranslator('auth.invitation'))('welcome');
  },
  { name: 'accounts.accept_invitation' },
  (message) => message,
);

/** One click for someone already signed in with the invited address. */
export async function joinPracticeAction(_prev: ActionState | undefined, formData: FormData): Promise<ActionState> {
  if (!(formData instanceof FormData)) return notAFormState();
  try {
    const joined = await acceptInvitationAsUser(await currentActor(), formData.get('token'));
    return { ok: true, message: (await actionTranslator('auth.invitation'))('joined', { slug: joined.slug }) };
  } catch (err) {
    return errorState(err, null, 'accounts.join_practice');
  }
}
