import { NextIntlClientProvider } from 'next-intl';
import { getLocale } from 'next-intl/server';
import { pickMessages } from '@/lib/i18n/catalogs';
import { isLocale } from '@/lib/i18n/locales';

/**
 * Gives the client components below it (useTranslations) the messages they read, and only those:
 * every message passed here is sent with the page. `paths` are namespaces or dotted sub-paths
 * ('auth.login', 'errors.action'). One provider per page or area: an inner provider replaces an
 * outer one's messages, so list everything the subtree's client components read.
 */
export async function ClientMessages({ paths, children }: { paths: readonly string[]; children: React.ReactNode }) {
  const locale = await getLocale();
  return (
    <NextIntlClientProvider locale={locale} messages={pickMessages(isLocale(locale) ? locale : 'en', paths)} timeZone="UTC">
      {children}
    </NextIntlClientProvider>
  );
}
