import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CredentialsSignin } from '@auth/core/errors';
import { clientAddressFromHeaders, PEER_HEADER } from '@/lib/api/http';
import { securityHeaders } from './security-headers.mjs';

/** Too many attempts for this account or from this address. */
export class SignInThrottledError extends CredentialsSignin {
  code = 'throttled';
  constructor(readonly retryAfterSeconds?: number) {
    super();
  }
}

/** The password checks are saturated: try again in a moment. */
export class SignInBusyError extends CredentialsSignin {
  code = 'busy';
  constructor(readonly retryAfterSeconds?: number) {
    super();
  }
}

export interface DoorRefusal {
  reason: 'throttled' | 'busy';
  retryAfterSeconds: number;
}

/**
 * Sign-ins one client address may have in flight at once in this process. A person signs in one
 * request at a time; a flood from one address beyond this is answered "busy" before Auth.js (or
 * the login action) reads it: no CSRF hashing, no database round trip, no argon2.
 */
export const MAX_IN_FLIGHT_PER_ADDRESS = 2;
const BUSY_RETRY_SECONDS = 2;
/** Memory bounds: a flood from very many addresses must not grow the maps without end. */
const MAX_REMEMBERED = 10_000;

interface DoorState {
  /** Addresses Postgres refused over every account (lib/rate-limit/sign-in's `address` scope): until when (ms). */
  refusedAddresses: Map<string, number>;
  inFlight: Map<string, number>;
  /** Whether the process's sign-in gate or argon2 bound would refuse a new attempt at once. */
  saturated: (() => boolean)[];
  /** Attempts refused at the door (for tests and the benchmark). */
  refused: { throttled: number; busy: number };
  /** Marks a request the front door (before Next) admitted and already counts as in flight. */
  admittedMark: string;
}

// One state per process, whichever bundle (route handler, server action) imports this module.
const KEY = Symbol.for('consulta.signInDoor');
const state: DoorState = ((globalThis as Record<symbol, unknown>)[KEY] as DoorState | undefined) ??
  ((globalThis as Record<symbol, unknown>)[KEY] = {
    refusedAddresses: new Map(),
    inFlight: new Map(),
    saturated: [],
    refused: { throttled: 0, busy: 0 },
    admittedMark: randomUUID(),
  } satisfies DoorState);

export const signInDoorStats = state.refused;

/** lib/auth registers its bounds (the sign-in gate, argon2): the door answers "busy" while one is full. */
export function registerSignInSaturation(saturated: () => boolean): void {
  state.saturated.push(saturated);
}

/**
 * Postgres refused this address over every account until `until`: later attempts from it are
 * refused in process (the refusal only repeats what Postgres said; refused attempts keep counting
 * there, so its answer cannot change before the window ends, except that a right password reserved
 * before the refusal gives its attempt back: `forgetAddressRefusal` on every sign-in).
 */
export function rememberAddressRefusal(address: string, until: number): void {
  if (state.refusedAddresses.size >= MAX_REMEMBERED) state.refusedAddresses.clear();
  state.refusedAddresses.set(address, Math.max(until, state.refusedAddresses.get(address) ?? 0));
}

export function forgetAddressRefusal(address: string): void {
  state.refusedAddresses.delete(address);
}

/** The refusal already known for this address, if any (no database work). */
export function knownAddressRefusal(address: string, now = Date.now()): DoorRefusal | null {
  const until = state.refusedAddresses.get(address);
  if (until === undefined) return null;
  if (until <= now) {
    state.refusedAddresses.delete(address);
    return null;
  }
  return { reason: 'throttled', retryAfterSeconds: Math.ceil((until - now) / 1000) };
}

/** Whether an attempt from `address` would be refused at the door now, and how. */
export function signInDoorRefusal(address: string, now = Date.now()): DoorRefusal | null {
  const known = knownAddressRefusal(address, now);
  if (known) return known;
  if ((state.inFlight.get(address) ?? 0) >= MAX_IN_FLIGHT_PER_ADDRESS || state.saturated.some((s) => s())) {
    return { reason: 'busy', retryAfterSeconds: BUSY_RETRY_SECONDS };
  }
  return null;
}

/**
 * Runs a sign-in attempt (Auth.js's handler, the login action's `signIn`) through the door: an
 * attempt the door refuses throws `SignInThrottledError` / `SignInBusyError` (what the Credentials
 * provider throws for the same reasons) without running `fn`; otherwise it counts as in flight for
 * its address until `fn` settles.
 */
export async function throughSignInDoor<T>(headers: Headers, fn: () => Promise<T>): Promise<T> {
  // Admitted by the front door (below): already checked and counted.
  if (headers.get(ADMITTED_HEADER) === state.admittedMark) return fn();
  const address = clientAddressFromHeaders(headers);
  const refusal = signInDoorRefusal(address);
  if (refusal) {
    state.refused[refusal.reason]++;
    throw refusal.reason === 'throttled' ? new SignInThrottledError(refusal.retryAfterSeconds) : new SignInBusyError(refusal.retryAfterSeconds);
  }
  if (state.inFlight.size >= MAX_REMEMBERED && !state.inFlight.has(address)) {
    // Only reachable with that many addresses in flight at once: the bounds refuse most of them.
    state.refused.busy++;
    throw new SignInBusyError(BUSY_RETRY_SECONDS);
  }
  enter(address);
  try {
    return await fn();
  } finally {
    leave(address);
  }
}

function enter(address: string): void {
  state.inFlight.set(address, (state.inFlight.get(address) ?? 0) + 1);
}

function leave(address: string): void {
  const n = (state.inFlight.get(address) ?? 1) - 1;
  if (n > 0) state.inFlight.set(address, n);
  else state.inFlight.delete(address);
}

const ADMITTED_HEADER = 'x-consulta-sign-in-door';
const CREDENTIALS_CALLBACK = '/api/auth/callback/credentials';
const ADDRESS_HEADERS = ['x-forwarded-for', 'x-vercel-forwarded-for', 'x-real-ip', PEER_HEADER];

/**
 * The front door, called by the server process (lib/bootstrap) for every request before Next sees
 * it: a POST to Auth.js's credentials callback that the door refuses is answered right here (the
 * same 302 Auth.js gives, with Retry-After and the security headers), without Next's request
 * handling, which costs about as much CPU as a small page (measured: README, "sign-in flood"). An
 * admitted one is counted in flight until its response closes, and marked so the route's
 * `throughSignInDoor` does not count it twice. Returns true when it answered.
 */
export function frontDoor(req: IncomingMessage, res: ServerResponse): boolean {
  // Only this process sets the mark; a client's own value is dropped.
  if (req.headers[ADMITTED_HEADER] !== undefined) delete req.headers[ADMITTED_HEADER];
  if (req.method !== 'POST' || !req.url || (req.url !== CREDENTIALS_CALLBACK && !req.url.startsWith(`${CREDENTIALS_CALLBACK}?`))) return false;
  const headers = new Headers();
  for (const name of ADDRESS_HEADERS) {
    const value = req.headers[name];
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const address = clientAddressFromHeaders(headers);
  const refusal = signInDoorRefusal(address);
  if (refusal) {
    state.refused[refusal.reason]++;
    res.statusCode = 302;
    for (const { key, value } of securityHeaders) res.setHeader(key, value);
    res.setHeader('Location', `/login?error=CredentialsSignin&code=${refusal.reason}`);
    res.setHeader('Retry-After', String(refusal.retryAfterSeconds));
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Content-Length', '0');
    res.end();
    return true;
  }
  enter(address);
  req.headers[ADMITTED_HEADER] = state.admittedMark;
  res.once('close', () => leave(address));
  return false;
}
