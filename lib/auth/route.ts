import type { NextRequest } from 'next/server';
import { toDomainError } from '@/lib/errors';
import { logWarn } from '@/lib/log';

/**
 * Auth.js answers a request it cannot parse (an unknown action, a malformed callback URL, a
 * missing CSRF token) by throwing or with a 500: for its public endpoints that is bad input, so it
 * becomes a plain 400; an unreachable database is a 503. Logged by code only.
 */
export function guardAuthHandler(name: string, handler: (req: NextRequest) => Promise<Response>) {
  return async (req: NextRequest): Promise<Response> => {
    try {
      const res = await handler(req);
      if (res.status < 500) return res;
      logWarn('auth_refused', { route: name, status: res.status });
    } catch (err) {
      const known = toDomainError(err);
      if (known?.code === 'unavailable') {
        return new Response('The service is briefly unavailable. Try again in a few seconds.', { status: 503, headers: { 'Retry-After': '5' } });
      }
      logWarn('auth_refused', { route: name, error: err instanceof Error ? err.name : 'unknown' });
    }
    return new Response('Bad request.', { status: 400, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } });
  };
}
