import type { Locale } from './locales';
import { formatLongDate, formatTime, spanUnit, zoneCity } from './intl';
import { translator } from './translator';

/**
 * Every date, time and number a person reads, in their language and always in the practice's
 * time zone, named for people ("hora de Madrid", "Madrid time"). An instant (Date) is shown in
 * `timeZone`; a local date ('YYYY-MM-DD') is already the practice's and is formatted as such.
 * The Intl-only formatters live in ./intl (client-safe) and are re-exported here; the ones below
 * read message catalogs (server side). lib/format (English only) delegates to ./intl with 'en'.
 */
export * from './intl';

/** "hora de Madrid", "Madrid time"; a zone with no city (UTC) by its id. */
export function zoneName(locale: Locale, timeZone: string): string {
  const city = zoneCity(timeZone);
  if (city === 'UTC') return 'UTC';
  return translator(locale, 'common.zone')('cityTime', { city });
}

/** "martes, 1 de diciembre, 13:00 (hora de Madrid)" / "Tuesday 1 December, 13:00 (Madrid time)". */
export function formatWhen(locale: Locale, instant: Date, timeZone: string, opts: { year?: boolean } = {}): string {
  return translator(locale, 'common.format')('dateTimeZone', {
    date: formatLongDate(locale, instant, timeZone, opts.year ? { year: 'numeric' } : {}),
    time: formatTime(locale, instant, timeZone),
    zone: zoneName(locale, timeZone),
  });
}

/** "30 minutos", "1 hour", "24 hours", "3 días": a span as people say it (whole hours up to 2 days). */
export function formatSpan(locale: Locale, minutes: number): string {
  const { unit, count } = spanUnit(minutes);
  // i18n-keys: common.span.*
  return translator(locale, 'common.span')(unit, { count });
}

/** "35 years old" / "35 años"; "age not given" / "edad no indicada". */
export function formatAge(locale: Locale, age: number | null): string {
  const t = translator(locale, 'common.age');
  return age === null ? t('unknown') : t('years', { count: age });
}
