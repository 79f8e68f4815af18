import { PlainLink, type LinkLike } from '@/components/appointments/link';
import { appointmentStatusLabel } from '@/components/appointments/status-badge';
import type { EarlierAppointments as Earlier } from '@/lib/appointments';
import { formatShortDate } from '@/lib/i18n/format';
import type { Locale } from '@/lib/i18n/locales';
import { translator } from '@/lib/i18n/translator';

/** A patient's earlier appointments in this practice, newest first, or "first visit". */
export function EarlierAppointments({
  earlier,
  timeZone,
  linkAs: Link = PlainLink,
  locale = 'en',
}: {
  earlier: Earlier;
  timeZone: string;
  linkAs?: LinkLike;
  locale?: Locale;
}) {
  const t = translator(locale, 'requests.earlier');
  if (earlier.total === 0) return <p className="text-sm text-slate-700">{t('first')}</p>;
  const more = earlier.total - earlier.recent.length;
  return (
    <div className="text-sm">
      <p className="font-medium text-slate-800">{t('count', { count: earlier.total })}</p>
      <ul className="mt-1 space-y-0.5 text-slate-700">
        {earlier.recent.map((a) => (
          <li key={a.id}>
            <Link href={`/dashboard/appointments/${a.id}`} className="text-brand-700 underline underline-offset-2">
              {formatShortDate(locale, a.startsAt, timeZone)}
            </Link>
            {` · ${a.serviceName} · ${appointmentStatusLabel(a.status, locale).toLowerCase()}`}
          </li>
        ))}
        {more > 0 && <li className="text-slate-600">{t('more', { count: more })}</li>}
      </ul>
    </div>
  );
}
