'use server';

import { z } from 'zod';
import { AuthError, CredentialsSignin } from 'next-auth';
import { signIn, signOut } from '@/lib/auth/auth';
import { signInSchema } from '@/lib/auth/credentials';
import { publicAction } from '@/lib/actions';

function safeNext(next: unknown): string {
  return typeof next === 'string' && next.startsWith('/dashboard') && !next.startsWith('//') ? next : '/dashboard';
}

export const signInAction = publicAction(signInSchema.extend({ next: z.string().max(500).optional() }), async (data) => {
  try {
    await signIn('credentials', { email: data.email, password: data.password, redirectTo: safeNext(data.next) });
  } catch (err) {
    if (err instanceof CredentialsSignin && err.code === 'locked') {
      return { error: 'Too many failed sign-ins for this e-mail. Wait 15 minutes and try again.', values: { email: data.email } };
    }
    if (err instanceof AuthError) {
      return { error: 'The e-mail or the password is not right.', values: { email: data.email } };
    }
    throw err;
  }
});

export async function signOutAction() {
  await signOut({ redirectTo: '/login' });
}
