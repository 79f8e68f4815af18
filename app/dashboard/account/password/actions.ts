'use server';

import { changePassword, type ChangePasswordInput } from '@/lib/accounts';
import { actionTranslator, decodeForm, errorState, notAFormState, type ActionState } from '@/lib/actions';
import { currentActor, currentSession } from '@/lib/auth/session';

/** The signed-in person's password; their other sessions end, this one stays. */
export async function changePasswordAction(_prev: ActionState | undefined, formData: FormData): Promise<ActionState> {
  if (!(formData instanceof FormData)) return notAFormState();
  try {
    const session = await currentSession();
    const { sessionsEnded } = await changePassword(await currentActor(), decodeForm(formData) as ChangePasswordInput, { sessionId: session?.sessionId });
    return {
      ok: true,
      message: (await actionTranslator('dashboard.password'))('done', { count: sessionsEnded }),
    };
  } catch (err) {
    return errorState(err, formData, 'accounts.change_password');
  }
}
