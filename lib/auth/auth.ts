import 'server-only';
import NextAuth from 'next-auth';
import { authOptions } from './options';

export { SignInBusyError, SignInThrottledError } from './options';

export const { handlers, auth, signIn, signOut } = NextAuth(authOptions);
