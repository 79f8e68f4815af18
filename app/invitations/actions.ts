'use server';

import { getTranslations } from 'next-intl/server';
import { acceptInvitation, acceptInvitationAsUser, type AcceptNewAccountInput } from '@/lib/accounts';
import { errorState, notAFormState, publicAction, type ActionState } from '@/lib/actions';
import { currentActor } from '@/lib/auth/session';

export const acceptInvitationAction = publicAction(
  async (input: Record<string, unknown>) => {
    await acceptInvitation(input.token, input as AcceptNewAccountInput);
    return (await getTranslations('auth.invitation'))('welcome');
  },
  { name: 'accounts.accept_invitation' },
  (message) => message,
);

/** One click for someone already signed in with the invited address. */
export async function joinPracticeAction(_prev: ActionState | undefined, formData: FormData): Promise<ActionState> {
  if (!(formData instanceof FormData)) return notAFormState();
  try {
    const joined = await acceptInvitationAsUser(await currentActor(), formData.get('token'));
    return { ok: true, message: (await getTranslations('auth.invitation'))('joined', { slug: joined.slug }) };
  } catch (err) {
    return errorState(err, null, 'accounts.join_practice');
  }
}
