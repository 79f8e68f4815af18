'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { actionTranslator, decodeForm, errorState, notAFormState, type ActionState } from '@/lib/actions';
import { signOut } from '@/lib/auth/auth';
import { signOutEverywhere, signOutSession } from '@/lib/auth/account';
import { currentActor, currentSession } from '@/lib/auth/session';
import { setStaffLocale } from '@/lib/i18n/staff-locale';


/** Ends one session from the list; ending this one signs out here. */
export async function signOutSessionAction(_prev: ActionState | undefined, formData: FormData): Promise<ActionState> {
  if (!(formData instanceof FormData)) return notAFormState();
  let current = false;
  try {
    current = (await signOutSession(await currentSession(), decodeForm(formData))).current;
  } catch (err) {
    return errorState(err, formData, 'account.sign_out_session');
  }
  if (current) await signOut({ redirectTo: '/login' });
  revalidatePath('/dashboard/account');
  return { ok: true, message: (await actionTranslator('dashboard.sessions'))('ended') };
}

/** Ends every session of this person, this one too. */
export async function signOutEverywhereAction(_prev: ActionState | undefined, formData: FormData): Promise<ActionState> {
  if (!(formData instanceof FormData)) return notAFormState();
  try {
    await signOutEverywhere(await currentSession());
  } catch (err) {
    return errorState(err, formData, 'account.sign_out_everywhere');
  }
  await signOut({ redirect: false });
  redirect('/login');
}

/**
 * The person's own dashboard language (blank: automatic). A plain form (works without
 * JavaScript): the account page is shown again, already in the chosen language.
 */
export async function setStaffLocaleAction(formData: FormData): Promise<void> {
  let outcome = 'saved';
  try {
    await setStaffLocale(await currentActor(), formData instanceof FormData ? decodeForm(formData) : {});
  } catch (err) {
    const state = await errorState(err, null, 'account.set_locale');
    if (state.error) outcome = 'error';
  }
  revalidatePath('/dashboard', 'layout');
  redirect(`/dashboard/account?language=${outcome}`);
}
