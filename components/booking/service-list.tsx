import Link from 'next/link';
import type { PublicService } from '@/lib/availability/public-profile';
import { formatPrice } from '@/lib/format';
import { bookingHref } from './hrefs';

/** Step 1: every active service, each a link to its calendar. */
export function ServiceList({ slug, services, selectedId }: { slug: string; services: PublicService[]; selectedId?: string }) {
  return (
    <ul className="space-y-3">
      {services.map((service) => {
        const selected = service.id === selectedId;
        return (
          <li key={service.id}>
            <Link
              href={bookingHref(slug, { service: service.id }, 'day')}
              aria-current={selected ? 'true' : undefined}
              className={`block rounded-lg border bg-white p-4 shadow-sm hover:border-brand-600 hover:bg-brand-50 ${selected ? 'border-brand-700 ring-2 ring-brand-700' : 'border-slate-300'}`}
            >
              <span className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1">
                <span className="text-lg font-semibold text-brand-800">{service.name}</span>
                <span className="font-semibold text-slate-900">{formatPrice(service.price.amount, service.price.currency)}</span>
              </span>
              <span className="mt-1 block text-sm text-slate-700">{service.durationMinutes} minutes</span>
              {service.description && <span className="mt-1 block text-sm text-slate-700">{service.description}</span>}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
