import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { cache } from 'react';
import Form from 'next/form';
import { getTranslations } from 'next-intl/server';
import { calendarEntry, googleCalendarHref, outlookCalendarHref } from '@/components/booking/calendar-links';
import { CancelConfirm } from '@/components/booking/cancel-request';
import { Button } from '@/components/ui/button';
import { Countdown } from '@/components/booking/countdown';
import { PracticeCard } from '@/components/booking/practice-card';
import { PublicShell } from '@/components/booking/public-shell';
import { StatusHeading } from '@/components/booking/status-heading';
import { StatusWatcher } from '@/components/booking/status-watcher';
import { TimesIn } from '@/components/booking/zone-name';
import { getPracticeCard, type PracticeCard as Card } from '@/lib/availability/public-profile';
import { MoveStatus } from '@/components/requests/move-status';
import { OfferedTimes } from '@/components/requests/offered-times';
import { getRequestByToken, type RequestStatus, type RequestView } from '@/lib/booking/status';
import { offeredTimes } from '@/lib/proposals';
import { isDomainError } from '@/lib/errors';
import { formatDateTime, formatTime, zoneName } from '@/lib/i18n/format';
import type { Locale } from '@/lib/i18n/locales';
import { pageLocale } from '@/lib/i18n/page-locale';

// A request's state changes with every decision: never cache this page.
export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  return { ...metadata, title: (await getTranslations('status.page'))('title') };
}

const metadata: Metadata = {
  // The address holds the status token: keep it out of search engines and other sites' logs
  // ('same-origin', not 'no-referrer': a form post must still carry its Origin for the CSRF check).
  robots: { index: false, follow: false },
  referrer: 'same-origin',
};

interface PageProps {
  params: Promise<{ token: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

// The titles are status.state.<status>.
const STATUS: Record<RequestStatus, { tone: string }> = {
  pending: { tone: 'border-amber-400 bg-amber-50 text-amber-950' },
  approved: { tone: 'border-green-600 bg-green-50 text-green-950' },
  rejected: { tone: 'border-red-400 bg-red-50 text-red-950' },
  expired: { tone: 'border-slate-400 bg-slate-100 text-slate-900' },
  cancelled: { tone: 'border-slate-400 bg-slate-100 text-slate-900' },
};

const loadRequest = cache(async (token: string): Promise<RequestView | null> => {
  try {
    return await getRequestByToken(token);
  } catch (err) {
    if (isDomainError(err) && err.code === 'not_found') return null;
    throw err;
  }
});

export default async function RequestStatusPage({ params, searchParams }: PageProps) {
  const [{ token }, sp] = await Promise.all([params, searchParams]);
  const [request, t, tState, tZone, locale] = await Promise.all([
    loadRequest(token),
    getTranslations('status.page'),
    getTranslations('status.state'),
    getTranslations('booking.zone'),
    pageLocale(),
  ]);
  if (!request) notFound();
  const now = serverNow();
  const tz = request.profile.timeZone;
  const { status } = request;
  const justSent = sp.sent === '1' && status === 'pending';
  const cancellable = (status === 'pending' && request.expiresAt > now) || (status === 'approved' && request.startsAt > now);
  const what = status === 'pending' ? 'request' : 'appointment';
  const deadline = `${formatDateTime(locale, request.expiresAt, tz, { weekday: 'long', day: 'numeric', month: 'long' })} (${zoneName(locale, tz)})`;
  // Other times the practice offered instead (issue 16): the patient takes one here.
  const [offers, card] = await Promise.all([status === 'pending' ? offeredTimes(token, { now }) : [], loadCard(request.profile.slug)]);
  const upcoming = status === 'approved' && request.endsAt > now;

  return (
    <PublicShell>
      {/* While the practice has not answered, the page follows the answer without a reload. */}
      <StatusWatcher token={token} status={status} startsAt={request.startsAt.toISOString()} active={status === 'pending'} />
      <h1 className="text-3xl font-bold tracking-tight">{t('title')}</h1>
      <p className="mt-2 text-slate-700">{t('with', { practice: request.profile.name })}</p>

      {justSent && (
        <p role="status" className="mt-6 rounded-md border border-green-600 bg-green-50 p-3 text-green-950">
          {t('justSent')}
        </p>
      )}

      <section aria-labelledby="status-heading" className={`mt-6 rounded-lg border-2 p-4 ${STATUS[status].tone}`}>
        <p className="text-sm font-semibold uppercase tracking-wide">{t('status')}</p>
        <StatusHeading status={status} className="mt-1 text-2xl font-bold">
          <span id="status-heading">{/* i18n-keys: status.state.* */}
            {offers.length ? t('offered') : tState(status)}</span>
        </StatusHeading>
        {offers.length ? (
          <p className="mt-3">{t('offersText', { practice: request.profile.name, deadline })}</p>
        ) : (
          <StatusExplanation request={request} deadline={deadline} now={now} address={card?.address ?? null} />
        )}
      </section>

      {offers.length > 0 && (
        <OfferedTimes
          token={token}
          deadline={deadline}
          times={offers.map((o) => ({
            id: o.id,
            label: `${formatDateTime(locale, o.startsAt, tz, { weekday: 'long', day: 'numeric', month: 'long' })}–${formatTime(locale, o.endsAt, tz)} (${zoneName(locale, tz)})`,
          }))}
        />
      )}

      <section aria-labelledby="summary-heading" className="mt-8">
        <h2 id="summary-heading" className="text-xl font-semibold">
          {t('details')}
        </h2>
        <dl className="mt-3 divide-y divide-slate-200 rounded-lg border border-slate-300 bg-white">
          <Row term={t('practice')}>{request.profile.name}</Row>
          <Row term={t('service')}>{request.service.name}</Row>
          <Row term={offers.length ? t('timeAsked') : t('time')}>
            <span className="block">
              {formatDateTime(locale, request.startsAt, tz, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' })}–{formatTime(locale, request.endsAt, tz)}
            </span>
            <TimesIn timeZone={tz} text={tZone('allTimes', { zone: zoneName(locale, tz) })} className="block text-sm text-slate-700" />
          </Row>
          <Row term={t('sent')}>{formatDateTime(locale, request.createdAt, tz, { weekday: undefined, hour: undefined, minute: undefined, year: 'numeric', month: 'long' })}</Row>
        </dl>
      </section>

      {upcoming && <AddToCalendar token={token} request={request} card={card} heading={t('calendar')} download={t('download')} locale={locale} />}

      {/* Issue 15: move to another time (or a move waiting for the practice). */}
      <MoveStatus token={token} justMoved={sp.moved === '1'} />

      {cancellable && (
        <section id="cancel" aria-labelledby="cancel-heading" className="mt-8 scroll-mt-4">
          <h2 id="cancel-heading" className="text-xl font-semibold">
            {t('cantMake')}
          </h2>
          <p className="mt-1 mb-3 text-slate-700">{status === 'pending' ? t('cancelPending') : t('cancelApproved')}</p>
          {sp.cancel === '1' ? (
            <CancelConfirm
              token={token}
              what={what}
              words={{ question: t('confirmQuestion', { what }), yes: t('confirmYes', { what }), cancelling: t('cancelling'), keep: t('keep') }}
            />
          ) : (
            <Form action={`/requests/${token}`} scroll={false}>
              <input type="hidden" name="cancel" value="1" />
              <Button type="submit" variant="secondary" className="min-h-11 w-full sm:w-auto">
                {t('cancelThis', { what })}
              </Button>
            </Form>
          )}
        </section>
      )}

      {status !== 'pending' && status !== 'approved' && (
        <p className="mt-8">
          <Link href={`/book/${request.profile.slug}`} className="inline-flex min-h-11 items-center rounded-md bg-brand-700 px-4 py-2 font-semibold text-white hover:bg-brand-800">
            {t('another')}
          </Link>
        </p>
      )}

      {card && <PracticeCard practice={card} />}
    </PublicShell>
  );
}

async function StatusExplanation({ request, deadline, now, address }: { request: RequestView; deadline: string; now: Date; address: string | null }) {
  const name = request.profile.name;
  const t = await getTranslations('status.explain');
  switch (request.status) {
    case 'pending':
      return (
        <div className="mt-3 space-y-2">
          <p className="font-semibold">{t('notYet')}</p>
          <p>{t.rich('willAnswer', { practice: name, deadline, strong: (chunks) => <strong>{chunks}</strong> })}</p>
          <p>
            {t('timeLeft')} <Countdown deadline={request.expiresAt.toISOString()} serverNow={now.toISOString()} passed={t('deadlinePassed')} />
          </p>
          <noscript>
            <p>{t('noscript')}</p>
          </noscript>
        </div>
      );
    case 'approved':
      return (
        <p className="mt-3">{t('approved', { practice: name, address: address ?? 'none' })}</p>
      );
    case 'rejected':
      return (
        <div className="mt-3 space-y-2">
          <p>{t('rejected', { practice: name })}</p>
          {request.reason && (
            <div>
              <p className="font-semibold">{t('reason')}</p>
              <blockquote className="mt-1 border-l-4 border-red-400 pl-3 whitespace-pre-line">{request.reason}</blockquote>
            </div>
          )}
        </div>
      );
    case 'expired':
      return <p className="mt-3">{t('expired')}</p>;
    case 'cancelled': {
      const byPractice = request.reason && request.reason !== 'Cancelled by the patient.';
      return (
        <div className="mt-3 space-y-2">
          <p>{byPractice ? t('cancelledByPractice', { practice: name }) : t('cancelled')}</p>
          {byPractice && <p>{t('cancelReason', { reason: request.reason! })}</p>}
        </div>
      );
    }
  }
}

/** The practice's card; null when the practice no longer takes requests online. */
async function loadCard(slug: string): Promise<Card | null> {
  try {
    return await getPracticeCard(slug);
  } catch (err) {
    if (isDomainError(err) && err.code === 'not_found') return null;
    throw err;
  }
}

/** The confirmed appointment into the patient's own calendar: a file, or a prefilled event page. */
function AddToCalendar({ token, request, card, heading, download, locale }: { token: string; request: RequestView; card: Card | null; heading: string; download: string; locale: Locale }) {
  const entry = calendarEntry(locale, {
    serviceName: request.service.name,
    practiceName: request.profile.name,
    timeZone: request.profile.timeZone,
    address: card?.address ?? null,
    phone: card?.phone ?? null,
    startsAt: request.startsAt,
    endsAt: request.endsAt,
  });
  const link = 'inline-flex min-h-11 items-center justify-center rounded-md border border-slate-300 bg-white px-4 py-2 font-semibold text-brand-800 hover:bg-slate-100';
  return (
    <section aria-labelledby="calendar-heading" className="mt-8">
      <h2 id="calendar-heading" className="text-xl font-semibold">
        {heading}
      </h2>
      <ul className="mt-3 flex flex-col gap-2 sm:flex-row sm:flex-wrap">
        <li>
          <a href={`/requests/${token}/calendar`} download="appointment.ics" className={link}>
            {download}
          </a>
        </li>
        <li>
          <a href={googleCalendarHref(entry)} rel="noopener noreferrer" className={link}>
            Google Calendar
          </a>
        </li>
        <li>
          <a href={outlookCalendarHref(entry)} rel="noopener noreferrer" className={link}>
            Outlook.com
          </a>
        </li>
      </ul>
    </section>
  );
}

function Row({ term, children }: { term: string; children: React.ReactNode }) {
  return (
    <div className="grid gap-1 px-4 py-3 sm:grid-cols-3">
      <dt className="text-sm font-medium text-slate-700">{term}</dt>
      <dd className="sm:col-span-2">{children}</dd>
    </div>
  );
}

function serverNow(): Date {
  return new Date();
}
