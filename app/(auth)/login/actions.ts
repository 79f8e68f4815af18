'use server';

import { AuthError, CredentialsSignin } from 'next-auth';
import { publicAction } from '@/lib/actions';
import { signIn, signOut } from '@/lib/auth/auth';
import { safeNextPath, signInGate, signInSchema } from '@/lib/auth/credentials';
import { revokeSession } from '@/lib/auth/sessions';
import { currentSession } from '@/lib/auth/session';
import { parseInput } from '@/lib/validation/fields';

const BUSY = (email: string) => ({ error: 'Many people are signing in right now. Try again in a few seconds.', values: { email } });

// Both sign-in doors (this form and Auth.js's own endpoint) go through the same Credentials
// provider: the throttles, the bound on password hashing and the session row are in lib/auth.
export const signInAction = publicAction(
  async (input: Record<string, unknown>) => {
    const data = parseInput(signInSchema, input);
    if (signInGate.saturated) return BUSY(data.email);
    try {
      await signIn('credentials', { email: data.email, password: data.password, redirectTo: safeNextPath(input.next) });
    } catch (err) {
      if (err instanceof CredentialsSignin && err.code === 'throttled') {
        return { error: 'Too many sign-in attempts. Wait a few minutes and try again.', values: { email: data.email } };
      }
      if (err instanceof CredentialsSignin && err.code === 'busy') return BUSY(data.email);
      if (err instanceof AuthError) {
        return { error: 'The e-mail or the password is not right.', values: { email: data.email } };
      }
      throw err;
    }
  },
  { name: 'auth.sign_in' },
  (state) => state,
);

/** Ends this session in the database, then clears the cookie. */
export async function signOutAction() {
  const session = await currentSession();
  if (session) await revokeSession(session.sessionId, { userId: session.userId, reason: 'signed_out' });
  await signOut({ redirectTo: '/login' });
}
