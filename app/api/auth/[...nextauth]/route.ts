import type { NextRequest } from 'next/server';
import { guardAuthHandler } from '@/lib/auth/route';
import { handlers } from '@/lib/auth/auth';
import { SignInBusyError, SignInThrottledError, throughSignInDoor } from '@/lib/auth/sign-in-door';

export const GET = guardAuthHandler('auth.get', handlers.GET);

const post = guardAuthHandler('auth.post', handlers.POST);

// A sign-in goes through the door (lib/auth/sign-in-door): one from an address Postgres already
// refused, one over its address's in-flight limit, or one arriving while the process's sign-ins
// are saturated is answered before Auth.js reads it, with the answer the Credentials provider
// gives for the same reason (and Retry-After): a flood costs little more than its refusals.
export async function POST(req: NextRequest): Promise<Response> {
  if (!req.nextUrl.pathname.endsWith('/callback/credentials')) return post(req);
  try {
    return await throughSignInDoor(req.headers, () => post(req));
  } catch (err) {
    if (!(err instanceof SignInThrottledError || err instanceof SignInBusyError)) throw err;
    return new Response(null, {
      status: 302,
      headers: {
        Location: `/login?error=CredentialsSignin&code=${err.code}`,
        'Retry-After': String(err.retryAfterSeconds ?? 2),
        'Cache-Control': 'no-store',
      },
    });
  }
}
