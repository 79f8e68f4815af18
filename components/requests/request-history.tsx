import { PlainLink, type LinkLike } from '@/components/appointments/link';
import { appointmentStatusLabel, RequestStatusBadge } from '@/components/appointments/status-badge';
import type { HistoryEntry } from '@/lib/appointments';
import { formatDateTime, formatSlot, zoneName } from '@/lib/i18n/format';
import type { Locale } from '@/lib/i18n/locales';
import { translator } from '@/lib/i18n/translator';
import { formatPhone } from '@/lib/phone';

/** Requests no longer waiting: who answered, when and why; newest received first. */
export function RequestHistory({
  entries,
  timeZone,
  linkAs: Link = PlainLink,
  country,
  locale = 'en',
}: {
  entries: HistoryEntry[];
  timeZone: string;
  linkAs?: LinkLike;
  /** The practice's country: its own phone numbers are shown nationally. */
  country?: string;
  locale?: Locale;
}) {
  const t = translator(locale, 'requests.historyList');
  if (entries.length === 0) {
    return <p className="rounded-lg border border-slate-200 bg-white p-4 text-slate-700">{t('none')}</p>;
  }
  return (
    <ol className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white" aria-label={t('label')}>
      {entries.map((e) => (
        <li key={e.id} className="grid gap-2 px-4 py-3 sm:grid-cols-[1fr_auto]" data-testid="history-entry" data-request-id={e.id}>
          <div className="min-w-0">
            <p className="font-medium">
              {e.patient.name} <span className="font-normal text-slate-600">· {formatPhone(e.patient.phone, country)}</span>
            </p>
            <p className="text-sm text-slate-700">
              {e.service.name} · {formatSlot(locale, e.startsAt, e.endsAt, timeZone)} ({zoneName(locale, timeZone)})
            </p>
            <p className="text-sm text-slate-600">
              {t('received', { when: formatDateTime(locale, e.createdAt, timeZone) })}
              {e.decidedAt && (
                <>
                  {' · '}
                  {t('decided', { status: e.status === 'approved' ? 'approved' : 'rejected', when: formatDateTime(locale, e.decidedAt, timeZone) })}
                  {e.decidedByName && <> {t('by', { name: e.decidedByName })}</>}
                </>
              )}
              {e.status === 'expired' && <> · {t('noAnswer', { when: formatDateTime(locale, e.expiresAt, timeZone) })}</>}
            </p>
            {e.decisionReason && <p className="mt-1 whitespace-pre-line border-l-4 border-red-300 pl-2 text-sm">{t('reason', { reason: e.decisionReason })}</p>}
          </div>
          <div className="flex flex-col items-start gap-1 sm:items-end">
            <RequestStatusBadge status={e.status} locale={locale} />
            {e.reservation && (
              <Link href={`/dashboard/appointments/${e.reservation.id}`} className="text-sm text-brand-700 hover:underline">
                {t('appointment', { status: appointmentStatusLabel(e.reservation.status, locale).toLowerCase() })}
              </Link>
            )}
          </div>
        </li>
      ))}
    </ol>
  );
}
