import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { users } from '@/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { executor, type CallOptions } from '@/lib/db';
import { DomainError } from '@/lib/errors';
import { parseInput } from '@/lib/validation/fields';
import { errorText } from './errors';
import { LOCALES, type Locale } from './locales';

/**
 * A staff member's own dashboard language (the account page). It acts on the person, not on a
 * practice, so it takes no practice id: only the actor's own users row is written. Blank means
 * "none chosen": the dashboard then follows the browser, else the practice's default.
 */
const staffLocaleSchema = z.object({
  locale: z.union([z.literal(''), z.enum(LOCALES)], { error: errorText('field.chooseLanguage') }),
});

export async function setStaffLocale(actor: Actor | null, input: unknown, opts?: CallOptions): Promise<{ locale: Locale | null }> {
  if (!actor) throw new DomainError('unauthorized', errorText('account.sessionEnded'));
  const { locale } = parseInput(staffLocaleSchema, input);
  const value = locale === '' ? null : locale;
  const db = await executor(opts);
  await db.update(users).set({ locale: value }).where(eq(users.id, actor.userId));
  return { locale: value };
}
