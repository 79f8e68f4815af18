import { timeZoneCity } from '@/lib/format';

/** "Madrid time" (plain text, where no element can go). */
export function zoneLabel(timeZone: string): string {
  const city = timeZoneCity(timeZone);
  return city === 'UTC' ? 'UTC' : `${city} time`;
}

/** "Madrid time": the practice's time zone named for people, the IANA id on hover. */
export function ZoneName({ timeZone }: { timeZone: string }) {
  return <span title={timeZone}>{zoneLabel(timeZone)}</span>;
}

/** "All times are Madrid time.": the line under every list of times. */
export function TimesIn({ timeZone, className = 'text-sm text-slate-700' }: { timeZone: string; className?: string }) {
  return (
    <p className={className}>
      All times are <ZoneName timeZone={timeZone} />.
    </p>
  );
}
