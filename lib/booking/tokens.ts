import { createHash, createHmac, randomBytes } from 'node:crypto';
import { secret } from '@/lib/env';

/** A new status token: 256 random bits, base64url. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * The token of a request made with an Idempotency-Key: derived with a keyed hash, so a replay can
 * answer with the same token while only its hash is stored.
 */
export function idempotentToken(profileId: string, idempotencyKey: string): string {
  return createHmac('sha256', secret()).update(`request-token\0${profileId}\0${idempotencyKey}`).digest('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A stable hash of a parsed body (keys sorted), to tell a replay from another body. */
export function hashBody(value: unknown): string {
  return createHash('sha256').update(canonical(value)).digest('hex');
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
