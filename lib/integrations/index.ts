import { randomBytes } from 'node:crypto';
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { integrationKeys, users } from '@/db/schema';
import { audit } from '@/lib/audit';
import type { Actor } from '@/lib/auth/actor';
import { authorize } from '@/lib/auth/permissions';
import { practiceColumns, type BookingPractice } from '@/lib/booking/create';
import { hashToken } from '@/lib/booking/tokens';
import { scopedRow } from '@/lib/data/scope';
import { executePrepared, executor, transaction, type CallOptions } from '@/lib/db';
import { DomainError } from '@/lib/errors';
import { parseInput, text } from '@/lib/validation/fields';

/**
 * Integration keys: a practice's admins give a chatbot or a partner back end a key that works for
 * that practice only (API.md, "Who is calling"). The key is shown once and stored only as its
 * SHA-256 (it carries 128 random bits, so a plain hash cannot be reversed by guessing, and the
 * stored hash does not depend on AUTH_SECRET); revoking it refuses the next call, since every
 * call reads the key's row: there is no cache to outlive a revoke.
 */

const createSchema = z.object({
  name: text(80, 'Name', { min: 1, required: 'Name the key after what will use it, e.g. “WhatsApp bot”.' }),
});
const listSchema = z.object({});
const revokeSchema = z.object({ keyId: z.string({ error: 'Which key?' }) });

export type CreateIntegrationKeyInput = z.input<typeof createSchema>;
export type ListIntegrationKeysInput = z.input<typeof listSchema>;
export type RevokeIntegrationKeyInput = z.input<typeof revokeSchema>;

/** A key just made: `key` is the secret itself, returned this once and never stored. */
export interface CreatedIntegrationKey {
  id: string;
  name: string;
  prefix: string;
  key: string;
}

/** A key as the Integrations page lists it: never the key, only its first characters. */
export interface IntegrationKeySummary {
  id: string;
  name: string;
  prefix: string;
  createdAt: Date;
  /** The name (else the e-mail) of the member who created it; null once that account is gone. */
  createdByName: string | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export interface RevokedIntegrationKey {
  id: string;
  name: string;
  prefix: string;
  revokedAt: Date;
  /** False when the key had already been revoked: revoking twice is harmless. */
  changed: boolean;
}

/** Who an API call with a valid key acts for. */
export interface IntegrationCaller {
  keyId: string;
  profileId: string;
  /** The practice's slug: a call for another practice's slug is `forbidden` (API.md). */
  slug: string;
  /** What a request needs of the practice, read with the key (no second round trip to book). */
  practice: BookingPractice;
}

/** Every key starts with this; the rest is 32 hex characters (128 random bits). */
export const INTEGRATION_KEY_PREFIX = 'cst_';
/** How many characters of a key the list shows ("cst_1a2b3c…"). */
const SHOWN_CHARACTERS = 10;
/** A key's last use is written at most this often, so a busy bot does not write on every call. */
const TOUCH_INTERVAL = '1 minute';

/** The same refusal for a malformed header, an unknown key and a revoked one: it says not which. */
const REFUSED = 'The API key is missing, malformed, unknown or revoked. Send “Authorization: Bearer <key>” with a current key of the practice.';

// `Bearer` (any case, RFC 9110 auth-scheme), one or more spaces, then a key of the expected shape.
// Anything else (another scheme, no key, a NUL, a second token) is malformed.
const BEARER = /^Bearer +(cst_[0-9A-Za-z_]{16,96})$/i;
const MAX_HEADER = 200;

/** Creates a key for the practice; the key is in the result this once and never again. */
export async function createIntegrationKey(
  actor: Actor | null,
  profileId: string,
  input: CreateIntegrationKeyInput,
  opts?: CallOptions,
): Promise<CreatedIntegrationKey> {
  authorize(actor, profileId, 'integrations.manage');
  const { name } = parseInput(createSchema, input);
  const key = `${INTEGRATION_KEY_PREFIX}${randomBytes(16).toString('hex')}`;
  return transaction(opts, async (tx) => {
    const { keyHash, prefix } = storedKey(key);
    const [row] = await tx
      .insert(integrationKeys)
      .values({ profileId, name, keyHash, prefix, createdBy: actor!.userId, ...(opts?.now ? { createdAt: opts.now } : {}) })
      .returning({ id: integrationKeys.id, prefix: integrationKeys.prefix });
    await audit(tx, {
      profileId,
      actorUserId: actor!.userId,
      actorKind: 'user',
      action: 'integration_key.created',
      entityType: 'integration_key',
      entityId: row.id,
      details: { name, prefix: row.prefix },
    });
    return { id: row.id, name, prefix: row.prefix, key };
  });
}

/** The practice's keys, current ones first, newest first. */
export async function listIntegrationKeys(
  actor: Actor | null,
  profileId: string,
  input: ListIntegrationKeysInput = {},
  opts?: CallOptions,
): Promise<IntegrationKeySummary[]> {
  authorize(actor, profileId, 'integrations.manage');
  parseInput(listSchema, input);
  const db = await executor(opts);
  return db
    .select({
      id: integrationKeys.id,
      name: integrationKeys.name,
      prefix: integrationKeys.prefix,
      createdAt: integrationKeys.createdAt,
      createdByName: sql<string | null>`coalesce(${users.name}, ${users.email})`,
      lastUsedAt: integrationKeys.lastUsedAt,
      revokedAt: integrationKeys.revokedAt,
    })
    .from(integrationKeys)
    .leftJoin(users, eq(users.id, integrationKeys.createdBy))
    .where(eq(integrationKeys.profileId, profileId))
    .orderBy(sql`${integrationKeys.revokedAt} IS NOT NULL`, desc(integrationKeys.createdAt), desc(integrationKeys.id));
}

/**
 * Revokes a key of the practice at once (compare-and-set on `revoked_at IS NULL`): the next call
 * with it is refused. Another practice's key is not found.
 */
export async function revokeIntegrationKey(
  actor: Actor | null,
  profileId: string,
  input: RevokeIntegrationKeyInput,
  opts?: CallOptions,
): Promise<RevokedIntegrationKey> {
  authorize(actor, profileId, 'integrations.manage');
  const { keyId } = parseInput(revokeSchema, input);
  const now = opts?.now ?? new Date();
  return transaction(opts, async (tx) => {
    const row = await scopedRow(integrationKeys, profileId, keyId, 'key', (where) =>
      tx
        .select({ id: integrationKeys.id, name: integrationKeys.name, prefix: integrationKeys.prefix, revokedAt: integrationKeys.revokedAt })
        .from(integrationKeys)
        .where(where)
        .limit(1),
    );
    const won = await tx
      .update(integrationKeys)
      .set({ revokedAt: now })
      .where(and(eq(integrationKeys.id, row.id), eq(integrationKeys.profileId, profileId), isNull(integrationKeys.revokedAt)))
      .returning({ revokedAt: integrationKeys.revokedAt });
    if (!won.length) {
      const [current] = await tx.select({ revokedAt: integrationKeys.revokedAt }).from(integrationKeys).where(eq(integrationKeys.id, row.id));
      return { id: row.id, name: row.name, prefix: row.prefix, revokedAt: current?.revokedAt ?? row.revokedAt ?? now, changed: false };
    }
    await audit(tx, {
      profileId,
      actorUserId: actor!.userId,
      actorKind: 'user',
      action: 'integration_key.revoked',
      entityType: 'integration_key',
      entityId: row.id,
      details: { name: row.name, prefix: row.prefix },
    });
    return { id: row.id, name: row.name, prefix: row.prefix, revokedAt: won[0].revokedAt!, changed: true };
  });
}

/**
 * Who an `Authorization` header speaks for. No header (null, undefined) is an anonymous call:
 * null. A malformed header, an unknown key, a revoked key and a key of a practice that is no
 * longer active all throw the same `unauthorized`. One statement reads the key and, at most once
 * a minute per key, records its use (a row another call is touching is skipped, never waited for).
 */
export async function authenticateIntegrationKey(
  authorization: string | null | undefined,
  opts?: CallOptions & { limit?: { limit: number; windowSeconds: number } },
): Promise<(IntegrationCaller & { limited?: { allowed: boolean; retryAfterSeconds: number } }) | null> {
  if (authorization === null || authorization === undefined) return null;
  const match = authorization.length <= MAX_HEADER ? BEARER.exec(authorization.trim()) : null;
  if (!match) throw new DomainError('unauthorized', REFUSED);
  const keyHash = hashToken(match[1]);
  const nowDate = opts?.now ?? new Date();
  const now = nowDate.toISOString();
  const db = await executor(opts);
  // With `limit`, the same statement counts the call against the key's limit (call_counts, an
  // unlogged table: no WAL, no flush at commit; db/schema.ts): one round trip for the key and its limit.
  const windowMs = (opts?.limit?.windowSeconds ?? 60) * 1000;
  const windowStart = new Date(Math.floor(nowDate.getTime() / windowMs) * windowMs);
  const counted = opts?.limit
    ? sql`, counted AS (
      INSERT INTO call_counts (key, window_start, count)
      SELECT 'api:key:' || k.id, ${windowStart.toISOString()}, 1 FROM integration_keys k WHERE k.key_hash = ${keyHash}
      ON CONFLICT (key, window_start) DO UPDATE SET count = call_counts.count + 1
      RETURNING count)`
    : sql``;
  const result = await executePrepared<{ id: string; profile_id: string; slug: string; usable: boolean; calls: number | null; practice: BookingPractice }>(db, sql`
    WITH touched AS (
      UPDATE integration_keys SET last_used_at = ${now}
      WHERE id IN (
        SELECT k.id FROM integration_keys k
        WHERE k.key_hash = ${keyHash}
          AND k.revoked_at IS NULL
          AND (k.last_used_at IS NULL OR k.last_used_at < ${now}::timestamptz - ${TOUCH_INTERVAL}::interval)
        FOR UPDATE SKIP LOCKED)
      RETURNING id)${counted}
    SELECT k.id, k.profile_id, profiles.slug, (k.revoked_at IS NULL AND profiles.is_active) AS usable,
      ${opts?.limit ? sql`(SELECT count FROM counted)` : sql`NULL::int`} AS calls,
      json_build_object(${sql.join(
        Object.entries(practiceColumns).map(([name, column]) => sql`${name}::text, ${column}`),
        sql`, `,
      )}) AS practice
    FROM integration_keys k JOIN profiles ON profiles.id = k.profile_id
    WHERE k.key_hash = ${keyHash}`);
  const row = result.rows[0];
  if (!row || !row.usable) throw new DomainError('unauthorized', REFUSED);
  const caller = { keyId: row.id, profileId: row.profile_id, slug: row.slug, practice: row.practice };
  if (!opts?.limit) return caller;
  const retryAfterSeconds = Math.max(1, Math.ceil((windowStart.getTime() + windowMs - nowDate.getTime()) / 1000));
  return { ...caller, limited: { allowed: Number(row.calls ?? 1) <= opts.limit.limit, retryAfterSeconds } };
}

/** What is stored of a key: its hash and the first characters the list shows (also for the demo seed). */
export function storedKey(key: string): { keyHash: string; prefix: string } {
  return { keyHash: hashToken(key), prefix: key.slice(0, SHOWN_CHARACTERS) };
}
