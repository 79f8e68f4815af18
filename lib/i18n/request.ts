import { getRequestConfig } from 'next-intl/server';
import { messagesFor } from './catalogs';
import { requestLocale } from './resolve';

/**
 * next-intl's per-request configuration (next.config.mjs points its plugin here). No locale in
 * the URL: the language comes from lib/i18n/resolve.ts. Dates are never formatted through
 * next-intl (lib/i18n/format.ts names the practice's zone); UTC only keeps it from guessing.
 */
export default getRequestConfig(async () => {
  const locale = await requestLocale();
  return { locale, messages: messagesFor(locale), timeZone: 'UTC' };
});
