import type { NextRequest } from 'next/server';
import { guardAuthHandler } from '@/lib/auth/route';
import { handlers } from '@/lib/auth/auth';
import { signInGate } from '@/lib/auth/credentials';

export const GET = guardAuthHandler('auth.get', handlers.GET);

const post = guardAuthHandler('auth.post', handlers.POST);

// A sign-in arriving while the process's sign-ins are saturated is answered before Auth.js reads
// it (the same answer the Credentials provider gives when busy): a flood costs little more than
// its refusals.
export async function POST(req: NextRequest): Promise<Response> {
  if (signInGate.saturated && req.nextUrl.pathname.endsWith('/callback/credentials')) {
    return new Response(null, { status: 302, headers: { Location: '/login?error=CredentialsSignin&code=busy', 'Cache-Control': 'no-store' } });
  }
  return post(req);
}
