import type { NextAuthConfig } from 'next-auth';
import { secret } from '@/lib/env';

/** An unreadable session cookie is logged once a minute per process, by its type only. */
const QUIET_MS = 60_000;
const lastLogged = new Map<string, number>();

/**
 * The part of the Auth.js configuration without the database or password hashing;
 * lib/auth/auth.ts adds the credentials provider and the session checks.
 */
export const authConfig = {
  pages: { signIn: '/login' },
  // The cookie's own limit; the session row's 12-hour expiry and idle timeout decide first.
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
      // A garbage or stale cookie is treated as signed out (Auth.js clears it); one short line
      // a minute says it happens, not one per request.
      const now = Date.now();
      if ((lastLogged.get(type) ?? 0) + QUIET_MS > now) return;
      lastLogged.set(type, now);
      // Like lib/log (which this edge-safe module cannot import): the error's type only, never its
      // message (it can carry the e-mail typed at sign-in).
      console.error(`[error] auth.failed error=${String(type).replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 60)}`);
    },
  },
} satisfies NextAuthConfig;
