/**
 * The one list of languages (issue 17). Adding a language: add it here, add messages/<locale>/*.json
 * (the catalog test then names every missing key), and allow it in db/schema.ts's locale checks.
 */
export const LOCALES = ['es', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

/** When nothing else decides (no account choice, no browser match, no practice). */
export const FALLBACK_LOCALE: Locale = 'en';

/** Each language by its own name: the switcher shows it so that anyone finds theirs. */
export const LOCALE_NAMES: Record<Locale, string> = { es: 'Español', en: 'English' };

/** The Intl locale used for dates and numbers: British English (day before month, 24 h), Spain's Spanish. */
export const INTL_LOCALE: Record<Locale, string> = { es: 'es-ES', en: 'en-GB' };

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}
