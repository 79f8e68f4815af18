'use server';

import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { PRACTICE_COOKIE, requireActor } from '@/lib/auth/session';
import { secureCookies } from '@/lib/env';

const switchSchema = z.object({ practice: z.string().min(1).max(64) });

/** Chooses which of the actor's practices the dashboard shows. */
export async function switchPracticeAction(formData: FormData) {
  const actor = await requireActor();
  const parsed = switchSchema.safeParse({ practice: formData instanceof FormData ? formData.get('practice') : null });
  const target = parsed.success ? actor.memberships.find((m) => m.slug === parsed.data.practice) : undefined;
  if (target) {
    (await cookies()).set(PRACTICE_COOKIE, target.slug, { httpOnly: true, sameSite: 'lax', path: '/', secure: secureCookies() });
  }
  redirect('/dashboard');
}
