import { formatMoney } from '@/lib/catalog/money';
import { INTL_LOCALE, type Locale } from './locales';
import { translator } from './translator';

/**
 * Every date, time and number a person reads, in their language and always in the practice's
 * time zone, named for people ("hora de Madrid", "Madrid time"). An instant (Date) is shown in
 * `timeZone`; a local date ('YYYY-MM-DD') is already the practice's and is formatted as such.
 * lib/format (English only) delegates here with 'en'.
 */

// Building a formatter costs far more than using one: a page of 500 requests formats thousands of times.
const dateFormatters = new Map<string, Intl.DateTimeFormat>();
const numberFormatters = new Map<string, Intl.NumberFormat>();

export function dateFormatter(locale: Locale, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = dateFormatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(INTL_LOCALE[locale], options);
    dateFormatters.set(key, f);
  }
  return f;
}

function numberFormatter(locale: Locale, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = numberFormatters.get(key);
  if (!f) {
    f = new Intl.NumberFormat(INTL_LOCALE[locale], options);
    numberFormatters.set(key, f);
  }
  return f;
}

/** The city of an IANA zone as people name it: 'Europe/Madrid' → 'Madrid', 'America/Argentina/Buenos_Aires' → 'Buenos Aires'. */
export function zoneCity(timeZone: string): string {
  if (!timeZone.includes('/')) return timeZone;
  return timeZone.slice(timeZone.lastIndexOf('/') + 1).replace(/_/g, ' ');
}

/** "hora de Madrid", "Madrid time"; a zone with no city (UTC) by its id. */
export function zoneName(locale: Locale, timeZone: string): string {
  if (!timeZone.includes('/')) return timeZone;
  return translator(locale, 'common.zone')('cityTime', { city: zoneCity(timeZone) });
}

/** "mar, 1 dic, 13:00" / "Tue 1 Dec, 13:00"; `opts` changes or adds parts (`{ year: 'numeric' }`, `{ weekday: undefined }`). */
export function formatDateTime(locale: Locale, instant: Date, timeZone: string, opts: Intl.DateTimeFormatOptions = {}): string {
  return dateFormatter(locale, { timeZone, weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', ...opts }).format(instant);
}

/** "13:00" */
export function formatTime(locale: Locale, instant: Date, timeZone: string): string {
  return dateFormatter(locale, { timeZone, hour: '2-digit', minute: '2-digit' }).format(instant);
}

/** "martes, 1 de diciembre" / "Tuesday 1 December" of an instant in the zone. */
export function formatLongDate(locale: Locale, instant: Date, timeZone: string, opts: Intl.DateTimeFormatOptions = {}): string {
  return dateFormatter(locale, { timeZone, weekday: 'long', day: 'numeric', month: 'long', ...opts }).format(instant);
}

/** "martes, 1 de diciembre, 13:00 (hora de Madrid)" / "Tuesday 1 December, 13:00 (Madrid time)". */
export function formatWhen(locale: Locale, instant: Date, timeZone: string, opts: { year?: boolean } = {}): string {
  return translator(locale, 'common.format')('dateTimeZone', {
    date: formatLongDate(locale, instant, timeZone, opts.year ? { year: 'numeric' } : {}),
    time: formatTime(locale, instant, timeZone),
    zone: zoneName(locale, timeZone),
  });
}

/** "mar, 1 dic, 13:00–13:30" */
export function formatSlot(locale: Locale, startsAt: Date, endsAt: Date, timeZone: string): string {
  return `${formatDateTime(locale, startsAt, timeZone)}–${formatTime(locale, endsAt, timeZone)}`;
}

/** "13:00–13:30" */
export function formatTimeRange(locale: Locale, startsAt: Date, endsAt: Date, timeZone: string): string {
  return `${formatTime(locale, startsAt, timeZone)}–${formatTime(locale, endsAt, timeZone)}`;
}

/** "14 mar 2026" / "14 Mar 2026" */
export function formatShortDate(locale: Locale, instant: Date, timeZone: string): string {
  return dateFormatter(locale, { timeZone, day: 'numeric', month: 'short', year: 'numeric' }).format(instant);
}

/** "martes, 1 de diciembre" for a local date; `opts` replaces the parts shown. */
export function formatLocalDate(locale: Locale, date: string, opts: Intl.DateTimeFormatOptions = { weekday: 'long', day: 'numeric', month: 'long' }): string {
  return dateFormatter(locale, { timeZone: 'UTC', ...opts }).format(new Date(`${date}T12:00:00Z`));
}

/** A price in minor units, with as many decimals as its currency has (EUR 2, JPY 0, KWD 3): "45,00 €" / "€45.00". */
export function formatPrice(locale: Locale, amountMinor: number, currency: string): string {
  return formatMoney(amountMinor, currency, INTL_LOCALE[locale]);
}

/** "1.234" / "1,234" */
export function formatNumber(locale: Locale, value: number, opts: Intl.NumberFormatOptions = {}): string {
  return numberFormatter(locale, opts).format(value);
}
