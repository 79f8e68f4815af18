import Link from 'next/link';
import { getLocale, getTranslations } from 'next-intl/server';
import { zoneLabel } from '@/components/booking/zone-name';
import type { RequestStatus } from '@/lib/booking/status';
import { formatDateTime, formatTime } from '@/lib/i18n/intl';
import { isLocale } from '@/lib/i18n/locales';

/** A request's state in the patient's words (as on its status page). */
export const PATIENT_STATUS: Record<RequestStatus, { label: string; tone: string }> = {
  pending: { label: 'Waiting for the practice', tone: 'border-amber-400 bg-amber-50 text-amber-950' },
  approved: { label: 'Confirmed appointment', tone: 'border-green-600 bg-green-50 text-green-950' },
  rejected: { label: 'Not accepted', tone: 'border-red-400 bg-red-50 text-red-950' },
  expired: { label: 'Expired without an answer', tone: 'border-slate-400 bg-slate-100 text-slate-900' },
  cancelled: { label: 'Cancelled', tone: 'border-slate-400 bg-slate-100 text-slate-900' },
};

export interface MyRequestItem {
  id: string;
  status: RequestStatus;
  startsAt: Date;
  endsAt: Date;
  serviceName: string;
}

/** The patient's requests at one practice, latest time first, each opening its own page. */
export async function MyRequestList({ requests, timeZone }: { requests: MyRequestItem[]; timeZone: string }) {
  const [t, tState, pageLocale] = await Promise.all([getTranslations('booking.my'), getTranslations('status.state'), getLocale()]);
  const locale = isLocale(pageLocale) ? pageLocale : 'en';
  if (!requests.length) {
    return <p className="rounded-lg border border-slate-200 bg-white p-4 text-slate-700">{t('none')}</p>;
  }
  return (
    <ul className="space-y-3" data-testid="my-requests">
      {requests.map((r) => (
        <li key={r.id}>
          <Link href={`/my/requests/${r.id}`} className="block rounded-lg border border-slate-300 bg-white p-4 hover:bg-slate-50" data-testid="my-request">
            <span className="block font-semibold text-brand-800 underline underline-offset-2">
              {formatDateTime(locale, r.startsAt, timeZone, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' })}–{formatTime(locale, r.endsAt, timeZone)}
            </span>
            <span className="block text-slate-800">{r.serviceName}</span>
            <span className={`mt-2 inline-block rounded border px-2 py-0.5 text-sm font-semibold ${PATIENT_STATUS[r.status].tone}`}>{locale === 'en' ? PATIENT_STATUS[r.status].label : tState(r.status)}</span>
            <span className="sr-only"> ({zoneLabel(timeZone, locale)})</span>
          </Link>
        </li>
      ))}
    </ul>
  );
}
