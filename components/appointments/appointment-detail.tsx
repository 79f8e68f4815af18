import type { ReactNode } from 'react';
import { EarlierAppointments } from '@/components/requests/earlier-appointments';
import type { AppointmentDetail as Detail } from '@/lib/appointments';
import { localDateOf } from '@/lib/availability/time';
import { formatAge, formatDateTime, formatLocalDate, formatPrice, formatSlot, formatTimeRange, zoneName } from '@/lib/i18n/format';
import type { Locale } from '@/lib/i18n/locales';
import { translator } from '@/lib/i18n/translator';
import { formatPhone } from '@/lib/phone';
import { PlainLink, type LinkLike } from './link';
import { AppointmentStatusBadge } from './status-badge';

/**
 * One appointment: when, what, the patient and their earlier appointments. `actions` holds what
 * can still be done to it; `notes` is where the clinical notes section goes (a later issue).
 */
export function AppointmentDetail({
  appointment: a,
  timeZone,
  actions,
  notes,
  linkAs = PlainLink,
  country,
  locale = 'en',
}: {
  appointment: Detail;
  timeZone: string;
  actions?: ReactNode;
  notes?: ReactNode;
  linkAs?: LinkLike;
  /** The practice's country: its own phone numbers are shown nationally. */
  country?: string;
  locale?: Locale;
}) {
  const t = translator(locale, 'appointments.detail');
  const zone = zoneName(locale, timeZone);
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h1 className="text-2xl font-bold">{a.patient.name}</h1>
          <p className="text-slate-700">
            {a.service.name} · {formatSlot(locale, a.startsAt, a.endsAt, timeZone)} ({zone})
          </p>
        </div>
        <span className="text-base" data-testid="appointment-status">
          <AppointmentStatusBadge status={a.status} locale={locale} />
        </span>
      </div>

      <Panel id="appointment-heading" title={t('appointment')} footer={actions}>
        <dt className="font-medium text-slate-700">{t('when')}</dt>
        <dd>
          {formatLocalDate(locale, localDateOf(a.startsAt, timeZone), { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' })},{' '}
          {formatTimeRange(locale, a.startsAt, a.endsAt, timeZone)} ({zone})
        </dd>
        <dt className="font-medium text-slate-700">{t('service')}</dt>
        <dd>{t('serviceDetail', { name: a.service.name, minutes: a.service.durationMinutes, price: formatPrice(locale, a.service.priceAmount, a.service.currency) })}</dd>
        <dt className="font-medium text-slate-700">{t('reason')}</dt>
        <dd className="whitespace-pre-line">{a.reason || <span className="text-slate-600">{t('noReason')}</span>}</dd>
        <dt className="font-medium text-slate-700">{t('requested')}</dt>
        <dd>{formatDateTime(locale, a.requestedAt, timeZone)}</dd>
        <dt className="font-medium text-slate-700">{t('confirmed')}</dt>
        <dd>{formatDateTime(locale, a.confirmedAt, timeZone)}</dd>
        {a.cancelledAt && (
          <>
            <dt className="font-medium text-slate-700">{t('cancelled')}</dt>
            <dd>
              {formatDateTime(locale, a.cancelledAt, timeZone)} {a.cancelledByPatient ? t('byPatient') : a.cancelledByName ? t('byName', { name: a.cancelledByName }) : ''}
              {a.cancelReason && <span className="block whitespace-pre-line text-slate-700">{t('cancelReason', { reason: a.cancelReason })}</span>}
            </dd>
          </>
        )}
      </Panel>

      <Panel
        id="patient-heading"
        title={t('patient')}
        footer={
          <>
            <h3 className="sr-only">{t('earlier')}</h3>
            <EarlierAppointments earlier={a.earlier} timeZone={timeZone} linkAs={linkAs} locale={locale} />
          </>
        }
      >
        <dt className="font-medium text-slate-700">{t('name')}</dt>
        <dd>{a.patient.name}</dd>
        <dt className="font-medium text-slate-700">{t('age')}</dt>
        <dd>
          {formatAge(locale, a.patient.age)}
          {a.patient.dateOfBirth && (
            <span className="text-slate-600"> {t('born', { date: formatLocalDate(locale, a.patient.dateOfBirth, { day: 'numeric', month: 'long', year: 'numeric' }) })}</span>
          )}
        </dd>
        <dt className="font-medium text-slate-700">{t('phone')}</dt>
        <dd>
          <a href={`tel:${a.patient.phone}`} className="text-brand-700 underline underline-offset-2">
            {formatPhone(a.patient.phone, country)}
          </a>
        </dd>
        <dt className="font-medium text-slate-700">{t('email')}</dt>
        <dd>
          {a.patient.email ? (
            <a href={`mailto:${a.patient.email}`} className="text-brand-700 underline underline-offset-2">
              {a.patient.email}
            </a>
          ) : (
            <span className="text-slate-600">{t('notGiven')}</span>
          )}
        </dd>
      </Panel>

      {/* Clinical notes (SOAP) plug in here: the notes issue passes its section as `notes`. */}
      {notes}
    </div>
  );
}

/** A titled card of terms and details, with what follows them below a rule. */
function Panel({ id, title, footer, children }: { id: string; title: string; footer?: ReactNode; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className="rounded-lg border border-slate-200 bg-white p-4">
      <h2 id={id} className="font-semibold">
        {title}
      </h2>
      <dl className="mt-2 grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[auto_1fr]">{children}</dl>
      {footer && <div className="mt-4 border-t border-slate-100 pt-3">{footer}</div>}
    </section>
  );
}
