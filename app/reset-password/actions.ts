'use server';

import { headers } from 'next/headers';
import { actionTranslator, publicAction } from '@/lib/actions';
import { requestPasswordReset, resetPassword } from '@/lib/accounts';
import { clientAddressFromHeaders, publicOriginFromHeaders } from '@/lib/api/http';

export const requestResetAction = publicAction(
  async (input: Record<string, unknown>) => {
    const h = await headers();
    // The mail is not awaited: the answer takes as long whether or not the address has an account.
    await requestPasswordReset(input, { baseUrl: publicOriginFromHeaders(h), clientAddress: clientAddressFromHeaders(h) });
    // The same answer whether or not the address has an account (lib's RESET_REQUESTED, in the page's language).
    return (await actionTranslator('auth.reset'))('requested');
  },
  { name: 'accounts.request_reset' },
  (message) => message,
);

export const resetPasswordAction = publicAction(
  async (input: Record<string, unknown>) => {
    await resetPassword(input.token, input);
    return (await actionTranslator('auth.reset'))('done');
  },
  { name: 'accounts.reset_password' },
  (message) => message,
);
