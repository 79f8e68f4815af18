import Link from 'next/link';
import { getLocale, getTranslations } from 'next-intl/server';
import { formatLocalDate } from '@/lib/i18n/intl';
import { INTL_LOCALE, isLocale, type Locale } from '@/lib/i18n/locales';
import { monthWeeks } from './calendar';

type Translate = Awaited<ReturnType<typeof getTranslations<'booking.calendar'>>>;

/** "December 2026" / "Diciembre de 2026" */
function monthName(locale: Locale, month: string): string {
  return capitalize(locale, formatLocalDate(locale, `${month}-01`, { month: 'long', year: 'numeric' }));
}

/** "Wednesday 4 March" / "miércoles, 4 de marzo" */
function dayName(locale: Locale, date: string): string {
  return formatLocalDate(locale, date);
}

function capitalize(locale: Locale, text: string): string {
  return text.charAt(0).toLocaleUpperCase(INTL_LOCALE[locale]) + text.slice(1);
}

/** Monday first: short and long names in the page's language (2024-01-01 was a Monday). */
function weekdays(locale: Locale) {
  return Array.from({ length: 7 }, (_, i) => {
    const date = `2024-01-0${i + 1}`;
    return { short: capitalize(locale, formatLocalDate(locale, date, { weekday: 'short' })), long: formatLocalDate(locale, date, { weekday: 'long' }) };
  });
}
import { bookingHref, type SelectionHref } from './hrefs';

interface MonthCalendarProps {
  slug: string;
  serviceId: string;
  month: string;
  /** Free starts per local date of this month. */
  freeByDate: Map<string, number>;
  selectedDay?: string;
  today: string;
  /** The nearest earlier month with free times, if any (months without any are skipped). */
  previousMonth?: string;
  /** The nearest later month with free times, if any. */
  nextMonth?: string;
  /** Where the links go (default: the booking page). */
  hrefOf?: SelectionHref;
}

/**
 * Step 2: a month of the practice's local dates. Days with free times are links; the others are
 * shown but cannot be chosen. Month navigation is by link, so it works without JavaScript.
 */
export async function MonthCalendar({ slug, serviceId, month, freeByDate, selectedDay, today, previousMonth, nextMonth, hrefOf }: MonthCalendarProps) {
  const [t, pageLocale] = await Promise.all([getTranslations('booking.calendar'), getLocale()]);
  const locale: Locale = isLocale(pageLocale) ? pageLocale : 'en';
  const formatMonth = (m: string) => monthName(locale, m);
  const href: SelectionHref = hrefOf ?? ((selection, hash) => bookingHref(slug, selection, hash));
  const headingId = `month-${month}`;
  const anyFree = freeByDate.size > 0;
  return (
    <div className="rounded-lg border border-slate-300 bg-white p-3 shadow-sm sm:p-4">
      <div className="flex items-center justify-between gap-2">
        <MonthLink enabled={Boolean(previousMonth)} href={href({ service: serviceId, month: previousMonth }, 'day')} label={previousMonth ? t('previousTo', { month: formatMonth(previousMonth) }) : t('previous')} arrow="‹" t={t} />
        <h3 id={headingId} className="text-lg font-semibold" aria-live="polite">
          {formatMonth(month)}
        </h3>
        <MonthLink enabled={Boolean(nextMonth)} href={href({ service: serviceId, month: nextMonth }, 'day')} label={nextMonth ? t('nextTo', { month: formatMonth(nextMonth) }) : t('next')} arrow="›" t={t} />
      </div>
      <table className="mt-3 w-full table-fixed border-collapse text-center" aria-labelledby={headingId}>
        <thead>
          <tr>
            {weekdays(locale).map((d) => (
              <th key={d.short} scope="col" abbr={d.long} className="pb-2 text-xs font-semibold text-slate-700">
                {d.short}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {monthWeeks(month).map((week, i) => (
            <tr key={i}>
              {week.map((date, j) => (
                <td key={date ?? `pad-${i}-${j}`} className="p-0.5">
                  {date && (
                    <DayCell
                      href={href}
                      serviceId={serviceId}
                      date={date}
                      free={freeByDate.get(date) ?? 0}
                      selected={date === selectedDay}
                      today={date === today}
                      label={(free) => (free ? t('dayFree', { day: dayName(locale, date), count: free }) : t('dayNone', { day: dayName(locale, date) }))}
                    />
                  )}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="mt-3 flex items-center gap-2 text-sm text-slate-700">
        <span aria-hidden="true" className="inline-block size-3 rounded-sm border border-brand-700 bg-brand-50" />
        {anyFree ? t('canChoose') : nextMonth ? t('nextFreeIn', { month: formatLocalDate(locale, `${nextMonth}-01`, { month: 'long', year: 'numeric' }) }) : t('noneThisMonth')}
      </p>
    </div>
  );
}

function DayCell({
  href,
  serviceId,
  date,
  free,
  selected,
  today,
  label,
}: {
  href: SelectionHref;
  serviceId: string;
  date: string;
  free: number;
  selected: boolean;
  today: boolean;
  label: (free: number) => string;
}) {
  const dayNumber = Number(date.slice(8));
  const base = 'flex h-11 w-full items-center justify-center rounded-md text-base';
  if (!free) {
    return (
      <span className={`${base} text-slate-500 ${today ? 'underline underline-offset-4' : ''}`}>
        <span className="sr-only">{label(0)}</span>
        <span aria-hidden="true">{dayNumber}</span>
      </span>
    );
  }
  return (
    <Link
      href={href({ service: serviceId, day: date }, 'times')}
      aria-current={selected ? 'date' : undefined}
      className={`${base} border font-semibold ${selected ? 'border-brand-800 bg-brand-700 text-white' : 'border-brand-700 bg-brand-50 text-brand-800 hover:bg-brand-100'} ${today ? 'underline underline-offset-4' : ''}`}
    >
      <span className="sr-only">{label(free)}</span>
      <span aria-hidden="true">{dayNumber}</span>
    </Link>
  );
}

function MonthLink({ enabled, href, label, arrow, t }: { enabled: boolean; href: string; label: string; arrow: string; t: Translate }) {
  const cls = 'inline-flex h-11 min-w-11 items-center justify-center rounded-md border px-3 text-xl';
  if (!enabled) {
    return (
      <span className={`${cls} border-slate-200 text-slate-500`}>
        <span className="sr-only">{t('notAvailable', { label })}</span>
        <span aria-hidden="true">{arrow}</span>
      </span>
    );
  }
  return (
    <Link href={href} className={`${cls} border-slate-300 bg-white text-brand-800 hover:bg-slate-100`}>
      <span className="sr-only">{label}</span>
      <span aria-hidden="true">{arrow}</span>
    </Link>
  );
}
