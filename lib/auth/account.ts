import { z } from 'zod';
import { audit } from '@/lib/audit';
import { executor, type CallOptions } from '@/lib/db';
import { DomainError } from '@/lib/errors';
import { parseInput } from '@/lib/validation/fields';
import { listUserSessions, revokeSession, revokeUserSessions } from './sessions';
import type { SessionRef } from './two-factor';

/**
 * A signed-in person's own sessions (the account page). These act on the person, not on a
 * practice: they take the checked session instead of a practice id.
 */

export interface SessionView {
  id: string;
  current: boolean;
  device: string;
  address: string | null;
  createdAt: Date;
  lastSeenAt: Date;
}

export async function mySessions(session: SessionRef | null, _input?: object, opts?: CallOptions): Promise<SessionView[]> {
  const who = requireActive(session);
  const rows = await listUserSessions(who.userId, opts);
  return rows.map((r) => ({
    id: r.id,
    current: r.id === who.sessionId,
    device: describeDevice(r.userAgent),
    address: r.clientAddress,
    createdAt: r.createdAt,
    lastSeenAt: r.lastSeenAt,
  }));
}

const sessionIdSchema = z.object({ sessionId: z.uuid({ message: 'No such session.' }) });

/** Ends one of the person's sessions. */
export async function signOutSession(session: SessionRef | null, input: unknown, opts?: CallOptions): Promise<{ current: boolean }> {
  const who = requireActive(session);
  const { sessionId } = parseInput(sessionIdSchema, input);
  const ended = await revokeSession(sessionId, { userId: who.userId, reason: 'signed_out_from_account', tx: opts?.tx, now: opts?.now });
  if (!ended) throw new DomainError('not_found', 'That session has already ended.');
  await audit(await executor(opts), {
    profileId: null,
    actorUserId: who.userId,
    actorKind: 'user',
    action: 'auth.session_revoked',
    entityType: 'staff_session',
    entityId: sessionId,
  });
  return { current: sessionId === who.sessionId };
}

/** Ends every session of the person, this one included. */
export async function signOutEverywhere(session: SessionRef | null, _input?: object, opts?: CallOptions): Promise<number> {
  const who = requireActive(session);
  const count = await revokeUserSessions(who.userId, { reason: 'signed_out_everywhere', tx: opts?.tx, now: opts?.now });
  await audit(await executor(opts), {
    profileId: null,
    actorUserId: who.userId,
    actorKind: 'user',
    action: 'auth.signed_out_everywhere',
    entityType: 'user',
    entityId: who.userId,
    details: { sessions: count },
  });
  return count;
}

function requireActive(session: SessionRef | null): SessionRef {
  if (!session || session.stage !== 'active') throw new DomainError('unauthorized', 'Your session has ended. Sign in again.');
  return session;
}

/** "Chrome on Linux": enough to recognise a device, from its user agent. */
export function describeDevice(userAgent: string | null): string {
  if (!userAgent) return 'Unknown device';
  const browser = /Edg\//.test(userAgent)
    ? 'Edge'
    : /Firefox\//.test(userAgent)
      ? 'Firefox'
      : /Chrom(e|ium)\//.test(userAgent)
        ? 'Chrome'
        : /Safari\//.test(userAgent)
          ? 'Safari'
          : 'A browser';
  const os = /Android/.test(userAgent)
    ? 'Android'
    : /iPhone|iPad/.test(userAgent)
      ? 'iOS'
      : /Windows/.test(userAgent)
        ? 'Windows'
        : /Mac OS X/.test(userAgent)
          ? 'macOS'
          : /Linux/.test(userAgent)
            ? 'Linux'
            : 'an unknown system';
  return `${browser} on ${os}`;
}
