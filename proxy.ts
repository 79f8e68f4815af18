import { NextResponse, type NextRequest } from 'next/server';

// The proxy only redirects: a visitor of /dashboard without a session cookie goes to /login.
// It is an optimistic check (the dashboard layout and every lib function check the actor for
// real), and it never writes the session cookie: a response that refreshed it could race a
// sign-out and sign the user back in.
const SESSION_COOKIES = ['authjs.session-token', '__Secure-authjs.session-token'];

export function proxy(req: NextRequest) {
  const signedIn = req.cookies.getAll().some((c) => SESSION_COOKIES.some((name) => c.name === name || c.name.startsWith(`${name}.`)));
  if (signedIn) return NextResponse.next();
  const login = new URL('/login', req.url);
  login.searchParams.set('callbackUrl', `${req.nextUrl.pathname}${req.nextUrl.search}`);
  return NextResponse.redirect(login);
}

export const config = { matcher: ['/dashboard/:path*'] };
