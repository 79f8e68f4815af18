import Link from 'next/link';
import { getLocale, getTranslations } from 'next-intl/server';
import type { PublicService } from '@/lib/availability/public-profile';
import { localDateOf } from '@/lib/availability/time';
import { formatDateTime, formatPrice } from '@/lib/i18n/intl';
import { isLocale } from '@/lib/i18n/locales';
import { bookingHref } from './hrefs';
import { ZoneName } from './zone-name';

/**
 * Step 1: every active service, each a link to its calendar, with its first free time as a
 * shortcut straight to the details (or a word that there is none online).
 */
export async function ServiceList({
  slug,
  services,
  selectedId,
  firstFree,
  timeZone,
}: {
  slug: string;
  services: PublicService[];
  selectedId?: string;
  /** The first free start of each service, by id (absent: none in the horizon). */
  firstFree?: Map<string, Date>;
  timeZone?: string;
}) {
  const [t, tPage, pageLocale] = await Promise.all([getTranslations('booking.services'), getTranslations('booking.page'), getLocale()]);
  const locale = isLocale(pageLocale) ? pageLocale : 'en';
  return (
    <ul className="space-y-3">
      {services.map((service) => {
        const selected = service.id === selectedId;
        const first = firstFree?.get(service.id);
        return (
          <li key={service.id} className={`rounded-lg border bg-white shadow-sm ${selected ? 'border-brand-700 ring-2 ring-brand-700' : 'border-slate-300'}`}>
            <Link
              href={bookingHref(slug, { service: service.id }, 'day')}
              aria-current={selected ? 'true' : undefined}
              className="block rounded-lg p-4 hover:bg-brand-50"
            >
              <span className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1">
                <span className="text-lg font-semibold text-brand-800">{service.name}</span>
                <span className="font-semibold text-slate-900">{formatPrice(locale, service.price.amount, service.price.currency)}</span>
              </span>
              <span className="mt-1 block text-sm text-slate-700">{tPage('minutes', { count: service.durationMinutes })}</span>
              {service.description && <span className="mt-1 block text-sm text-slate-700">{service.description}</span>}
            </Link>
            {firstFree && timeZone && (
              <p className="flex flex-wrap items-center gap-x-2 border-t border-slate-200 px-4 py-1 text-sm text-slate-800">
                {first ? (
                  <>
                    <span>{t('firstFree')}</span>
                    <Link
                      href={bookingHref(slug, { service: service.id, day: localDateOf(first, timeZone), time: first.toISOString() }, 'details')}
                      className="inline-flex min-h-11 items-center font-semibold text-brand-700 underline underline-offset-2"
                    >
                      {formatDateTime(locale, first, timeZone, { weekday: 'long', day: 'numeric', month: 'long' })}
                    </Link>
                    <span className="whitespace-nowrap text-slate-700">
                      (<ZoneName timeZone={timeZone} locale={locale} />)
                    </span>
                  </>
                ) : (
                  <span className="py-2">{t('noneFree')}</span>
                )}
              </p>
            )}
          </li>
        );
      })}
    </ul>
  );
}
