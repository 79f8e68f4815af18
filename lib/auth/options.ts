import type { NextAuthConfig, User } from 'next-auth';
import Credentials from 'next-auth/providers/credentials';
import { getDb } from '@/lib/db';
import { clientAddress } from '@/lib/api/http';
import { authConfig } from './auth.config';
import { authenticate, signInSchema } from './credentials';
import { checkSession, revokeSessionToken, type SessionStage } from './sessions';
import { SignInBusyError, SignInThrottledError } from './sign-in-door';

export { SignInBusyError, SignInThrottledError };

type SessionUser = User & { sessionToken: string };

declare module 'next-auth' {
  interface Session {
    sessionId?: string;
    stage?: SessionStage;
    idleTimeoutMinutes?: number;
  }
}

/**
 * Auth.js with the JWT strategy as an envelope only: the cookie carries a random session token
 * (`sid`) whose hash is a `staff_sessions` row, checked on every request (lib/auth/sessions.ts says
 * why the `database` strategy is not used). A token whose row is revoked, expired or idle makes the
 * jwt callback answer null, so Auth.js clears the cookie instead of re-issuing it. Kept apart from
 * lib/auth/auth.ts (which binds it to Next) so tests can run Auth.js's endpoints in process.
 */
export async function authOptions(): Promise<NextAuthConfig> {
  const db = await getDb();
  return {
    ...authConfig,
    // next-auth sets this itself; said here too so the same options run under @auth/core (tests).
    basePath: '/api/auth',
    providers: [
      Credentials({
        credentials: { email: { type: 'email' }, password: { type: 'password' } },
        async authorize(raw, request) {
          const parsed = signInSchema.safeParse(raw);
          if (!parsed.success) return null;
          const result = await authenticate(db, parsed.data.email, parsed.data.password, {
            address: clientAddress(request),
            userAgent: request.headers.get('user-agent'),
          });
          if (result.ok) {
            const user: SessionUser = { id: result.user.id, email: result.user.email, name: result.user.name, sessionToken: result.sessionToken };
            return user;
          }
          if (result.reason === 'throttled') throw new SignInThrottledError(result.retryAfterSeconds);
          if (result.reason === 'busy') throw new SignInBusyError(result.retryAfterSeconds);
          return null;
        },
      }),
    ],
    callbacks: {
      async jwt({ token, user }) {
        if (user) {
          token.sub = user.id;
          token.sid = (user as SessionUser).sessionToken;
        }
        if (typeof token.sid !== 'string') return null;
        const state = await checkSession(token.sid);
        if (!state || state.userId !== token.sub) return null;
        token.sessionId = state.sessionId;
        token.stage = state.stage;
        token.idleTimeoutMinutes = state.idleTimeoutMinutes;
        return token;
      },
      session({ session, token }) {
        if (token.sub && session.user) session.user.id = token.sub;
        session.sessionId = token.sessionId as string | undefined;
        session.stage = token.stage as SessionStage | undefined;
        session.idleTimeoutMinutes = token.idleTimeoutMinutes as number | undefined;
        return session;
      },
    },
    events: {
      async signOut(message) {
        const sid = 'token' in message ? message.token?.sid : undefined;
        if (typeof sid === 'string') await revokeSessionToken(sid, 'signed_out');
      },
    },
  };
}
