import 'server-only';
import { cache } from 'react';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { getDb } from '@/lib/db';
import { auth } from './auth';
import { loadActor, membershipBySlug, type Actor, type Membership } from './actor';

export const PRACTICE_COOKIE = 'practice';

/** The signed-in actor for this request, or null. Cached per request. */
export const currentActor = cache(async (): Promise<Actor | null> => {
  const session = await auth();
  const userId = session?.user?.id;
  if (!userId) return null;
  return loadActor(await getDb(), userId);
});

/** The actor, or a redirect to the sign-in page. */
export async function requireActor(): Promise<Actor> {
  const actor = await currentActor();
  if (!actor) redirect('/login');
  return actor;
}

/** The practice chosen in the dashboard's switcher (a cookie), defaulting to the first. */
export async function currentPractice(actor: Actor): Promise<Membership | undefined> {
  const jar = await cookies();
  return membershipBySlug(actor, jar.get(PRACTICE_COOKIE)?.value);
}
