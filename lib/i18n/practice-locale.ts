import 'server-only';
import { and, eq } from 'drizzle-orm';
import { profiles } from '@/db/schema';
import { executor, type CallOptions } from '@/lib/db';
import { SLUG_PATTERN } from '@/lib/validation/api';

/**
 * A practice's default language by the public path of one of its pages, or null (unknown page,
 * practice or slug: the caller falls back). Public: reads only the language. `/book/<slug>` now;
 * phase 2 of issue 17 adds the status page (`/requests/<token>`) here.
 */
export async function practiceDefaultLocaleForPath(path: string, opts?: CallOptions): Promise<string | null> {
  const book = /^\/book\/([^/?#]+)/.exec(path);
  if (!book) return null;
  const slug = decodeURIComponent(book[1]);
  if (!SLUG_PATTERN.test(slug)) return null;
  const db = await executor(opts);
  const [row] = await db
    .select({ locale: profiles.defaultLocale })
    .from(profiles)
    .where(and(eq(profiles.slug, slug), eq(profiles.isActive, true)))
    .limit(1);
  return row?.locale ?? null;
}
