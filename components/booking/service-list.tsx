import Link from 'next/link';
import type { PublicService } from '@/lib/availability/public-profile';
import { localDateOf } from '@/lib/availability/time';
import { formatDateTime, formatPrice } from '@/lib/format';
import { bookingHref } from './hrefs';
import { ZoneName } from './zone-name';

/**
 * Step 1: every active service, each a link to its calendar, with its first free time as a
 * shortcut straight to the details (or a word that there is none online).
 */
export function ServiceList({
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
                <span className="font-semibold text-slate-900">{formatPrice(service.price.amount, service.price.currency)}</span>
              </span>
              <span className="mt-1 block text-sm text-slate-700">{service.durationMinutes} minutes</span>
              {service.description && <span className="mt-1 block text-sm text-slate-700">{service.description}</span>}
            </Link>
            {firstFree && timeZone && (
              <p className="flex flex-wrap items-center gap-x-2 border-t border-slate-200 px-4 py-1 text-sm text-slate-800">
                {first ? (
                  <>
                    <span>First free time:</span>
                    <Link
                      href={bookingHref(slug, { service: service.id, day: localDateOf(first, timeZone), time: first.toISOString() }, 'details')}
                      className="inline-flex min-h-11 items-center font-semibold text-brand-700 underline underline-offset-2"
                    >
                      {formatDateTime(first, timeZone, { weekday: 'long', day: 'numeric', month: 'long' })}
                    </Link>
                    <span className="whitespace-nowrap text-slate-700">
                      (<ZoneName timeZone={timeZone} />)
                    </span>
                  </>
                ) : (
                  <span className="py-2">No free times online at the moment.</span>
                )}
              </p>
            )}
          </li>
        );
      })}
    </ul>
  );
}
