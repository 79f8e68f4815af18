import Link from 'next/link';
import { WEEKDAYS, formatDay, formatMonth, monthWeeks } from './calendar';
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
export function MonthCalendar({ slug, serviceId, month, freeByDate, selectedDay, today, previousMonth, nextMonth, hrefOf }: MonthCalendarProps) {
  const href: SelectionHref = hrefOf ?? ((selection, hash) => bookingHref(slug, selection, hash));
  const headingId = `month-${month}`;
  const anyFree = freeByDate.size > 0;
  return (
    <div className="rounded-lg border border-slate-300 bg-white p-3 shadow-sm sm:p-4">
      <div className="flex items-center justify-between gap-2">
        <MonthLink enabled={Boolean(previousMonth)} href={href({ service: serviceId, month: previousMonth }, 'day')} label={previousMonth ? `Previous month: ${formatMonth(previousMonth)}` : 'Previous month'} arrow="‹" />
        <h3 id={headingId} className="text-lg font-semibold" aria-live="polite">
          {formatMonth(month)}
        </h3>
        <MonthLink enabled={Boolean(nextMonth)} href={href({ service: serviceId, month: nextMonth }, 'day')} label={nextMonth ? `Next month: ${formatMonth(nextMonth)}` : 'Next month'} arrow="›" />
      </div>
      <table className="mt-3 w-full table-fixed border-collapse text-center" aria-labelledby={headingId}>
        <thead>
          <tr>
            {WEEKDAYS.map((d) => (
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
                  {date && <DayCell href={href} serviceId={serviceId} date={date} free={freeByDate.get(date) ?? 0} selected={date === selectedDay} today={date === today} />}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="mt-3 flex items-center gap-2 text-sm text-slate-700">
        <span aria-hidden="true" className="inline-block size-3 rounded-sm border border-brand-700 bg-brand-50" />
        {anyFree ? 'Days with free times can be chosen.' : nextMonth ? `No free times this month. The next free times are in ${formatMonth(nextMonth)}.` : 'No free times this month.'}
      </p>
    </div>
  );
}

function DayCell({ href, serviceId, date, free, selected, today }: { href: SelectionHref; serviceId: string; date: string; free: number; selected: boolean; today: boolean }) {
  const dayNumber = Number(date.slice(8));
  const base = 'flex h-11 w-full items-center justify-center rounded-md text-base';
  if (!free) {
    return (
      <span className={`${base} text-slate-500 ${today ? 'underline underline-offset-4' : ''}`}>
        <span className="sr-only">{formatDay(date)}, no free times</span>
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
      <span className="sr-only">{formatDay(date)}, {free === 1 ? '1 free time' : `${free} free times`}</span>
      <span aria-hidden="true">{dayNumber}</span>
    </Link>
  );
}

function MonthLink({ enabled, href, label, arrow }: { enabled: boolean; href: string; label: string; arrow: string }) {
  const cls = 'inline-flex h-11 min-w-11 items-center justify-center rounded-md border px-3 text-xl';
  if (!enabled) {
    return (
      <span className={`${cls} border-slate-200 text-slate-500`}>
        <span className="sr-only">{label} (not available)</span>
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
