import type { Metadata } from 'next';
import { cookies } from 'next/headers';
import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { PublicShell } from '@/components/booking/public-shell';
import { TimesIn } from '@/components/booking/zone-name';
import { MyRequestList } from '@/components/patient-links/my-requests';
import { Button } from '@/components/ui/button';
import { formatTime, zoneName } from '@/lib/i18n/format';
import { pageLocale } from '@/lib/i18n/page-locale';
import { listMyRequests, PATIENT_SESSION_COOKIE, patientSession } from '@/lib/patient-links';
import { signOutPatientAction } from './actions';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('booking.my'))('title'), robots: { index: false, follow: false } };
}

/** Issue 15: the requests of the contact a "lost your link" message was sent to, at that practice only. */
export default async function MyAppointmentsPage() {
  const token = (await cookies()).get(PATIENT_SESSION_COOKIE)?.value;
  const [session, t, tZone, locale] = await Promise.all([patientSession(token), getTranslations('booking.my'), getTranslations('booking.zone'), pageLocale()]);
  if (!session) {
    return (
      <PublicShell>
        <h1 className="text-3xl font-bold tracking-tight">{t('title')}</h1>
        <p role="status" className="mt-4 rounded-md border border-amber-300 bg-amber-50 p-3 text-amber-950" data-testid="no-session">
          {t('noSession')}
        </p>
      </PublicShell>
    );
  }
  const requests = await listMyRequests(token);
  return (
    <PublicShell>
      <h1 className="text-3xl font-bold tracking-tight">{t('title')}</h1>
      <p className="mt-2 text-slate-700">{t('intro', { practice: session.practiceName, contact: session.contact, time: formatTime(locale, session.expiresAt, session.timeZone) })}</p>
      <TimesIn timeZone={session.timeZone} text={tZone('allTimes', { zone: zoneName(locale, session.timeZone) })} className="mt-1 block text-sm text-slate-700" />
      <div className="mt-6">
        <MyRequestList requests={requests} timeZone={session.timeZone} />
      </div>
      <div className="mt-8 flex flex-col gap-3 sm:flex-row sm:items-center">
        <Link href={`/book/${encodeURIComponent(session.slug)}`} className="inline-flex min-h-11 items-center justify-center rounded-md bg-brand-700 px-4 py-2 font-semibold text-white hover:bg-brand-800">
          {t('another')}
        </Link>
        <form action={signOutPatientAction}>
          <Button type="submit" variant="secondary" className="min-h-11 w-full sm:w-auto">
            {t('close')}
          </Button>
        </form>
      </div>
    </PublicShell>
  );
}
