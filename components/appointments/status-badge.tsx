import type { RequestStatus, ReservationStatus } from '@/lib/appointments';
import type { Locale } from '@/lib/i18n/locales';
import { translator } from '@/lib/i18n/translator';

// i18n-keys: appointments.status.*
const RESERVATION: Record<ReservationStatus, { tone: string }> = {
  confirmed: { tone: 'border-brand-600 bg-brand-50 text-brand-800' },
  completed: { tone: 'border-green-700 bg-green-50 text-green-900' },
  no_show: { tone: 'border-amber-600 bg-amber-50 text-amber-950' },
  cancelled: { tone: 'border-slate-400 bg-slate-100 text-slate-800' },
};

const REQUEST: Record<RequestStatus, { tone: string }> = {
  pending: { tone: 'border-amber-600 bg-amber-50 text-amber-950' },
  approved: { tone: 'border-green-700 bg-green-50 text-green-900' },
  rejected: { tone: 'border-red-700 bg-red-50 text-red-900' },
  expired: { tone: 'border-slate-400 bg-slate-100 text-slate-800' },
  cancelled: { tone: 'border-slate-400 bg-slate-100 text-slate-800' },
};

const base = 'inline-block whitespace-nowrap rounded border px-2 py-0.5 text-xs font-semibold';

export function AppointmentStatusBadge({ status, locale = 'en' }: { status: ReservationStatus; locale?: Locale }) {
  return <span className={`${base} ${RESERVATION[status].tone}`}>{appointmentStatusLabel(status, locale)}</span>;
}

export function RequestStatusBadge({ status, locale = 'en' }: { status: RequestStatus; locale?: Locale }) {
  return <span className={`${base} ${REQUEST[status].tone}`}>{translator(locale, 'appointments.status.request')(status)}</span>;
}

export function appointmentStatusLabel(status: ReservationStatus, locale: Locale = 'en'): string {
  return translator(locale, 'appointments.status')(status);
}
