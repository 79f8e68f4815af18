import 'server-only';
import { cache } from 'react';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { getDb } from '@/lib/db';
import { auth } from './auth';
import { loadActor, membershipBySlug, type Actor, type Membership } from './actor';
import type { SessionStage } from './sessions';

export const PRACTICE_COOKIE = 'practice';

export interface CurrentSession {
  userId: string;
  sessionId: string;
  stage: SessionStage;
  idleTimeoutMinutes: number;
}

/**
 * The checked session of this request (its `staff_sessions` row is live), whatever its stage, or
 * null. Cached per request.
 */
export const currentSession = cache(async (): Promise<CurrentSession | null> => {
  const session = await auth();
  const userId = session?.user?.id;
  if (!userId || !session.sessionId || !session.stage) return null;
  return { userId, sessionId: session.sessionId, stage: session.stage, idleTimeoutMinutes: session.idleTimeoutMinutes ?? 30 };
});

/**
 * The signed-in actor for this request, or null: a session still waiting for its second factor,
 * or for an enrolment its practice requires, acts as nobody. Cached per request.
 */
export const currentActor = cache(async (): Promise<Actor | null> => {
  const session = await currentSession();
  if (!session || session.stage !== 'active') return null;
  return loadActor(await getDb(), session.userId);
});

/** The actor, or a redirect: to sign in, to the second step, or to the enrolment required. */
export async function requireActor(): Promise<Actor> {
  const session = await currentSession();
  if (session?.stage === 'second_factor') redirect('/two-factor');
  if (session?.stage === 'enrol') redirect('/two-factor/setup');
  const actor = await currentActor();
  if (!actor) redirect('/login');
  return actor;
}

/** The practice chosen in the dashboard's switcher (a cookie), defaulting to the first. */
export async function currentPractice(actor: Actor): Promise<Membership | undefined> {
  const jar = await cookies();
  return membershipBySlug(actor, jar.get(PRACTICE_COOKIE)?.value);
}
