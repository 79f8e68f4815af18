'use server';

import { publicAction } from '@/lib/actions';
import { verifyEmail } from '@/lib/accounts';

export const verifyEmailAction = publicAction(
  async (input: Record<string, unknown>) => verifyEmail(input.token),
  { name: 'accounts.verify_email' },
  (r) =>
    r.activated.length
      ? `Your e-mail is confirmed and ${r.activated.map((p) => p.displayName).join(', ')} is online. Sign in to finish setting it up.`
      : 'Your e-mail is confirmed. Sign in to continue.',
);
