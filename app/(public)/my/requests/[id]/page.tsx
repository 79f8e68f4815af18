import type { Metadata } from 'next';
import { cookies } from 'next/headers';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { PracticeCard } from '@/components/booking/practice-card';
import { PublicShell } from '@/components/booking/public-shell';
import { StatusHeading } from '@/components/booking/status-heading';
import { TimesIn } from '@/components/booking/zone-name';
import { PATIENT_STATUS } from '@/components/patient-links/my-requests';
import { getPracticeCard } from '@/lib/availability/public-profile';
import { isDomainError } from '@/lib/errors';
import { formatDateTime, formatTime, zoneName } from '@/lib/i18n/format';
import { pageLocale } from '@/lib/i18n/page-locale';
import { getMyRequest, PATIENT_SESSION_COOKIE } from '@/lib/patient-links';
import type { RequestView } from '@/lib/booking/status';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('status.page'))('title'), robots: { index: false, follow: false } };
}

/** One of the session's requests, read like its status page (its status token is stored hashed, so the session authorizes it). */
export default async function MyRequestPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  let request: RequestView;
  try {
    request = await getMyRequest((await cookies()).get(PATIENT_SESSION_COOKIE)?.value, { requestId: id });
  } catch (err) {
    if (isDomainError(err) && (err.code === 'not_found' || err.code === 'unauthorized')) notFound();
    throw err;
  }
  const [t, tPage, tState, tExplain, tZone, locale] = await Promise.all([
    getTranslations('status.myRequest'),
    getTranslations('status.page'),
    getTranslations('status.state'),
    getTranslations('status.explain'),
    getTranslations('booking.zone'),
    pageLocale(),
  ]);
  const tz = request.profile.timeZone;
  const status = PATIENT_STATUS[request.status];
  // English keeps the /my list's own labels; other languages read the status page's (status.state).
  const label = locale === 'en' ? status.label : tState(request.status);
  return (
    <PublicShell>
      <h1 className="text-3xl font-bold tracking-tight">{tPage('title')}</h1>
      <p className="mt-2 text-slate-700">{tPage('with', { practice: request.profile.name })}</p>
      <section aria-labelledby="status-heading" className={`mt-6 rounded-lg border-2 p-4 ${status.tone}`}>
        <p className="text-sm font-semibold uppercase tracking-wide">{tPage('status')}</p>
        <StatusHeading status={request.status} className="mt-1 text-2xl font-bold">
          <span id="status-heading">{label}</span>
        </StatusHeading>
        {request.status === 'pending' && <p className="mt-3">{t('willAnswer', { deadline: formatDateTime(locale, request.expiresAt, tz) })}</p>}
        {request.reason && <p className="mt-3 whitespace-pre-line">{tExplain('cancelReason', { reason: request.reason })}</p>}
      </section>
      <section aria-labelledby="summary-heading" className="mt-8">
        <h2 id="summary-heading" className="text-xl font-semibold">
          {tPage('details')}
        </h2>
        <dl className="mt-3 divide-y divide-slate-200 rounded-lg border border-slate-300 bg-white">
          <div className="grid gap-1 px-4 py-3 sm:grid-cols-3">
            <dt className="text-sm font-medium text-slate-700">{tPage('service')}</dt>
            <dd className="sm:col-span-2">{request.service.name}</dd>
          </div>
          <div className="grid gap-1 px-4 py-3 sm:grid-cols-3">
            <dt className="text-sm font-medium text-slate-700">{tPage('time')}</dt>
            <dd className="sm:col-span-2">
              <span className="block">
                {formatDateTime(locale, request.startsAt, tz, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' })}–{formatTime(locale, request.endsAt, tz)}
              </span>
              <TimesIn timeZone={tz} text={tZone('allTimes', { zone: zoneName(locale, tz) })} className="block text-sm text-slate-700" />
            </dd>
          </div>
          <div className="grid gap-1 px-4 py-3 sm:grid-cols-3">
            <dt className="text-sm font-medium text-slate-700">{tPage('sent')}</dt>
            <dd className="sm:col-span-2">{formatDateTime(locale, request.createdAt, tz, { weekday: undefined, hour: undefined, minute: undefined, year: 'numeric', month: 'long' })}</dd>
          </div>
        </dl>
      </section>
      <p className="mt-6 text-slate-700">{t('howToChange')}</p>
      <PracticeCard practice={await getPracticeCard(request.profile.slug)} />
      <p className="mt-6">
        <Link href="/my" className="font-semibold text-brand-700 underline underline-offset-2">
          {t('back')}
        </Link>
      </p>
    </PublicShell>
  );
}
