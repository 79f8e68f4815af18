import 'server-only';
import { getLocale } from 'next-intl/server';
import { isLocale, type Locale } from './locales';

/**
 * The page's language as a Locale, for the formatters (lib/i18n/format.ts) in server components
 * and actions: `const locale = await pageLocale(); formatWhen(locale, at, zone)`.
 */
export async function pageLocale(): Promise<Locale> {
  const locale = await getLocale();
  return isLocale(locale) ? locale : 'en';
}
