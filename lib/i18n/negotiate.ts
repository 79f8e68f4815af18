import { FALLBACK_LOCALE, isLocale, LOCALES, type Locale } from './locales';

/**
 * The pure half of locale resolution (no request, no database): lib/i18n/resolve.ts feeds it.
 * Kept apart so the rules are tested without a server.
 */

/** The first of our languages a browser's Accept-Language accepts, by its q-values; 'es-MX' counts as 'es'. */
export function acceptLanguageLocale(header: string | null | undefined): Locale | undefined {
  if (!header) return undefined;
  const ranges = header
    .slice(0, 500)
    .split(',')
    .map((part, index) => {
      const [tag, ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const quality = q ? Number(q.slice(2)) : 1;
      return { tag: tag.trim(), quality: Number.isFinite(quality) ? quality : 0, index };
    })
    .filter((r) => r.tag && r.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index);
  for (const { tag } of ranges) {
    if (tag === '*') return undefined;
    const base = tag.split('-')[0];
    const found = LOCALES.find((l) => l === base);
    if (found) return found;
  }
  return undefined;
}

export interface StaffLocaleInputs {
  /** users.locale: the language this person chose on their account page. */
  userLocale?: string | null;
  acceptLanguage?: string | null;
  /** profiles.default_locale of the practice shown. */
  practiceDefault?: string | null;
}

/** Dashboard: the person's own choice → their browser → their practice's default → English. */
export function staffLocale({ userLocale, acceptLanguage, practiceDefault }: StaffLocaleInputs): Locale {
  if (isLocale(userLocale)) return userLocale;
  return acceptLanguageLocale(acceptLanguage) ?? (isLocale(practiceDefault) ? practiceDefault : FALLBACK_LOCALE);
}

export interface PublicLocaleInputs {
  /** The visitor's choice on the switcher (the locale cookie). */
  cookie?: string | null;
  acceptLanguage?: string | null;
  /** profiles.default_locale of the practice whose page this is, when the page has one. */
  practiceDefault?: string | null;
}

/** Public pages (booking, status, sign-in...): the visitor's choice → their browser → the practice's default → English. */
export function publicLocale({ cookie, acceptLanguage, practiceDefault }: PublicLocaleInputs): Locale {
  if (isLocale(cookie)) return cookie;
  return acceptLanguageLocale(acceptLanguage) ?? (isLocale(practiceDefault) ? practiceDefault : FALLBACK_LOCALE);
}

/** The cookie the switcher sets: a year, every path, sent on top-level navigations (Lax). */
export const LOCALE_COOKIE = 'locale';
export const LOCALE_COOKIE_MAX_AGE = 365 * 24 * 60 * 60;

/** The request header proxy.ts sets to the page's path and query (the root layout has no other way to know it). */
export const PATH_HEADER = 'x-consulta-path';

/**
 * A same-site path to go back to after switching, or '/': a single leading slash, no scheme, no
 * host, no backslash or control characters (a form field is attacker-controlled).
 */
export function safeBackPath(value: unknown): string {
  if (typeof value !== 'string' || value.length > 2000) return '/';
  if (!value.startsWith('/') || value.startsWith('//') || /[\\\u0000-\u001F\u007F]/.test(value)) return '/';
  try {
    const url = new URL(value, 'http://same.invalid');
    if (url.origin !== 'http://same.invalid') return '/';
    return `${url.pathname}${url.search}`;
  } catch {
    return '/';
  }
}

/** Staff pages use the staff rules; every other page the public ones. */
export function isStaffPath(path: string): boolean {
  return path === '/dashboard' || path.startsWith('/dashboard/') || path.startsWith('/dashboard?');
}
