/**
 * Every user-visible date and time: an instant is shown in the practice's time zone (name the
 * zone beside it); a local date ('YYYY-MM-DD') is already the practice's and is formatted as such.
 */

// Building a formatter costs far more than using one: a page of 500 requests formats thousands of times.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = JSON.stringify(options);
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', options);
    formatters.set(key, f);
  }
  return f;
}

/** "Tue 14 Apr, 10:00"; `opts` changes or adds parts (`{ year: 'numeric' }`, `{ weekday: undefined }`). */
export function formatDateTime(instant: Date, timeZone: string, opts: Intl.DateTimeFormatOptions = {}): string {
  return formatter({ timeZone, weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', ...opts }).format(instant);
}

/** "10:00" */
export function formatTime(instant: Date, timeZone: string): string {
  return formatter({ timeZone, hour: '2-digit', minute: '2-digit' }).format(instant);
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
  return formatter({ timeZone, day: 'numeric', month: 'short', year: 'numeric' }).format(instant);
}

/** "Monday 14 April" for a local date; `opts` replaces the parts shown. */
export function formatLocalDate(date: string, opts: Intl.DateTimeFormatOptions = { weekday: 'long', day: 'numeric', month: 'long' }): string {
  return formatter({ timeZone: 'UTC', ...opts }).format(new Date(`${date}T12:00:00Z`));
}

export function formatAge(age: number | null): string {
  if (age === null) return 'age not given';
  return age === 1 ? '1 year old' : `${age} years old`;
}

/** A price in minor units, with as many decimals as its currency has (EUR 2, JPY 0, KWD 3). */
export { formatMoney as formatPrice } from '@/lib/catalog/money';

/**
 * The place a time zone is named after, for people: "Europe/Madrid" → "Madrid",
 * "America/Argentina/Buenos_Aires" → "Buenos Aires"; "UTC" for the UTC zones. Pages write it as
 * "Madrid time" with the IANA id in a title attribute.
 */
export function timeZoneCity(timeZone: string): string {
  if (/^(Etc\/)?(UTC|UCT|GMT|Zulu|Universal)$/i.test(timeZone)) return 'UTC';
  const last = timeZone.split('/').pop() ?? timeZone;
  return last.replace(/_/g, ' ');
}

/** "30 minutes", "1 hour", "24 hours", "3 days": a span as people say it (whole hours up to 2 days). */
export function formatSpan(minutes: number): string {
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (minutes % 60 !== 0) return plural(minutes, 'minute');
  const hours = minutes / 60;
  if (hours <= 48 || hours % 24 !== 0) return plural(hours, 'hour');
  return plural(hours / 24, 'day');
}
