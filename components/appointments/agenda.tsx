import type { AgendaDay } from '@/lib/appointments';
import { formatLocalDate, formatTimeRange } from '@/lib/i18n/format';
import type { Locale } from '@/lib/i18n/locales';
import { translator } from '@/lib/i18n/translator';
import { PlainLink, type LinkLike } from './link';
import { AppointmentStatusBadge } from './status-badge';

/**
 * The agenda: each day's appointments in start order with time, patient, service and status,
 * each linking to the appointment. Server-rendered; no state.
 */
export function Agenda({
  days,
  timeZone,
  today,
  linkAs: Link = PlainLink,
  emptyText,
  headingLevel = 2,
  locale = 'en',
}: {
  days: AgendaDay[];
  timeZone: string;
  today: string;
  linkAs?: LinkLike;
  emptyText?: string;
  headingLevel?: 2 | 3;
  /** The reader's language (a server component that also renders outside Next: no hooks). */
  locale?: Locale;
}) {
  const t = translator(locale, 'appointments.agenda');
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <div className="space-y-4">
      {days.map((day) => {
        const headingId = `day-${day.date}`;
        const active = day.items.filter((i) => i.status !== 'cancelled').length;
        return (
          <section key={day.date} aria-labelledby={headingId} className="rounded-lg border border-slate-200 bg-white" data-testid="agenda-day">
            <div className="flex flex-wrap items-baseline justify-between gap-2 border-b border-slate-100 px-4 py-2">
              <Heading id={headingId} className="font-semibold">
                {formatLocalDate(locale, day.date)}
                {day.date === today && <span className="ml-2 rounded bg-brand-700 px-2 py-0.5 text-xs font-semibold text-white">{t('today')}</span>}
              </Heading>
              <p className="text-sm text-slate-600">
                {t('count', { count: active })}
                {active !== day.items.length && ` · ${t('cancelled', { count: day.items.length - active })}`}
              </p>
            </div>
            {day.items.length === 0 ? (
              <p className="px-4 py-3 text-sm text-slate-600">{emptyText ?? t('empty')}</p>
            ) : (
              <ol className="divide-y divide-slate-100">
                {day.items.map((item) => (
                  <li key={item.id} className={`grid grid-cols-[auto_1fr] items-center gap-x-3 gap-y-1 px-4 py-2 sm:grid-cols-[7.5rem_1fr_auto] ${item.status === 'cancelled' ? 'text-slate-500' : ''}`} data-testid="agenda-item">
                    <span className="font-mono text-sm tabular-nums">{formatTimeRange(locale, item.startsAt, item.endsAt, timeZone)}</span>
                    <span className="min-w-0">
                      <Link href={`/dashboard/appointments/${item.id}`} className={`font-medium break-words text-brand-700 hover:underline ${item.status === 'cancelled' ? 'line-through' : ''}`}>
                        {item.patient.name}
                      </Link>
                      <span className="block truncate text-sm text-slate-600">{item.service.name}</span>
                    </span>
                    <span className="col-start-2 justify-self-start sm:col-start-auto">
                      <AppointmentStatusBadge status={item.status} locale={locale} />
                    </span>
                  </li>
                ))}
              </ol>
            )}
          </section>
        );
      })}
    </div>
  );
}
