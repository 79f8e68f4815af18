import 'server-only';
import { cache } from 'react';
import { cookies, headers } from 'next/headers';
import { currentActor, currentPractice } from '@/lib/auth/session';
import { isLocale, type Locale } from './locales';
import { acceptLanguageLocale, isStaffPath, LOCALE_COOKIE, PATH_HEADER, publicLocale, staffLocale } from './negotiate';
import { practiceDefaultLocaleForPath } from './practice-locale';

/**
 * The one place a request's language is decided (pages, layouts, server actions; cached per
 * request). Staff pages (/dashboard): users.locale → Accept-Language → the practice's
 * default → 'en'. Every other page: the switcher's cookie → Accept-Language → the default of
 * the practice whose page it is → 'en'. The path comes from proxy.ts (PATH_HEADER).
 */
export const requestLocale = cache(async (): Promise<Locale> => {
  const [h, jar] = await Promise.all([headers(), cookies()]);
  const path = h.get(PATH_HEADER) ?? '/';
  const acceptLanguage = h.get('accept-language');
  if (isStaffPath(path)) {
    const actor = await currentActor();
    const practice = actor ? await currentPractice(actor) : undefined;
    return staffLocale({ userLocale: actor?.locale, acceptLanguage, practiceDefault: practice?.defaultLocale });
  }
  const visitor = { cookie: jar.get(LOCALE_COOKIE)?.value, acceptLanguage };
  // The practice's default costs a database read: asked only when the visitor says nothing.
  if (isLocale(visitor.cookie) || acceptLanguageLocale(acceptLanguage)) return publicLocale(visitor);
  return publicLocale({ ...visitor, practiceDefault: await practiceDefaultLocaleForPath(path).catch(() => null) });
});

/** The page's path and query as proxy.ts saw it ('/' when unknown). */
export async function requestPath(): Promise<string> {
  return (await headers()).get(PATH_HEADER) ?? '/';
}
