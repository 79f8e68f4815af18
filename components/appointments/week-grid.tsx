import type { CalendarDay, CalendarEntry } from '@/lib/appointments';
import { utcToZonedParts } from '@/lib/availability/time';
import { formatLocalDate, formatTimeRange } from '@/lib/i18n/format';
import type { Locale } from '@/lib/i18n/locales';
import { translator, type Translate } from '@/lib/i18n/translator';
import { PlainLink, type LinkLike } from './link';

/** Pixels per minute of the grid: an hour is 132 px, a 15-minute slot 33 px (two lines of small text). */
const PX = 2.2;
const HEADER = 'h-14';

function minutesOf(instant: Date, timeZone: string): number {
  const [h, m] = utcToZonedParts(instant, timeZone).time.split(':').map(Number);
  return h * 60 + m;
}

/**
 * Day and week time grids in the practice's zone: each day a column (a section with its heading
 * and its entries in time order, so it reads as a list too), entries placed by their local time.
 * Appointments link to their page; held times are marked (pending, or offered to the patient);
 * blocks show their reason; free times link to the phone-in booking (when `bookHref` is given).
 */
export function WeekGrid({
  days,
  timeZone,
  today,
  bookHref,
  linkAs: Link = PlainLink,
  locale = 'en',
}: {
  days: CalendarDay[];
  timeZone: string;
  today: string;
  bookHref?: (start: Date) => string;
  linkAs?: LinkLike;
  locale?: Locale;
}) {
  const t = translator(locale, 'appointments.grid');
  const all = days.flatMap((d) => d.entries);
  const starts = all.map((e) => minutesOf(e.startsAt, timeZone));
  const ends = all.map((e) => {
    const m = minutesOf(e.endsAt, timeZone);
    return m === 0 ? 24 * 60 : m;
  });
  const first = Math.floor((starts.length ? Math.min(...starts) : 8 * 60) / 60) * 60;
  const last = Math.ceil((ends.length ? Math.max(...ends) : 18 * 60) / 60) * 60;
  // Room below the last hour for its label.
  const height = (Math.max(60, last - first) + 15) * PX;
  const hours = Array.from({ length: (last - first) / 60 + 1 }, (_, i) => first + i * 60);

  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white" data-testid="week-grid">
      <div className="grid min-w-[44rem]" style={{ gridTemplateColumns: `3.5rem repeat(${days.length}, minmax(0, 1fr))` }}>
        <div aria-hidden="true" className="relative border-r border-slate-200">
          <div className={HEADER} />
          <div className="relative" style={{ height }}>
            {hours.map((h) => (
              <span key={h} className="absolute right-1 -translate-y-1/2 text-xs tabular-nums text-slate-600" style={{ top: (h - first) * PX }}>
                {`${String(Math.floor(h / 60)).padStart(2, '0')}:00`}
              </span>
            ))}
          </div>
        </div>
        {days.map((day) => {
          const headingId = `grid-day-${day.date}`;
          return (
            <section key={day.date} aria-labelledby={headingId} className="border-r border-slate-200 last:border-r-0" data-testid="grid-day" data-date={day.date}>
              <div className={`${HEADER} border-b border-slate-200 px-2 py-1 ${day.date === today ? 'bg-brand-50' : ''}`}>
                <h2 id={headingId} className="text-sm font-semibold leading-tight">
                  {formatLocalDate(locale, day.date, { weekday: 'short', day: 'numeric', month: 'short' })}
                  {day.date === today && <span className="ml-1 rounded bg-brand-700 px-1.5 text-xs text-white">{t('today')}</span>}
                </h2>
                {day.exception && (
                  <p className="truncate text-xs text-amber-900" title={day.exception.reason}>
                    {day.exception.closed ? t('closed') : t('hours', { start: day.exception.startTime ?? '', end: day.exception.endTime ?? '' })}
                    {day.exception.reason && `: ${day.exception.reason}`}
                  </p>
                )}
              </div>
              <ol className="relative" style={{ height, backgroundImage: `repeating-linear-gradient(to bottom, #e2e8f0 0, #e2e8f0 1px, transparent 1px, transparent ${60 * PX}px)` }}>
                {day.entries.length === 0 && <li className="sr-only">{t('nothing')}</li>}
                {day.entries.map((e) => (
                  <li
                    key={`${e.kind}-${e.startsAt.toISOString()}`}
                    className="absolute inset-x-0.5 overflow-hidden"
                    data-testid={`grid-${e.kind}`}
                    data-start={e.startsAt.toISOString()}
                    style={{ top: (minutesOf(e.startsAt, timeZone) - first) * PX, height: Math.max(18, (e.endsAt.getTime() - e.startsAt.getTime()) / 60_000) * PX - 2 }}
                  >
                    <Entry entry={e} timeZone={timeZone} bookHref={bookHref} Link={Link} t={t} locale={locale} />
                  </li>
                ))}
              </ol>
            </section>
          );
        })}
      </div>
    </div>
  );
}

function Entry({
  entry: e,
  timeZone,
  bookHref,
  Link,
  t,
  locale,
}: {
  entry: CalendarEntry;
  timeZone: string;
  bookHref?: (start: Date) => string;
  Link: LinkLike;
  t: Translate;
  locale: Locale;
}) {
  const time = formatTimeRange(locale, e.startsAt, e.endsAt, timeZone);
  const base = 'block h-full rounded px-1.5 py-0.5 text-xs leading-tight';
  switch (e.kind) {
    case 'appointment':
      return (
        <Link href={`/dashboard/appointments/${e.reservationId}`} className={`${base} border-l-4 border-brand-700 bg-brand-50 text-slate-900 hover:bg-brand-100`}>
          <span className="block font-semibold break-words">{e.patientName}</span>
          <span className="block text-slate-700">
            {time} · {e.serviceName}
            {e.status !== 'confirmed' && ` · ${e.status === 'completed' ? t('completed') : t('noShow')}`}
          </span>
        </Link>
      );
    case 'held':
      return (
        <Link
          href="/dashboard/requests"
          className={`${base} border border-dashed border-amber-700 bg-amber-50 text-amber-950 hover:bg-amber-100`}
        >
          <span className="block font-semibold break-words">
            {e.offered ? t('offered', { name: e.patientName }) : t('held', { name: e.patientName })}
          </span>
          <span className="block">{e.offered ? t('waitingPatient', { time }) : t('waitingAnswer', { time })}</span>
        </Link>
      );
    case 'blocked':
      return (
        <div className={`${base} bg-slate-200 text-slate-900`} style={{ backgroundImage: 'repeating-linear-gradient(45deg, transparent 0 6px, rgba(100,116,139,.15) 6px 12px)' }}>
          <span className="font-semibold">{t('blocked')}</span> {time}
          {e.reason && <span className="block break-words">{e.reason}</span>}
        </div>
      );
    case 'free': {
      const label = t('free', { time: time.split('–')[0] });
      return bookHref ? (
        <Link href={bookHref(e.startsAt)} className={`${base} border border-green-700/30 bg-green-50 text-green-900 hover:bg-green-100`}>
          {label}
          <span className="sr-only">{t('bookHere')}</span>
        </Link>
      ) : (
        <span className={`${base} bg-green-50 text-green-900`}>
          {label}
        </span>
      );
    }
  }
}
