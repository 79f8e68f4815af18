import { POST as createRoute } from '@/app/api/v1/profiles/[slug]/requests/route';
import { GET as getRequestRoute } from '@/app/api/v1/requests/[token]/route';
import { POST as cancelRoute } from '@/app/api/v1/requests/[token]/cancel/route';
import { testAddress } from './booking';

const base = 'http://localhost:3000';

// Bodies are read loosely here; each test asserts the shape it is about.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

/** Calls the real route handler of POST /api/v1/profiles/{slug}/requests. */
export async function postRequest(slug: string, body: unknown, headers: Record<string, string> = {}) {
  const init: RequestInit = {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': testAddress(), ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  };
  const res = await createRoute(new Request(`${base}/api/v1/profiles/${encodeURIComponent(slug)}/requests`, init), {
    params: Promise.resolve({ slug }),
  });
  return { status: res.status, headers: res.headers, json: (await res.json()) as Json };
}

export async function getRequest(token: string) {
  const res = await getRequestRoute(new Request(`${base}/api/v1/requests/${token}`), { params: Promise.resolve({ token }) });
  return { status: res.status, json: (await res.json()) as Json };
}

export async function cancelRequest(token: string) {
  const res = await cancelRoute(new Request(`${base}/api/v1/requests/${token}/cancel`, { method: 'POST' }), {
    params: Promise.resolve({ token }),
  });
  return { status: res.status, json: (await res.json()) as Json };
}
