/**
 * Dashboard wording for dates and times. Every instant is shown in the practice's time zone; a
 * local date ('YYYY-MM-DD') is already the practice's and is formatted as such.
 *
 * Formatters are cached: building an Intl.DateTimeFormat costs far more than using one, and a
 * list of 500 requests formats a few thousand times per render. The output matches lib/format.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string, opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${timeZone}|${JSON.stringify(opts)}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, ...opts });
    formatters.set(key, f);
  }
  return f;
}

const DATE_TIME: Intl.DateTimeFormatOptions = { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' };
const TIME: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit' };
const SHORT_DATE: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'short', year: 'numeric' };

/** "Tue 14 Apr, 10:00" */
export function formatDateTime(instant: Date, timeZone: string, opts: Intl.DateTimeFormatOptions = DATE_TIME): string {
  return formatter(timeZone, opts).format(instant);
}

/** "10:00" */
export function formatTime(instant: Date, timeZone: string): string {
  return formatter(timeZone, TIME).format(instant);
}

/** "Monday 14 April" for a local date. */
export function formatLocalDate(date: string, opts: Intl.DateTimeFormatOptions = { weekday: 'long', day: 'numeric', month: 'long' }): string {
  return formatter('UTC', opts).format(new Date(`${date}T12:00:00Z`));
}

/** "Tue 14 Apr, 10:00–10:30" */
export function formatSlot(startsAt: Date, endsAt: Date, timeZone: string): string {
  return `${formatDateTime(startsAt, timeZone)}–${formatTime(endsAt, timeZone)}`;
}

/** "10:00–10:30" */
export function formatTimeRange(startsAt: Date, endsAt: Date, timeZone: string): string {
  return `${formatTime(startsAt, timeZone)}–${formatTime(endsAt, timeZone)}`;
}

/** "14 Mar 2026" */
export function formatShortDate(instant: Date, timeZone: string): string {
  return formatter(timeZone, SHORT_DATE).format(instant);
}

export function formatAge(age: number | null): string {
  if (age === null) return 'age not given';
  return age === 1 ? '1 year old' : `${age} years old`;
}
