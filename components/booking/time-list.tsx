import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { formatTime } from '@/lib/format';
import { bookingHref, type SelectionHref } from './hrefs';

/** Step 3: the free starts of one day, in the practice's local time, split into morning and afternoon. */
export async function TimeList({
  slug,
  serviceId,
  day,
  starts,
  timeZone,
  selected,
  hrefOf,
}: {
  slug: string;
  serviceId: string;
  day: string;
  starts: Date[];
  timeZone: string;
  selected?: string;
  /** Where the links go (default: the booking page). */
  hrefOf?: SelectionHref;
}) {
  const t = await getTranslations('booking.times');
  const href: SelectionHref = hrefOf ?? ((selection, hash) => bookingHref(slug, selection, hash));
  const groups = [
    { id: 'morning', label: t('morning'), starts: starts.filter((s) => formatTime(s, timeZone) < '12:00') },
    { id: 'afternoon', label: t('afternoon'), starts: starts.filter((s) => formatTime(s, timeZone) >= '12:00') },
  ].filter((g) => g.starts.length);
  return (
    <div className="space-y-4">
      {groups.map((group) => (
        <div key={group.id} role="group" aria-labelledby={`times-${group.id}`}>
          <p id={`times-${group.id}`} className="text-sm font-semibold text-slate-700">
            {group.label}
          </p>
          <ul className="mt-2 grid grid-cols-3 gap-2 sm:grid-cols-4">
            {group.starts.map((start) => {
              const iso = start.toISOString();
              const isSelected = iso === selected;
              return (
                <li key={iso}>
                  <Link
                    href={href({ service: serviceId, day, time: iso }, 'details')}
                    aria-current={isSelected ? 'true' : undefined}
                    className={`flex h-11 items-center justify-center rounded-md border text-base font-semibold tabular-nums ${isSelected ? 'border-brand-800 bg-brand-700 text-white' : 'border-brand-700 bg-white text-brand-800 hover:bg-brand-50'}`}
                  >
                    {formatTime(start, timeZone)}
                  </Link>
                </li>
              );
            })}
          </ul>
        </div>
      ))}
    </div>
  );
}
