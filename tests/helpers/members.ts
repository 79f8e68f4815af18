import type { Executor } from '@/db/client';
import { profileMembers, users, type MemberRole } from '@/db/schema';
import { loadActor, type Actor } from '@/lib/auth/actor';
import { hashPassword } from '@/lib/auth/password';

let counter = 0;

/** A new user who is a member of the practice with these roles (password `demo-password-1`). */
export async function addMember(db: Executor, profileId: string, roles: MemberRole[], name = 'Marta Front'): Promise<Actor & { password: string }> {
  counter++;
  const email = `member-${process.pid}-${Date.now()}-${counter}@demo.test`;
  const password = 'demo-password-1';
  const [user] = await db
    .insert(users)
    .values({ email, name, passwordHash: await hashPassword(password), emailVerified: new Date() })
    .returning({ id: users.id });
  await db.insert(profileMembers).values({ profileId, userId: user.id, roles });
  const actor = await loadActor(db, user.id);
  if (!actor) throw new Error('member not loaded');
  return { ...actor, password };
}
