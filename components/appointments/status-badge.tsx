import type { RequestStatus, ReservationStatus } from '@/lib/appointments';

const RESERVATION: Record<ReservationStatus, { label: string; tone: string }> = {
  confirmed: { label: 'Confirmed', tone: 'border-brand-600 bg-brand-50 text-brand-800' },
  completed: { label: 'Completed', tone: 'border-green-700 bg-green-50 text-green-900' },
  no_show: { label: 'No-show', tone: 'border-amber-600 bg-amber-50 text-amber-950' },
  cancelled: { label: 'Cancelled', tone: 'border-slate-400 bg-slate-100 text-slate-800' },
};

const REQUEST: Record<RequestStatus, { label: string; tone: string }> = {
  pending: { label: 'Pending', tone: 'border-amber-600 bg-amber-50 text-amber-950' },
  approved: { label: 'Approved', tone: 'border-green-700 bg-green-50 text-green-900' },
  rejected: { label: 'Rejected', tone: 'border-red-700 bg-red-50 text-red-900' },
  expired: { label: 'Expired', tone: 'border-slate-400 bg-slate-100 text-slate-800' },
  cancelled: { label: 'Cancelled by the patient', tone: 'border-slate-400 bg-slate-100 text-slate-800' },
};

const base = 'inline-block whitespace-nowrap rounded border px-2 py-0.5 text-xs font-semibold';

export function AppointmentStatusBadge({ status }: { status: ReservationStatus }) {
  const s = RESERVATION[status];
  return <span className={`${base} ${s.tone}`}>{s.label}</span>;
}

export function RequestStatusBadge({ status }: { status: RequestStatus }) {
  const s = REQUEST[status];
  return <span className={`${base} ${s.tone}`}>{s.label}</span>;
}

export function appointmentStatusLabel(status: ReservationStatus): string {
  return RESERVATION[status].label;
}
