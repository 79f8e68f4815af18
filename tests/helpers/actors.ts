import { eq } from 'drizzle-orm';
import type { Executor } from '@/lib/db';
import { users } from '@/db/schema';
import { loadActor, type Actor } from '@/lib/auth/actor';

/** The actor of a seeded user, as the session would load it. */
export async function actorByEmail(db: Executor, email: string): Promise<Actor> {
  const [user] = await db.select({ id: users.id }).from(users).where(eq(users.email, email)).limit(1);
  if (!user) throw new Error(`no user ${email}`);
  const actor = await loadActor(db, user.id);
  if (!actor) throw new Error(`no actor ${email}`);
  return actor;
}
