'use server';

import { headers } from 'next/headers';
import { publicAction } from '@/lib/actions';
import { requestPasswordReset, resetPassword } from '@/lib/accounts';
import { clientAddressFromHeaders, publicOriginFromHeaders } from '@/lib/api/http';

export const requestResetAction = publicAction(
  async (input: Record<string, unknown>) => {
    const h = await headers();
    // The mail is not awaited: the answer takes as long whether or not the address has an account.
    const { message } = await requestPasswordReset(input, { baseUrl: publicOriginFromHeaders(h), clientAddress: clientAddressFromHeaders(h) });
    return message;
  },
  { name: 'accounts.request_reset' },
  (message) => message,
);

export const resetPasswordAction = publicAction(
  async (input: Record<string, unknown>) => resetPassword(input.token, input),
  { name: 'accounts.reset_password' },
  () => 'Your password is changed and every session of your account was signed out. Sign in with the new password.',
);
