import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { cache } from 'react';
import Form from 'next/form';
import { calendarEntry, googleCalendarHref, outlookCalendarHref } from '@/components/booking/calendar-links';
import { CancelConfirm } from '@/components/booking/cancel-request';
import { Button } from '@/components/ui/button';
import { Countdown } from '@/components/booking/countdown';
import { PracticeCard } from '@/components/booking/practice-card';
import { PublicShell } from '@/components/booking/public-shell';
import { StatusHeading } from '@/components/booking/status-heading';
import { StatusWatcher } from '@/components/booking/status-watcher';
import { TimesIn, zoneLabel } from '@/components/booking/zone-name';
import { getPracticeCard, type PracticeCard as Card } from '@/lib/availability/public-profile';
import { MoveStatus } from '@/components/requests/move-status';
import { OfferedTimes } from '@/components/requests/offered-times';
import { getRequestByToken, type RequestStatus, type RequestView } from '@/lib/booking/status';
import { offeredTimes } from '@/lib/proposals';
import { isDomainError } from '@/lib/errors';
import { formatDateTime, formatTime } from '@/lib/format';

// A request's state changes with every decision: never cache this page.
export const dynamic = 'force-dynamic';

export const metadata: Metadata = {
  title: 'Your appointment request',
  // The address holds the status token: keep it out of search engines and other sites' logs
  // ('same-origin', not 'no-referrer': a form post must still carry its Origin for the CSRF check).
  robots: { index: false, follow: false },
  referrer: 'same-origin',
};

interface PageProps {
  params: Promise<{ token: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

const STATUS: Record<RequestStatus, { title: string; tone: string }> = {
  pending: { title: 'Waiting for the practice to answer', tone: 'border-amber-400 bg-amber-50 text-amber-950' },
  approved: { title: 'Confirmed: this is now an appointment', tone: 'border-green-600 bg-green-50 text-green-950' },
  rejected: { title: 'Not accepted', tone: 'border-red-400 bg-red-50 text-red-950' },
  expired: { title: 'Expired without an answer', tone: 'border-slate-400 bg-slate-100 text-slate-900' },
  cancelled: { title: 'Cancelled', tone: 'border-slate-400 bg-slate-100 text-slate-900' },
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
  const request = await loadRequest(token);
  if (!request) notFound();
  const now = serverNow();
  const tz = request.profile.timeZone;
  const { status } = request;
  const justSent = sp.sent === '1' && status === 'pending';
  const cancellable = (status === 'pending' && request.expiresAt > now) || (status === 'approved' && request.startsAt > now);
  const what = status === 'pending' ? 'request' : 'appointment';
  const deadline = `${formatDateTime(request.expiresAt, tz, { weekday: 'long', day: 'numeric', month: 'long' })} (${zoneLabel(tz)})`;
  // Other times the practice offered instead (issue 16): the patient takes one here.
  const [offers, card] = await Promise.all([status === 'pending' ? offeredTimes(token, { now }) : [], loadCard(request.profile.slug)]);
  const upcoming = status === 'approved' && request.endsAt > now;

  return (
    <PublicShell>
      {/* While the practice has not answered, the page follows the answer without a reload. */}
      <StatusWatcher token={token} status={status} startsAt={request.startsAt.toISOString()} active={status === 'pending'} />
      <h1 className="text-3xl font-bold tracking-tight">Your appointment request</h1>
      <p className="mt-2 text-slate-700">With {request.profile.name}</p>

      {justSent && (
        <p role="status" className="mt-6 rounded-md border border-green-600 bg-green-50 p-3 text-green-950">
          Your request was sent. Keep this page&apos;s address (bookmark it): it is where you follow your request and can cancel it.
        </p>
      )}

      <section aria-labelledby="status-heading" className={`mt-6 rounded-lg border-2 p-4 ${STATUS[status].tone}`}>
        <p className="text-sm font-semibold uppercase tracking-wide">Status</p>
        <StatusHeading status={status} className="mt-1 text-2xl font-bold">
          <span id="status-heading">{offers.length ? 'Other times offered: your choice' : STATUS[status].title}</span>
        </StatusHeading>
        {offers.length ? (
          <p className="mt-3">{request.profile.name} offers other times: choose one below by {deadline}, or the request expires.</p>
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
            label: `${formatDateTime(o.startsAt, tz, { weekday: 'long', day: 'numeric', month: 'long' })}–${formatTime(o.endsAt, tz)} (${zoneLabel(tz)})`,
          }))}
        />
      )}

      <section aria-labelledby="summary-heading" className="mt-8">
        <h2 id="summary-heading" className="text-xl font-semibold">
          Details
        </h2>
        <dl className="mt-3 divide-y divide-slate-200 rounded-lg border border-slate-300 bg-white">
          <Row term="Practice">{request.profile.name}</Row>
          <Row term="Service">{request.service.name}</Row>
          <Row term={offers.length ? 'Time you asked for' : 'Time'}>
            <span className="block">
              {formatDateTime(request.startsAt, tz, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' })}–{formatTime(request.endsAt, tz)}
            </span>
            <TimesIn timeZone={tz} className="block text-sm text-slate-700" />
          </Row>
          <Row term="Request sent">{formatDateTime(request.createdAt, tz, { weekday: undefined, hour: undefined, minute: undefined, year: 'numeric', month: 'long' })}</Row>
        </dl>
      </section>

      {upcoming && <AddToCalendar token={token} request={request} card={card} />}

      {/* Issue 15: move to another time (or a move waiting for the practice). */}
      <MoveStatus token={token} justMoved={sp.moved === '1'} />

      {cancellable && (
        <section id="cancel" aria-labelledby="cancel-heading" className="mt-8 scroll-mt-4">
          <h2 id="cancel-heading" className="text-xl font-semibold">
            Can&apos;t make it?
          </h2>
          <p className="mt-1 mb-3 text-slate-700">
            {status === 'pending' ? 'Cancel the request and the time is free again for others.' : 'Please cancel as early as you can, so another patient can have the time.'}
          </p>
          {sp.cancel === '1' ? (
            <CancelConfirm token={token} what={what} />
          ) : (
            <Form action={`/requests/${token}`} scroll={false}>
              <input type="hidden" name="cancel" value="1" />
              <Button type="submit" variant="secondary" className="min-h-11 w-full sm:w-auto">
                Cancel this {what}
              </Button>
            </Form>
          )}
        </section>
      )}

      {status !== 'pending' && status !== 'approved' && (
        <p className="mt-8">
          <Link href={`/book/${request.profile.slug}`} className="inline-flex min-h-11 items-center rounded-md bg-brand-700 px-4 py-2 font-semibold text-white hover:bg-brand-800">
            Request another time
          </Link>
        </p>
      )}

      {card && <PracticeCard practice={card} />}
    </PublicShell>
  );
}

function StatusExplanation({ request, deadline, now, address }: { request: RequestView; deadline: string; now: Date; address: string | null }) {
  const name = request.profile.name;
  switch (request.status) {
    case 'pending':
      return (
        <div className="mt-3 space-y-2">
          <p className="font-semibold">This is a request, not yet an appointment.</p>
          <p>
            {name} will answer by <strong>{deadline}</strong>. Until then the time is held for you. If there is no answer by then, the request expires
            and the time is freed.
          </p>
          <p>
            Time left for an answer: <Countdown deadline={request.expiresAt.toISOString()} serverNow={now.toISOString()} />
          </p>
          <noscript>
            <p>This page shows the answer when you open it again or reload it.</p>
          </noscript>
        </div>
      );
    case 'approved':
      return (
        <p className="mt-3">
          {name} approved your request. Please arrive a few minutes early{address ? `, at ${address}` : ''}. You will get a reminder before the
          appointment.
        </p>
      );
    case 'rejected':
      return (
        <div className="mt-3 space-y-2">
          <p>{name} could not accept this request, so there is no appointment. You can request another time.</p>
          {request.reason && (
            <div>
              <p className="font-semibold">The practice&apos;s reason:</p>
              <blockquote className="mt-1 border-l-4 border-red-400 pl-3 whitespace-pre-line">{request.reason}</blockquote>
            </div>
          )}
        </div>
      );
    case 'expired':
      return <p className="mt-3">The practice did not answer before the deadline, so the request lapsed and the time is free again. You can request another time.</p>;
    case 'cancelled': {
      const byPractice = request.reason && request.reason !== 'Cancelled by the patient.';
      return (
        <div className="mt-3 space-y-2">
          <p>{byPractice ? `${name} cancelled this appointment.` : 'This was cancelled, so there is no appointment.'} The time is free again for other patients.</p>
          {byPractice && <p>Reason: {request.reason}</p>}
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
function AddToCalendar({ token, request, card }: { token: string; request: RequestView; card: Card | null }) {
  const entry = calendarEntry({
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
        Add to your calendar
      </h2>
      <ul className="mt-3 flex flex-col gap-2 sm:flex-row sm:flex-wrap">
        <li>
          <a href={`/requests/${token}/calendar`} download="appointment.ics" className={link}>
            Download for any calendar (.ics)
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
