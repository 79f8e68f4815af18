import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { secret } from '@/lib/env';

/**
 * The status link carries the request's token, which is stored only as a hash. The "received"
 * message is written before it is sent, so its link is kept encrypted (AES-256-GCM, keyed from
 * AUTH_SECRET) until the send, then dropped.
 */
let derived: { from: string; key: Buffer } | null = null;

/** The key, derived once per secret (a booking seals a link; tests change the secret). */
function key(): Buffer {
  const from = secret();
  if (derived?.from !== from) derived = { from, key: createHash('sha256').update(`notification-status-link\0${from}`).digest() };
  return derived.key;
}

export function sealLink(link: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key(), iv);
  const data = Buffer.concat([cipher.update(link, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), data]).toString('base64url');
}

/** The link, or null when it cannot be opened (the secret changed). */
export function openLink(sealed: string): string | null {
  try {
    const raw = Buffer.from(sealed, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', key(), raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}
