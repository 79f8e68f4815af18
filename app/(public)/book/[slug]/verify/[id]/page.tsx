import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { BookingSteps } from '@/components/booking/booking-steps';
import { formatLongDay } from '@/components/booking/calendar';
import { CodeStep } from '@/components/booking/code-step';
import { bookingHref } from '@/components/booking/hrefs';
import { PublicShell } from '@/components/booking/public-shell';
import type { AlternativeTime } from '@/components/booking/types';
import { TimesIn } from '@/components/booking/zone-name';
import { localDateOf } from '@/lib/availability/time';
import { getVerification, type VerificationView } from '@/lib/booking/verification';
import { isDomainError } from '@/lib/errors';
import { formatTime } from '@/lib/format';
import { isStillFree, nearestStarts } from '../../booking';

// The code's state changes with every try: always read it fresh.
export const dynamic = 'force-dynamic';

interface PageProps {
  params: Promise<{ slug: string; id: string }>;
}

async function load(params: PageProps['params']): Promise<VerificationView | null> {
  const { slug, id } = await params;
  try {
    const view = await getVerification(id);
    return view.slug === slug ? view : null;
  } catch (err) {
    if (isDomainError(err) && err.code === 'not_found') return null;
    throw err;
  }
}

export async function generateMetadata({ params }: PageProps): Promise<Metadata> {
  const view = await load(params);
  if (!view) return { title: 'Code not found', robots: { index: false } };
  return { title: `Enter your code · Book with ${view.practiceName}`, robots: { index: false } };
}

/**
 * The code step (API.md `POST /api/v1/verifications/{id}`): a 6-digit code went to the patient and
 * nothing is held yet. The id is unguessable and known only to the browser that sent the details.
 */
export default async function VerifyPage({ params }: PageProps) {
  const view = await load(params);
  if (!view) notFound();
  const now = new Date();
  const tz = view.timeZone;
  const day = localDateOf(view.startsAt, tz);
  const again = bookingHref(view.slug, { service: view.serviceId, day, time: view.startsAt.toISOString(), from: view.id }, 'details');
  const expired = view.status === 'expired' || (view.status === 'verified' && new Date(view.expiresAt) <= now);

  let body: React.ReactNode;
  if (view.status === 'used') {
    body = (
      <section aria-labelledby="state-heading" className="mt-8">
        <h2 id="state-heading" className="text-xl font-semibold">
          This code was already used
        </h2>
        <p className="mt-2 text-slate-700">
          Your request was sent with it. The link to follow it is on the page that opened then
          {view.channel === 'email' ? ' and in the e-mail the practice sends you' : ''}.
        </p>
        <p className="mt-6">
          <Link href={bookingHref(view.slug)} className="font-semibold text-brand-700 underline underline-offset-2">
            Book another time
          </Link>
        </p>
      </section>
    );
  } else if (expired) {
    body = (
      <section aria-labelledby="state-heading" className="mt-8">
        <h2 id="state-heading" className="text-xl font-semibold">
          This code has expired
        </h2>
        <p className="mt-2 text-slate-700">
          A code works for 10 minutes and for 5 tries. Nothing was booked and your time was not held. Send the request again to get a new code: what you
          typed is kept.
        </p>
        <p className="mt-6">
          <Link
            href={again}
            className="inline-flex min-h-11 items-center justify-center rounded-md bg-brand-700 px-4 py-2 font-semibold text-white hover:bg-brand-800"
          >
            Start again with what you typed
          </Link>
        </p>
      </section>
    );
  } else {
    // The time taken while the patient reads the code: offer the nearest ones straight away.
    const free = await isStillFree(view.slug, view.serviceId, view.startsAt, tz);
    const alternatives: AlternativeTime[] | undefined = free ? undefined : await nearestStarts(view.slug, view.serviceId, view.startsAt);
    body = (
      <>
        {!free && (
          <p role="status" className="mt-6 rounded-md border border-amber-300 bg-amber-50 p-3 text-amber-950">
            The time you chose was taken meanwhile. Choose one of the nearest free times below and confirm with your code.
          </p>
        )}
        <section aria-labelledby="code-heading" className="mt-8">
          <h2 id="code-heading" className="text-xl font-semibold">
            Enter the code
          </h2>
          <div className="mt-4">
            <CodeStep
              id={view.id}
              slug={view.slug}
              serviceId={view.serviceId}
              sentTo={view.sentTo}
              channel={view.channel}
              timeZone={tz}
              resendAt={view.resendAt.toISOString()}
              alternatives={alternatives}
            />
          </div>
        </section>
        <p className="mt-8">
          <Link href={again} className="rounded-md py-2 font-semibold text-brand-700 underline underline-offset-2">
            {view.channel === 'email' ? 'Use another e-mail' : 'Use another phone'}
          </Link>
          <span className="text-slate-700"> (what you typed is kept)</span>
        </p>
      </>
    );
  }

  return (
    <PublicShell>
      <p className="text-sm font-semibold uppercase tracking-wide text-brand-700">{view.practiceName}</p>
      <h1 className="mt-1 text-3xl font-bold tracking-tight">{expired || view.status === 'used' ? 'Your code' : 'Check your ' + (view.channel === 'email' ? 'e-mail' : 'WhatsApp')}</h1>
      {!expired && view.status !== 'used' && (
        <p className="mt-3 text-lg text-slate-900">
          We sent a 6-digit code to <span className="font-semibold">{view.sentTo}</span>
          {view.channel === 'whatsapp' ? ' on WhatsApp' : ''}. <strong>Your time is not held yet:</strong> it is held for you once you enter the code.
        </p>
      )}
      <BookingSteps current="code" />
      <section aria-labelledby="summary-heading" className="mt-6">
        <h2 id="summary-heading" className="sr-only">
          What you asked for
        </h2>
        <div className="rounded-lg border border-slate-300 bg-white p-4">
          <p className="font-semibold">{view.serviceName}</p>
          <p>
            <span className="block">{formatLongDay(day)}</span>
            <span className="block tabular-nums">{formatTime(view.startsAt, tz)}</span>
            <TimesIn timeZone={tz} className="block text-sm text-slate-700" />
          </p>
          {view.status !== 'used' && <p className="mt-2 text-sm font-semibold text-amber-900">Not held yet</p>}
        </div>
      </section>
      {body}
    </PublicShell>
  );
}
