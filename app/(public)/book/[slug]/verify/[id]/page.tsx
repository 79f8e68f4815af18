import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { BookingSteps } from '@/components/booking/booking-steps';
import { CodeStep } from '@/components/booking/code-step';
import { bookingHref } from '@/components/booking/hrefs';
import { PublicShell } from '@/components/booking/public-shell';
import type { AlternativeTime } from '@/components/booking/types';
import { TimesIn } from '@/components/booking/zone-name';
import { localDateOf } from '@/lib/availability/time';
import { getVerification, type VerificationView } from '@/lib/booking/verification';
import { isDomainError } from '@/lib/errors';
import { formatLocalDate, formatTime, zoneName } from '@/lib/i18n/format';
import { pageLocale } from '@/lib/i18n/page-locale';
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
  const [view, t] = await Promise.all([load(params), getTranslations('booking.verify')]);
  if (!view) return { title: t('notFound'), robots: { index: false } };
  return { title: t('metaTitle', { practice: view.practiceName }), robots: { index: false } };
}

/**
 * The code step (API.md `POST /api/v1/verifications/{id}`): a 6-digit code went to the patient and
 * nothing is held yet. The id is unguessable and known only to the browser that sent the details.
 */
export default async function VerifyPage({ params }: PageProps) {
  const [view, t, tCode, tZone, locale] = await Promise.all([load(params), getTranslations('booking.verify'), getTranslations('booking.code'), getTranslations('booking.zone'), pageLocale()]);
  if (!view) notFound();
  const now = new Date();
  const times = tZone('allTimes', { zone: zoneName(locale, view.timeZone) });
  const tz = view.timeZone;
  const day = localDateOf(view.startsAt, tz);
  const again = bookingHref(view.slug, { service: view.serviceId, day, time: view.startsAt.toISOString(), from: view.id }, 'details');
  const expired = view.status === 'expired' || (view.status === 'verified' && new Date(view.expiresAt) <= now);

  let body: React.ReactNode;
  if (view.status === 'used') {
    body = (
      <section aria-labelledby="state-heading" className="mt-8">
        <h2 id="state-heading" className="text-xl font-semibold">
          {t('usedHeading')}
        </h2>
        <p className="mt-2 text-slate-700">{t('usedText', { by: view.channel })}</p>
        <p className="mt-6">
          <Link href={bookingHref(view.slug)} className="font-semibold text-brand-700 underline underline-offset-2">
            {t('bookAnother')}
          </Link>
        </p>
      </section>
    );
  } else if (expired) {
    body = (
      <section aria-labelledby="state-heading" className="mt-8">
        <h2 id="state-heading" className="text-xl font-semibold">
          {t('expiredHeading')}
        </h2>
        <p className="mt-2 text-slate-700">{t('expiredText')}</p>
        <p className="mt-6">
          <Link
            href={again}
            className="inline-flex min-h-11 items-center justify-center rounded-md bg-brand-700 px-4 py-2 font-semibold text-white hover:bg-brand-800"
          >
            {t('startAgain')}
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
            {t('takenMeanwhile')}
          </p>
        )}
        <section aria-labelledby="code-heading" className="mt-8">
          <h2 id="code-heading" className="text-xl font-semibold">
            {t('enterCode')}
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
              words={{
                nearest: tCode('nearest'),
                noneNear: tCode('noneNear'),
                otherDay: tCode('otherDay'),
                label: tCode('label'),
                hint: tCode('hint', { by: view.channel, to: view.sentTo }),
                checking: tCode('checking'),
                confirm: tCode('confirm'),
                noCode: tCode('noCode'),
                spam: view.channel === 'email' ? tCode('spam') : '',
                from: tCode('from', { time: '{time}', zone: zoneName(locale, tz) }),
                in: tCode('in', { seconds: '{seconds}' }),
                now: tCode('now'),
                sending: tCode('sending'),
                resend: tCode('resend'),
                times,
              }}
            />
          </div>
        </section>
        <p className="mt-8">
          <Link href={again} className="rounded-md py-2 font-semibold text-brand-700 underline underline-offset-2">
            {t('useOther', { by: view.channel })}
          </Link>
          <span className="text-slate-700">{t('typedKept')}</span>
        </p>
      </>
    );
  }

  return (
    <PublicShell>
      <p className="text-sm font-semibold uppercase tracking-wide text-brand-700">{view.practiceName}</p>
      <h1 className="mt-1 text-3xl font-bold tracking-tight">{expired || view.status === 'used' ? t('yourCode') : t('check', { by: view.channel })}</h1>
      {!expired && view.status !== 'used' && (
        <p className="mt-3 text-lg text-slate-900">
          {t.rich('sentTo', {
            to: view.sentTo,
            by: view.channel,
            b: (chunks) => <span className="font-semibold">{chunks}</span>,
            strong: (chunks) => <strong>{chunks}</strong>,
          })}
        </p>
      )}
      <BookingSteps current="code" />
      <section aria-labelledby="summary-heading" className="mt-6">
        <h2 id="summary-heading" className="sr-only">
          {t('summary')}
        </h2>
        <div className="rounded-lg border border-slate-300 bg-white p-4">
          <p className="font-semibold">{view.serviceName}</p>
          <p>
            <span className="block">{formatLocalDate(locale, day, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' })}</span>
            <span className="block tabular-nums">{formatTime(locale, view.startsAt, tz)}</span>
            <TimesIn timeZone={tz} text={times} className="block text-sm text-slate-700" />
          </p>
          {view.status !== 'used' && <p className="mt-2 text-sm font-semibold text-amber-900">{t('notHeld')}</p>}
        </div>
      </section>
      {body}
    </PublicShell>
  );
}
