/**
 * The booking page's month calendar, as plain data: which local dates a month shows, in weeks
 * starting on Monday. Dates are the practice's local dates ('YYYY-MM-DD'), months 'YYYY-MM'.
 */
import { addDays, isoWeekday, parseDateMs } from '@/lib/availability/time';

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function isMonth(value: string | undefined): value is string {
  return typeof value === 'string' && MONTH.test(value);
}

/** A real calendar date as YYYY-MM-DD. */
export function isLocalDate(value: string | undefined): value is string {
  if (typeof value !== 'string' || !DATE.test(value)) return false;
  try {
    parseDateMs(value);
    return true;
  } catch {
    return false;
  }
}

export function monthOf(date: string): string {
  return date.slice(0, 7);
}

export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number);
  const index = y * 12 + (m - 1) + n;
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

export function firstDayOf(month: string): string {
  return `${month}-01`;
}

export function lastDayOf(month: string): string {
  return addDays(firstDayOf(addMonths(month, 1)), -1);
}

/** The month's dates in weeks of seven, Monday first; null pads the first and last week. */
export function monthWeeks(month: string): (string | null)[][] {
  const first = firstDayOf(month);
  const last = lastDayOf(month);
  const cells: (string | null)[] = Array.from({ length: isoWeekday(first) - 1 }, () => null);
  for (let d = first; d <= last; d = addDays(d, 1)) cells.push(d);
  while (cells.length % 7) cells.push(null);
  const weeks: (string | null)[][] = [];
  for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
  return weeks;
}

const monthLabel = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', month: 'long', year: 'numeric' });
const dayLabel = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long' });
const longDayLabel = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });

/** "March 2026" */
export function formatMonth(month: string): string {
  return monthLabel.format(parseDateMs(firstDayOf(month)));
}

/** "Wednesday 4 March" (a local date: no time zone arithmetic) */
export function formatDay(date: string): string {
  return dayLabel.format(parseDateMs(date));
}

/** "Wednesday 4 March 2026" */
export function formatLongDay(date: string): string {
  return longDayLabel.format(parseDateMs(date));
}

export const WEEKDAYS = [
  { short: 'Mon', long: 'Monday' },
  { short: 'Tue', long: 'Tuesday' },
  { short: 'Wed', long: 'Wednesday' },
  { short: 'Thu', long: 'Thursday' },
  { short: 'Fri', long: 'Friday' },
  { short: 'Sat', long: 'Saturday' },
  { short: 'Sun', long: 'Sunday' },
] as const;
