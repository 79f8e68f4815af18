'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { decodeForm, errorState, type ActionState } from '@/lib/actions';
import { signOut } from '@/lib/auth/auth';
import { signOutEverywhere, signOutSession } from '@/lib/auth/account';
import { currentSession } from '@/lib/auth/session';

const NOT_A_FORM: ActionState = { error: 'The form could not be read. Reload the page and try again.' };

/** Ends one session from the list; ending this one signs out here. */
export async function signOutSessionAction(_prev: ActionState | undefined, formData: FormData): Promise<ActionState> {
  if (!(formData instanceof FormData)) return NOT_A_FORM;
  let current = false;
  try {
    current = (await signOutSession(await currentSession(), decodeForm(formData))).current;
  } catch (err) {
    return errorState(err, formData, 'account.sign_out_session');
  }
  if (current) await signOut({ redirectTo: '/login' });
  revalidatePath('/dashboard/account');
  return { ok: true, message: 'That session has ended.' };
}

/** Ends every session of this person, this one too. */
export async function signOutEverywhereAction(_prev: ActionState | undefined, formData: FormData): Promise<ActionState> {
  if (!(formData instanceof FormData)) return NOT_A_FORM;
  try {
    await signOutEverywhere(await currentSession());
  } catch (err) {
    return errorState(err, formData, 'account.sign_out_everywhere');
  }
  await signOut({ redirect: false });
  redirect('/login');
}
