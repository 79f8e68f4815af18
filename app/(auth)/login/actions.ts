'use server';

import { AuthError, CredentialsSignin } from 'next-auth';
import { publicAction } from '@/lib/actions';
import { signIn, signOut } from '@/lib/auth/auth';
import { safeNextPath, signInSchema } from '@/lib/auth/credentials';
import { parseInput } from '@/lib/validation/fields';

export const signInAction = publicAction(
  async (input: Record<string, unknown>) => {
    const data = parseInput(signInSchema, input);
    try {
      await signIn('credentials', { email: data.email, password: data.password, redirectTo: safeNextPath(input.next) });
    } catch (err) {
      if (err instanceof CredentialsSignin && err.code === 'locked') {
        return { error: 'Too many failed sign-ins for this e-mail. Wait 15 minutes and try again.', values: { email: data.email } };
      }
      if (err instanceof AuthError) {
        return { error: 'The e-mail or the password is not right.', values: { email: data.email } };
      }
      throw err;
    }
  },
  { name: 'auth.sign_in' },
  (state) => state,
);

export async function signOutAction() {
  await signOut({ redirectTo: '/login' });
}
