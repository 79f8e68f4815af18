import type { NextAuthConfig } from 'next-auth';
import { secret } from '@/lib/env';

/**
 * The part of the Auth.js configuration without the database or password hashing;
 * lib/auth/auth.ts adds the adapter and the credentials provider.
 */
export const authConfig = {
  pages: { signIn: '/login' },
  session: { strategy: 'jwt', maxAge: 12 * 60 * 60 },
  trustHost: true,
  // Read when Auth.js is configured (per request, lib/auth/auth.ts spreads this object), not at
  // import: `next build` loads this module without AUTH_SECRET. Production never falls back.
  get secret() {
    return secret();
  },
  providers: [],
  logger: {
    // A wrong password is an expected outcome, already audited; not a server error to log.
    error(error) {
      const type = (error as { type?: string }).type ?? error.name;
      if (error.name === 'CredentialsSignin' || type === 'CredentialsSignin') return;
      // Like lib/log (which this edge-safe module cannot import): the error's type only, never its
      // message (it can carry the e-mail typed at sign-in).
      console.error(`[error] auth.failed error=${String(type).replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 60)}`);
    },
  },
  callbacks: {
    jwt({ token, user }) {
      if (user?.id) token.sub = user.id;
      return token;
    },
    session({ session, token }) {
      if (token.sub && session.user) session.user.id = token.sub;
      return session;
    },
  },
} satisfies NextAuthConfig;
