import { PlainLink, type LinkLike } from '@/components/appointments/link';
import type { PendingRequest } from '@/lib/appointments';
import { formatAge, formatSlot, formatWhen, zoneName } from '@/lib/i18n/format';
import type { Locale } from '@/lib/i18n/locales';
import { translator } from '@/lib/i18n/translator';
import { formatPhone } from '@/lib/phone';
import { DecisionForms } from './decision-forms';
import { EarlierAppointments } from './earlier-appointments';
import { TimeLeft } from './time-left';

/**
 * The pending requests, nearest deadline first. With `canDecide` each card carries the approve
 * and reject forms (they need a DecisionBoard around the list); otherwise the list is read-only.
 */
export function PendingRequestList({
  requests,
  timeZone,
  now,
  profileId,
  canDecide,
  linkAs,
  country,
  locale = 'en',
}: {
  requests: PendingRequest[];
  timeZone: string;
  now: Date;
  profileId: string;
  canDecide: boolean;
  linkAs?: LinkLike;
  /** The practice's country: its own phone numbers are shown nationally. */
  country?: string;
  /** The reader's language (rendered outside Next too: no hooks). */
  locale?: Locale;
}) {
  const t = translator(locale, 'requests.list');
  if (requests.length === 0) {
    return (
      <p className="rounded-lg border border-slate-200 bg-white p-4 text-slate-700" data-testid="no-pending">
        {t('none')}
      </p>
    );
  }
  const serverNow = now.toISOString();
  return (
    <ol className="space-y-3" aria-label={t('label')}>
      {requests.map((r) => (
        <li key={r.id}>
          <RequestCard request={r} timeZone={timeZone} serverNow={serverNow} profileId={profileId} canDecide={canDecide} linkAs={linkAs} country={country} locale={locale} />
        </li>
      ))}
    </ol>
  );
}

function RequestCard({
  request: r,
  timeZone,
  serverNow,
  profileId,
  canDecide,
  linkAs = PlainLink,
  country,
  locale,
}: {
  request: PendingRequest;
  timeZone: string;
  serverNow: string;
  profileId: string;
  canDecide: boolean;
  linkAs?: LinkLike;
  country?: string;
  locale: Locale;
}) {
  const headingId = `request-${r.id}`;
  const t = translator(locale, 'requests.list');
  const zone = zoneName(locale, timeZone);
  return (
    <article aria-labelledby={headingId} className="rounded-lg border border-slate-200 bg-white p-4" data-testid="pending-request" data-request-id={r.id}>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <h2 id={headingId} className="text-lg font-semibold">
            {r.patient.name}
          </h2>
          <p className="text-sm text-slate-700">
            {`${formatAge(locale, r.patient.age)} · `}
            <a href={`tel:${r.patient.phone}`} className="text-brand-700 underline underline-offset-2">
              {formatPhone(r.patient.phone, country)}
            </a>
            {r.patient.email && ` · ${r.patient.email}`}
          </p>
        </div>
        <div className="text-right">
          <TimeLeft deadline={r.expiresAt.toISOString()} serverNow={serverNow} />
          <p className="text-xs text-slate-600">{t('answerBy', { when: formatWhen(locale, r.expiresAt, timeZone) })}</p>
        </div>
      </div>
      <dl className="mt-3 grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[auto_1fr]">
        <dt className="font-medium text-slate-700">{r.offered.length ? t('askedFor') : t('time')}</dt>
        <dd>{r.offered.length ? <s>{formatWhen(locale, r.startsAt, timeZone)}</s> : formatWhen(locale, r.startsAt, timeZone)}</dd>
        {r.movedFrom && (
          <>
            <dt className="font-medium text-slate-700">{t('moved')}</dt>
            <dd data-testid="moved-from">
              {t('movedText', { was: formatSlot(locale, r.movedFrom.startsAt, r.movedFrom.endsAt, timeZone), asks: formatSlot(locale, r.startsAt, r.endsAt, timeZone) })}
            </dd>
          </>
        )}
        {r.offered.length > 0 && (
          <>
            <dt className="font-medium text-slate-700">{t('offered')}</dt>
            <dd data-testid="offered-times">
              <ul>
                {r.offered.map((o) => (
                  <li key={o.id}>{`${formatSlot(locale, o.startsAt, o.endsAt, timeZone)} (${zone})`}</li>
                ))}
              </ul>
              <p className="text-slate-700">{t('offeredHeld')}</p>
            </dd>
          </>
        )}
        <dt className="font-medium text-slate-700">{t('service')}</dt>
        <dd>{t('serviceDetail', { name: r.service.name, minutes: r.service.durationMinutes })}</dd>
        <dt className="font-medium text-slate-700">{t('reason')}</dt>
        <dd className="whitespace-pre-line">{r.reason || <span className="text-slate-600">{t('noReason')}</span>}</dd>
        <dt className="font-medium text-slate-700">{t('history')}</dt>
        <dd>
          <EarlierAppointments earlier={r.earlier} timeZone={timeZone} linkAs={linkAs} locale={locale} />
        </dd>
      </dl>
      {canDecide && (
        <div className="mt-4 border-t border-slate-100 pt-3">
          <DecisionForms profileId={profileId} requestId={r.id} patientName={r.patient.name} offered={r.offered.length > 0} />
        </div>
      )}
    </article>
  );
}
