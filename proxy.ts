import { NextResponse, type NextRequest } from 'next/server';
import { securityHeaders } from '@/lib/auth/security-headers.mjs';
import { PATH_HEADER } from '@/lib/i18n/negotiate';

// The proxy only turns away what no page can serve and redirects: it refuses a path whose
// percent-encoding does not decode (Next would fail on it later with a 500) and a server-action
// post over the framework's body limit, and sends a visitor of /dashboard without a session
// cookie to /login. The session check is optimistic (the dashboard layout and every lib function
// check the actor for real), and the proxy never writes the session cookie: a response that
// refreshed it could race a sign-out and sign the user back in.
const SESSION_COOKIES = ['authjs.session-token', '__Secure-authjs.session-token'];

/** next.config.mjs `experimental.serverActions.bodySizeLimit`, in bytes. */
const ACTION_BODY_LIMIT = 1024 * 1024;

export async function proxy(req: NextRequest) {
  const res = (await unreadableForm(req)) ?? route(req);
  // A request passed on gets its headers from next.config.mjs.
  return res.headers.has('x-middleware-next') ? res : withSecurityHeaders(res);
}

/** The answers the proxy makes itself carry the same headers as every page (next.config.mjs). */
function withSecurityHeaders(res: NextResponse): NextResponse {
  for (const { key, value } of securityHeaders) if (!res.headers.has(key)) res.headers.set(key, value);
  return res;
}

/**
 * A multipart post to a page (or to an address no route has) is a form for a server action (sent without JavaScript): Next parses
 * its body before any of our code and answers a body that is not multipart with a 500. Parse a copy
 * here (bounded by the action body limit above) and refuse what does not parse with a 400.
 */
async function unreadableForm(req: NextRequest): Promise<NextResponse | null> {
  if (req.method !== 'POST') return null;
  if (!/^multipart\/form-data\b/i.test(req.headers.get('content-type') ?? '')) return null;
  const length = Number(req.headers.get('content-length') ?? '0');
  if (Number.isFinite(length) && length > ACTION_BODY_LIMIT) return null; // answered 413 by route()
  try {
    await req.clone().formData();
    return null;
  } catch {
    // The JSON API answers a body it cannot take with 415 (lib/api/http.ts); an address it does not
    // have is a page to Next, which would parse the body as an action's form.
    if (req.nextUrl.pathname.startsWith('/api/')) {
      return NextResponse.json({ error: { code: 'unsupported_media_type', message: 'Send the body as JSON with Content-Type: application/json.' } }, { status: 415 });
    }
    return new NextResponse('Bad request: the form could not be read.', { status: 400, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  }
}

function route(req: NextRequest): NextResponse {
  try {
    decodeURIComponent(req.nextUrl.pathname);
  } catch {
    return new NextResponse('Bad request: the address is not valid.', { status: 400, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  }
  if (req.method === 'POST' && req.headers.has('next-action')) {
    const length = Number(req.headers.get('content-length') ?? '0');
    if (!Number.isFinite(length) || length > ACTION_BODY_LIMIT) {
      return new NextResponse('The form is too large to send.', { status: 413, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
    }
  }
  if (!req.nextUrl.pathname.startsWith('/dashboard')) return passOn(req);
  const signedIn = req.cookies.getAll().some((c) => SESSION_COOKIES.some((name) => c.name === name || c.name.startsWith(`${name}.`)));
  if (signedIn) return passOn(req);
  const login = new URL('/login', req.url);
  login.searchParams.set('callbackUrl', `${req.nextUrl.pathname}${req.nextUrl.search}`);
  return NextResponse.redirect(login);
}

/**
 * The request passed on with its path and query in PATH_HEADER (always overwritten): the root
 * layout's `<html lang>` and lib/i18n/resolve.ts tell staff pages from public ones by it.
 */
function passOn(req: NextRequest): NextResponse {
  const headers = new Headers(req.headers);
  headers.set(PATH_HEADER, `${req.nextUrl.pathname}${req.nextUrl.search}`.slice(0, 2000));
  return NextResponse.next({ request: { headers } });
}

// Every path but the build's static files and the public API's booking and slots routes of a
// well-formed slug (lower-case letters, digits, dashes: no percent sign): the proxy has nothing to
// do for them (they are not pages; the route refuses a body that is not JSON with the same 415
// itself, and they read no PATH_HEADER), and running it cost a twentieth of a booking's server CPU
// (bench:roundtrips' profile of the app's server). Anything else still passes through it: a path
// whose percent-encoding does not decode is refused here (Next would answer it with a 500), and
// so is a form posted to an /api/ address no route has.
export const config = { matcher: ['/((?!_next/static|_next/image|favicon.ico|api/v1/profiles/[a-z0-9-]+/(?:requests|slots)$).*)'] };
