'use server';

import { changePassword, type ChangePasswordInput } from '@/lib/accounts';
import { errorState, decodeForm, type ActionState } from '@/lib/actions';
import { currentActor, currentSession } from '@/lib/auth/session';

/** The signed-in person's password; their other sessions end, this one stays. */
export async function changePasswordAction(_prev: ActionState | undefined, formData: FormData): Promise<ActionState> {
  if (!(formData instanceof FormData)) return { error: 'The form could not be read. Reload the page and try again.' };
  try {
    const session = await currentSession();
    const { sessionsEnded } = await changePassword(await currentActor(), decodeForm(formData) as ChangePasswordInput, { sessionId: session?.sessionId });
    return {
      ok: true,
      message: `Password changed. ${sessionsEnded === 1 ? '1 other session was' : `${sessionsEnded} other sessions were`} signed out; this one stays signed in.`,
    };
  } catch (err) {
    return errorState(err, formData, 'accounts.change_password');
  }
}
