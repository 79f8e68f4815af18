import { NextResponse } from 'next/server';
import { DomainError, ERROR_STATUS, toDomainError, type ErrorCode } from '@/lib/errors';
import { env } from '@/lib/env';
import { authenticateIntegrationKey, type IntegrationCaller } from '@/lib/integrations';
import { logError, newRequestId } from '@/lib/log';

/** Bodies over this size are refused with 413 before they are parsed (API.md). */
export const MAX_BODY_BYTES = 16 * 1024;

export interface ApiErrorBody {
  error: { code: ErrorCode; message: string; fields?: Record<string, string>; requestId?: string } & Record<string, unknown>;
}

/**
 * A JSON answer. One under 1 KiB (a booking's 201, an error) is marked `no-transform`: next start's
 * gzip then leaves it as it is. Next strips a route's own Content-Length, so the compression
 * middleware cannot see the size and compressed every answer whatever its size: a zlib stream per
 * call, a twelfth of the booking route's CPU in bench:roundtrips' profile, to save nothing on a few
 * hundred bytes. Larger answers (slot lists, the OpenAPI document) are still compressed.
 */
export function apiJson(body: unknown, init: { status?: number; headers?: Record<string, string> } = {}): NextResponse {
  const text = JSON.stringify(body);
  const headers: Record<string, string> = { 'Content-Type': 'application/json', ...init.headers };
  if (Buffer.byteLength(text) < 1024) {
    const cache = headers['Cache-Control'];
    headers['Cache-Control'] = cache ? `${cache}, no-transform` : 'no-transform';
  }
  return new NextResponse(text, { status: init.status ?? 200, headers });
}

export function jsonError(err: DomainError, headers?: Record<string, string>) {
  const body: ApiErrorBody = { error: { code: err.code, message: err.message, ...(err.fields ? { fields: err.fields } : {}), ...err.extra } };
  const all: Record<string, string> = { 'Cache-Control': 'no-store', ...headers };
  if (err.retryAfterSeconds) all['Retry-After'] = String(err.retryAfterSeconds);
  return apiJson(body, { status: ERROR_STATUS[err.code], headers: all });
}

/**
 * Reads a JSON body of at most 16 KiB as an unparsed value for a lib function to parse: 415 when
 * it is not declared as JSON, 413 when larger, 400 when not JSON.
 */
export async function readJsonBody(req: Request): Promise<unknown> {
  const type = req.headers.get('content-type') ?? '';
  if (!/^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(type)) {
    throw new DomainError('unsupported_media_type', 'Send the body as JSON with Content-Type: application/json.');
  }
  const declared = Number(req.headers.get('content-length') ?? '0');
  if (declared > MAX_BODY_BYTES) throw new DomainError('payload_too_large', 'The body is larger than 16 KiB.');
  const text = await readLimited(req);
  try {
    return JSON.parse(text);
  } catch {
    throw new DomainError('invalid_json', 'The body is not valid JSON.');
  }
}

async function readLimited(req: Request): Promise<string> {
  if (!req.body) return '';
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel().catch(() => {});
      throw new DomainError('payload_too_large', 'The body is larger than 16 KiB.');
    }
    chunks.push(value);
  }
  return new TextDecoder('utf-8', { fatal: false }).decode(Buffer.concat(chunks));
}

/** The public origin for links sent to patients: APP_URL, else the origin the request came to. */
export function publicOrigin(req: Request): string {
  return env().APP_URL ?? new URL(req.url).origin;
}

/** The same, from a server action's `headers()`. */
export function publicOriginFromHeaders(h: Headers): string {
  const configured = env().APP_URL;
  if (configured) return configured;
  const host = h.get('x-forwarded-host') ?? h.get('host') ?? 'localhost';
  const proto = h.get('x-forwarded-proto')?.split(',')[0]?.trim() ?? 'http';
  return `${proto}://${host}`;
}

/**
 * The header the server process stamps with the socket's address on every request (lib/bootstrap),
 * overwriting whatever a client sent under that name.
 */
export const PEER_HEADER = 'x-consulta-peer';

/** The client address for limits and audit (API.md): never an address the client chose itself. */
export function clientAddress(req: Request): string {
  return clientAddressFromHeaders(req.headers);
}

/** The same, from a server action's `headers()`. */
export function clientAddressFromHeaders(headers: Headers): string {
  const mode = env().TRUSTED_PROXY;
  let address: string | undefined;
  if (mode === 'vercel') {
    // Vercel's edge overwrites these with the address it saw.
    address = headers.get('x-vercel-forwarded-for')?.split(',')[0] ?? headers.get('x-real-ip') ?? undefined;
  } else if (typeof mode === 'number') {
    // Each trusted proxy appends the address it saw: the N-th from the right is the one the
    // outermost trusted proxy saw; anything further left was written by the client.
    const hops = (headers.get('x-forwarded-for') ?? '').split(',').map((a) => a.trim()).filter(Boolean);
    address = hops[hops.length - mode];
  }
  address ??= headers.get(PEER_HEADER) ?? undefined;
  // Not stamped (a test calling a handler in-process): Next sets X-Forwarded-For to the socket's
  // address when the client sent none; its last entry is the nearest hop.
  address ??= (headers.get('x-forwarded-for') ?? '').split(',').pop()?.trim();
  return normalizeAddress(address) ?? 'unknown';
}

/** An IP address as a limit key: IPv4-mapped IPv6 unwrapped, anything else that is not an address refused. */
function normalizeAddress(value: string | undefined): string | undefined {
  const v = value?.trim().replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1');
  if (!v || v.length > 45 || !/^[0-9a-f.:]+$/i.test(v)) return undefined;
  return v.toLowerCase();
}

/** Calls with an integration key are limited per key, not per address (API.md). */
export const KEY_RATE_LIMIT = { limit: 600, windowSeconds: 60 } as const;

/**
 * Who calls an API route: null for anonymous; an integration for a valid key (401 for a malformed,
 * unknown or revoked one, 403 for a key of another practice than `slug`), counted against its
 * per-key limit.
 */
export async function apiCaller(req: Request, slug?: string): Promise<IntegrationCaller | null> {
  // One round trip: the key checked and the call counted against its limit.
  const integration = await authenticateIntegrationKey(req.headers.get('authorization'), { limit: KEY_RATE_LIMIT });
  if (!integration) return null;
  if (slug !== undefined && integration.slug !== slug) {
    // An unknown practice stays "not found" whoever asks; a real one of someone else is forbidden.
    const { practiceBySlug } = await import('@/lib/booking/create');
    await practiceBySlug(slug);
    throw new DomainError('forbidden', 'This key belongs to another practice.');
  }
  const { limited, ...caller } = integration;
  if (limited && !limited.allowed) throw new DomainError('rate_limited', 'Too many calls with this key; try again shortly.', undefined, limited.retryAfterSeconds);
  return caller;
}

type RouteContext<P> = { params: Promise<P> };

/**
 * Wraps a route handler: domain errors (and an unreachable database, 503) become API.md's error
 * bodies; anything else is a bug, logged by code, route and request id only, and answered with a
 * plain message carrying that id.
 */
export function apiRoute<P = Record<string, string>>(
  name: string,
  handler: (req: Request, ctx: RouteContext<P>) => Promise<Response>,
) {
  return async (req: Request, ctx: RouteContext<P>): Promise<Response> => {
    try {
      return await handler(req, ctx);
    } catch (err) {
      const known = toDomainError(err);
      if (known) return jsonError(known);
      const requestId = newRequestId();
      logError('api_failed', err, { route: name, requestId });
      const body: ApiErrorBody = { error: { code: 'internal_error', message: `Something went wrong on our side (reference ${requestId}).`, requestId } };
      return apiJson(body, { status: 500, headers: { 'Cache-Control': 'no-store' } });
    }
  };
}
