import { formatMoney } from '@/lib/catalog/money';
import { INTL_LOCALE, type Locale } from './locales';

/**
 * The Intl half of lib/i18n/format.ts: dates, times and numbers per locale with no message
 * catalog, so that client components (and lib/format, which they import) stay small. Pages
 * import lib/i18n/format.ts, which re-exports all of this.
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

/**
 * The place a time zone is named after, for people: 'Europe/Madrid' → 'Madrid',
 * 'America/Argentina/Buenos_Aires' → 'Buenos Aires'; 'UTC' for the UTC zones.
 */
export function zoneCity(timeZone: string): string {
  if (/^(Etc\/)?(UTC|UCT|GMT|Zulu|Universal)$/i.test(timeZone)) return 'UTC';
  const last = timeZone.split('/').pop() ?? timeZone;
  return last.replace(/_/g, ' ');
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

/** How a span of minutes is said: minutes unless whole hours; hours up to 2 days or when not whole days; else days. */
export function spanUnit(minutes: number): { unit: 'minutes' | 'hours' | 'days'; count: number } {
  if (minutes % 60 !== 0) return { unit: 'minutes', count: minutes };
  const hours = minutes / 60;
  if (hours <= 48 || hours % 24 !== 0) return { unit: 'hours', count: hours };
  return { unit: 'days', count: hours / 24 };
}

/** Monday to Sunday in the locale, capitalised as a list of days starts ("Lunes", "Monday"). */
export function weekdayNames(locale: Locale): string[] {
  // 2024-01-01 was a Monday.
  return Array.from({ length: 7 }, (_, i) => {
    const name = formatLocalDate(locale, `2024-01-0${i + 1}`, { weekday: 'long' });
    return name.charAt(0).toLocaleUpperCase(INTL_LOCALE[locale]) + name.slice(1);
  });
}
