'use server';

import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { decodeForm, errorState, notAFormState, type ActionState } from '@/lib/actions';
import { clientAddressFromHeaders } from '@/lib/api/http';
import { safeNextPath } from '@/lib/auth/credentials';
import { currentSession } from '@/lib/auth/session';
import { confirmEnrolment, disableTwoFactor, verifySecondFactor } from '@/lib/auth/two-factor';


/** The second step of sign-in: a code from the app or a recovery code. */
export async function verifySecondFactorAction(_prev: ActionState | undefined, formData: FormData): Promise<ActionState> {
  if (!(formData instanceof FormData)) return notAFormState();
  const input = decodeForm(formData);
  try {
    await verifySecondFactor(await currentSession(), input, { address: clientAddressFromHeaders(await headers()) });
  } catch (err) {
    return errorState(err, formData, 'auth.second_factor');
  }
  redirect(safeNextPath(input.next));
}

export interface EnrolmentState extends ActionState {
  recoveryCodes?: string[];
}

/** Turns two-factor sign-in on with the first code from the app; answers the recovery codes once. */
export async function confirmEnrolmentAction(_prev: EnrolmentState | undefined, formData: FormData): Promise<EnrolmentState> {
  if (!(formData instanceof FormData)) return notAFormState();
  try {
    const { recoveryCodes } = await confirmEnrolment(await currentSession(), decodeForm(formData));
    return { ok: true, recoveryCodes };
  } catch (err) {
    return errorState(err, formData, 'auth.two_factor_enable');
  }
}

/** Turns two-factor sign-in off (the account page), with a current code. */
export async function disableTwoFactorAction(_prev: ActionState | undefined, formData: FormData): Promise<ActionState> {
  if (!(formData instanceof FormData)) return notAFormState();
  try {
    await disableTwoFactor(await currentSession(), decodeForm(formData));
  } catch (err) {
    return errorState(err, formData, 'auth.two_factor_disable');
  }
  redirect('/dashboard/account');
}
