import { addDays, isoWeekday, startOfLocalDay, todayIn } from '@/lib/availability/time';
import { formatLocalDate } from '@/lib/i18n/intl';
import type { Locale } from '@/lib/i18n/locales';
import { isBoundedDate } from '@/lib/validation/fields';

export type AgendaView = 'day' | 'week';

export interface AgendaRange {
  view: AgendaView;
  /** The local date asked for (today when none or a malformed one was given). */
  date: string;
  /** A date was given but is not a date from 1900 to 2200: today is shown instead. */
  dateIgnored: boolean;
  today: string;
  /** The local dates shown: one, or Monday to Sunday. */
  days: string[];
  /** [from, to) in UTC: midnight of the first day to midnight after the last, in the practice's zone. */
  from: Date;
  to: Date;
  prevDate: string;
  nextDate: string;
  label: string;
}

/** The agenda's range from `?view=day|week&date=YYYY-MM-DD`, in the practice's time zone. */
export function agendaRange(params: { view?: string; date?: string }, timeZone: string, now: Date = new Date(), locale: Locale = 'en'): AgendaRange {
  const view: AgendaView = params.view === 'day' ? 'day' : 'week';
  const today = todayIn(timeZone, now);
  const date = isBoundedDate(params.date) ? params.date : today;
  const first = view === 'day' ? date : addDays(date, 1 - isoWeekday(date));
  const length = view === 'day' ? 1 : 7;
  const days = Array.from({ length }, (_, i) => addDays(first, i));
  const step = view === 'day' ? 1 : 7;
  const last = days[days.length - 1];
  const label =
    view === 'day'
      ? formatLocalDate(locale, date, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' })
      : `${formatLocalDate(locale, first, { day: 'numeric', month: 'short' })} – ${formatLocalDate(locale, last, { day: 'numeric', month: 'short', year: 'numeric' })}`;
  return {
    view,
    date,
    dateIgnored: Boolean(params.date) && date !== params.date,
    today,
    days,
    from: startOfLocalDay(first, timeZone),
    to: startOfLocalDay(addDays(last, 1), timeZone),
    prevDate: addDays(date, -step),
    nextDate: addDays(date, step),
    label,
  };
}

export function agendaHref(view: AgendaView, date: string): string {
  return `/dashboard/appointments?view=${view}&date=${date}`;
}
