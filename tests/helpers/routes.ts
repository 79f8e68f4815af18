import { POST as createRoute } from '@/app/api/v1/profiles/[slug]/requests/route';
import { GET as getRequestRoute } from '@/app/api/v1/requests/[token]/route';
import { POST as cancelRoute } from '@/app/api/v1/requests/[token]/cancel/route';
import { POST as verificationRoute } from '@/app/api/v1/verifications/[id]/route';
import { testAddress } from './booking';

const base = 'http://localhost:3000';

// Bodies are read loosely here; each test asserts the shape it is about.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

/** The demo practice's integration key (the demo seed installs it; API.md). */
export const DEMO_KEY = 'cst_demo_4f1c2a9e7b3d5e6f8a0b1c2d3e4f5a6b';

/**
 * Calls the real route handler of POST /api/v1/profiles/{slug}/requests as the demo practice's
 * integration that verified the patient's phone itself (the request is created at once), or, with
 * `anonymous`, as anyone on the internet (a code is sent; nothing is held).
 */
export async function postRequest(slug: string, body: unknown, headers: Record<string, string> = {}, opts: { anonymous?: boolean } = {}) {
  const keyed = !opts.anonymous && body !== null && typeof body === 'object' && 'patient' in body;
  const sent = keyed ? { ...(body as Json), patient: { ...(body as Json).patient, phoneVerified: true } } : body;
  const init: RequestInit = {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-forwarded-for': testAddress(),
      ...(keyed ? { authorization: `Bearer ${DEMO_KEY}` } : {}),
      ...headers,
    },
    body: typeof sent === 'string' ? sent : JSON.stringify(sent),
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

/** Calls the real route handler of POST /api/v1/verifications/{id}. */
export async function postVerification(id: string, body: unknown) {
  const res = await verificationRoute(
    new Request(`${base}/api/v1/verifications/${id}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    { params: Promise.resolve({ id }) },
  );
  return { status: res.status, headers: res.headers, json: (await res.json()) as Json };
}
