/**
 * Every user-visible date and time: an instant is shown in the practice's time zone (name the
 * zone beside it); a local date ('YYYY-MM-DD') is already the practice's and is formatted as such.
 *
 * English only: these delegate to lib/i18n/intl.ts with 'en' (no message catalog, so client
 * components may import this). A translated page calls lib/i18n/format.ts with the page's
 * locale (lib/i18n/page-locale.ts) instead.
 */
import * as i18n from '@/lib/i18n/intl';

/** "Tue 14 Apr, 10:00"; `opts` changes or adds parts (`{ year: 'numeric' }`, `{ weekday: undefined }`). */
export function formatDateTime(instant: Date, timeZone: string, opts: Intl.DateTimeFormatOptions = {}): string {
  return i18n.formatDateTime('en', instant, timeZone, opts);
}

/** "10:00" */
export function formatTime(instant: Date, timeZone: string): string {
  return i18n.formatTime('en', instant, timeZone);
}

/** "Tue 14 Apr, 10:00–10:30" */
export function formatSlot(startsAt: Date, endsAt: Date, timeZone: string): string {
  return i18n.formatSlot('en', startsAt, endsAt, timeZone);
}

/** "10:00–10:30" */
export function formatTimeRange(startsAt: Date, endsAt: Date, timeZone: string): string {
  return i18n.formatTimeRange('en', startsAt, endsAt, timeZone);
}

/** "14 Mar 2026" */
export function formatShortDate(instant: Date, timeZone: string): string {
  return i18n.formatShortDate('en', instant, timeZone);
}

/** "Monday 14 April" for a local date; `opts` replaces the parts shown. */
export function formatLocalDate(date: string, opts?: Intl.DateTimeFormatOptions): string {
  return i18n.formatLocalDate('en', date, opts);
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
 * "Madrid time" with the IANA id in a title attribute (lib/i18n/format zoneName in other languages).
 */
export const timeZoneCity = i18n.zoneCity;

/** "30 minutes", "1 hour", "24 hours", "3 days": a span as people say it (whole hours up to 2 days). */
export function formatSpan(minutes: number): string {
  const { unit, count } = i18n.spanUnit(minutes);
  return `${count} ${count === 1 ? unit.slice(0, -1) : unit}`;
}
