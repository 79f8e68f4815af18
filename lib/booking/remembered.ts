import { createHmac, timingSafeEqual } from 'node:crypto';
import { secret } from '@/lib/env';
import type { VerifiedContact } from './claim';

/**
 * The booking page's memory of contacts this browser proved with a code (DESIGN.md "Trust"): a
 * signed cookie, `<payload>.<signature>` in base64url, holding at most REMEMBER_MAX contacts, each
 * with its own expiry 30 days after it was proved. The signature is an HMAC keyed by the server's
 * secret, so a browser cannot add a contact it did not prove; a changed, expired or malformed
 * cookie reads as no contacts. Pure functions: the page and its actions read and set the cookie.
 */

export const REMEMBERED_COOKIE = 'consulta_verified';
export const REMEMBER_DAYS = 30;
/** The most contacts one browser keeps (a family sharing a device); the oldest go first. */
export const REMEMBER_MAX = 4;
/** A cookie longer than this is not read (a browser keeps at most 4 KB per cookie anyway). */
const MAX_COOKIE_LENGTH = 2048;

const DAY_MS = 86_400_000;

interface Entry {
  k: 'email' | 'phone';
  v: string;
  /** Expiry, ms since the epoch. */
  e: number;
}

function sign(payload: string, key: string): string {
  return createHmac('sha256', key).update(`remembered-contacts\0${payload}`).digest('base64url');
}

function decode(cookieValue: string | null | undefined, now: Date, key: string): Entry[] {
  if (typeof cookieValue !== 'string' || cookieValue.length > MAX_COOKIE_LENGTH) return [];
  const dot = cookieValue.indexOf('.');
  if (dot <= 0) return [];
  const payload = cookieValue.slice(0, dot);
  const given = Buffer.from(cookieValue.slice(dot + 1), 'base64url');
  const expected = Buffer.from(sign(payload, key), 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  return parsed
    .filter(
      (x): x is Entry =>
        !!x &&
        typeof x === 'object' &&
        (x.k === 'email' || x.k === 'phone') &&
        typeof x.v === 'string' &&
        x.v.length > 0 &&
        x.v.length <= 254 &&
        typeof x.e === 'number' &&
        Number.isFinite(x.e) &&
        x.e > now.getTime() &&
        // An expiry further than the remembering period was not written by this code.
        x.e <= now.getTime() + REMEMBER_DAYS * DAY_MS + 60_000,
    )
    .slice(0, REMEMBER_MAX);
}

/** The contacts a valid, unexpired cookie holds (none for a missing, changed or expired one). */
export function readRememberedContacts(cookieValue: string | null | undefined, now: Date = new Date(), key: string = secret()): VerifiedContact[] {
  return decode(cookieValue, now, key).map((x) => ({ kind: x.k, value: x.v, by: 'browser' as const }));
}

/**
 * The cookie value after the browser proved one more contact: that contact first, remembered for
 * REMEMBER_DAYS from `now`; the others still valid after it, at most REMEMBER_MAX in all.
 */
export function rememberContact(
  existing: string | null | undefined,
  contact: Pick<VerifiedContact, 'kind' | 'value'>,
  now: Date = new Date(),
  key: string = secret(),
): string {
  const value = contact.kind === 'email' ? contact.value.toLowerCase() : contact.value;
  const kept = decode(existing, now, key).filter((x) => !(x.k === contact.kind && x.v === value));
  const entries: Entry[] = [{ k: contact.kind, v: value, e: now.getTime() + REMEMBER_DAYS * DAY_MS }, ...kept].slice(0, REMEMBER_MAX);
  const payload = Buffer.from(JSON.stringify(entries), 'utf8').toString('base64url');
  return `${payload}.${sign(payload, key)}`;
}

/** How the cookie is set: HttpOnly, SameSite=Lax, Secure when the site is https, for 30 days. */
export function rememberedCookieOptions(secure: boolean) {
  return { httpOnly: true, sameSite: 'lax' as const, secure, path: '/book', maxAge: REMEMBER_DAYS * 86_400 };
}
