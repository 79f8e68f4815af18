'use server';

import { headers } from 'next/headers';
import { publicAction } from '@/lib/actions';
import { mailOutcomeText, resendVerification, signUp, slugAvailability, type SignUpInput, type SlugAvailability } from '@/lib/accounts';
import { clientAddressFromHeaders, publicOriginFromHeaders } from '@/lib/api/http';

async function caller() {
  const h = await headers();
  return { baseUrl: publicOriginFromHeaders(h), clientAddress: clientAddressFromHeaders(h) };
}

export const signUpAction = publicAction(
  async (input: Record<string, unknown>) => signUp(input as SignUpInput, await caller()),
  { name: 'accounts.sign_up' },
  (r) => `${mailOutcomeText(r.mail === 'deferred' ? 'sent' : r.mail, `a confirmation link to ${r.email}`)}`,
);

/** The inline check of the booking address. */
export async function checkSlugAction(slug: string): Promise<SlugAvailability> {
  return slugAvailability({ slug: typeof slug === 'string' ? slug.slice(0, 80) : '' });
}

export const resendVerificationAction = publicAction(
  async (input: Record<string, unknown>) => resendVerification(input, await caller()),
  { name: 'accounts.resend_verification' },
  () => 'If that account still needs confirming, we sent it a new link.',
);
