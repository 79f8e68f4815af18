import type { NextAuthConfig } from 'next-auth';

/**
 * The part of the Auth.js configuration without the database or password hashing;
 * lib/auth/auth.ts adds the adapter and the credentials provider.
 */
export const authConfig = {
  pages: { signIn: '/login' },
  session: { strategy: 'jwt', maxAge: 12 * 60 * 60 },
  trustHost: true,
  // Local development runs without any environment; production must set AUTH_SECRET.
  secret: process.env.AUTH_SECRET ?? (process.env.NODE_ENV === 'production' ? undefined : 'dev-only-secret-not-for-production-use'),
  providers: [],
  logger: {
    // A wrong password is an expected outcome, already audited; not a server error to log.
    error(error) {
      if (error.name === 'CredentialsSignin' || (error as { type?: string }).type === 'CredentialsSignin') return;
      console.error('[auth]', error);
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
