'use server';

import { headers } from 'next/headers';
import { actionTranslator, publicAction } from '@/lib/actions';
import { resendVerification, signUp, slugAvailability, type SignUpInput, type SlugAvailability } from '@/lib/accounts';
import { clientAddressFromHeaders, publicOriginFromHeaders } from '@/lib/api/http';

async function caller() {
  const h = await headers();
  return { baseUrl: publicOriginFromHeaders(h), clientAddress: clientAddressFromHeaders(h) };
}

export const signUpAction = publicAction(
  async (input: Record<string, unknown>) => {
    const r = await signUp(input as SignUpInput, await caller());
    const [t, tMail] = await Promise.all([actionTranslator('auth.signup'), actionTranslator('auth.mail')]);
    // i18n-keys: auth.mail.*
    return tMail(r.mail === 'deferred' ? 'sent' : r.mail, { what: t('confirmationLink', { email: r.email }) });
  },
  { name: 'accounts.sign_up' },
  (message) => message,
);

/** The inline check of the booking address. */
export async function checkSlugAction(slug: string): Promise<SlugAvailability> {
  return slugAvailability({ slug: typeof slug === 'string' ? slug.slice(0, 80) : '' });
}

export const resendVerificationAction = publicAction(
  async (input: Record<string, unknown>) => {
    await resendVerification(input, await caller());
    return (await actionTranslator('auth.signup'))('resent');
  },
  { name: 'accounts.resend_verification' },
  (message) => message,
);
