import { createHash, randomBytes } from 'node:crypto';

/**
 * The tokens sent to staff by e-mail (verification, invitation, password reset): 32 random bytes
 * (256 bits) in base64url, stored only as their SHA-256, used once.
 */
export function newToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashToken(token) };
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A token from a URL or a form: anything not shaped like ours cannot name a row. */
export function isTokenShape(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9_-]{43}$/.test(value);
}

export const HOUR_MS = 60 * 60_000;
/** How long each kind of link works. */
export const EMAIL_VERIFICATION_MS = 48 * HOUR_MS;
export const INVITATION_MS = 7 * 24 * HOUR_MS;
export const PASSWORD_RESET_MS = HOUR_MS;

/** `${base}/path/${token}`, the base without its trailing slash. */
export function linkTo(baseUrl: string, path: string, token: string): string {
  return `${baseUrl.replace(/\/$/, '')}${path}/${token}`;
}
