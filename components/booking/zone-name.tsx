import { timeZoneCity } from '@/lib/format';

/**
 * "Madrid time" / "hora de Madrid" (plain text, where no element can go). Client-safe (no catalog):
 * the same words as common.zone.cityTime, which server code reads through lib/i18n/format zoneName.
 */
export function zoneLabel(timeZone: string, locale: string = 'en'): string {
  const city = timeZoneCity(timeZone);
  if (city === 'UTC') return 'UTC';
  return locale === 'es' ? `hora de ${city}` : `${city} time`;
}

/** "Madrid time": the practice's time zone named for people, the IANA id on hover. */
export function ZoneName({ timeZone, locale }: { timeZone: string; locale?: string }) {
  return <span title={timeZone}>{zoneLabel(timeZone, locale)}</span>;
}

/**
 * "All times are Madrid time.": the line under every list of times. `text` is the sentence in the
 * page's language (booking.zone.allTimes, with the zone named); without it, English.
 */
export function TimesIn({ timeZone, text, className = 'text-sm text-slate-700' }: { timeZone: string; text?: string; className?: string }) {
  if (text) {
    // The zone keeps its title (the IANA id on hover), whichever language named it.
    const zone = [zoneLabel(timeZone, 'es'), zoneLabel(timeZone, 'en')].find((z) => text.includes(z));
    if (!zone) return <p className={className}>{text}</p>;
    const at = text.indexOf(zone);
    return (
      <p className={className}>
        {text.slice(0, at)}
        <span title={timeZone}>{zone}</span>
        {text.slice(at + zone.length)}
      </p>
    );
  }
  return (
    <p className={className}>
      All times are <ZoneName timeZone={timeZone} />.
    </p>
  );
}
