import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { PublicShell } from '@/components/booking/public-shell';
import { OpenLinkForm } from '@/components/patient-links/open-link-form';
import { LINK_TTL_MINUTES, peekPatientLink, SESSION_MINUTES } from '@/lib/patient-links';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('booking.my'))('title'), robots: { index: false, follow: false }, referrer: 'no-referrer' };
}

/** The landing page of a "lost your link" message: one button spends the link and shows the list. */
export default async function OpenLinkPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const [link, t] = await Promise.all([peekPatientLink(token), getTranslations('booking.my')]);
  return (
    <PublicShell>
      <h1 className="text-3xl font-bold tracking-tight">{t('title')}</h1>
      {link ? (
        <>
          <p className="mt-2 text-slate-700">{t('openIntro', { practice: link.practiceName, minutes: SESSION_MINUTES })}</p>
          <div className="mt-6">
            <OpenLinkForm token={token} words={{ opening: t('opening'), show: t('show') }} />
          </div>
        </>
      ) : (
        <p role="status" className="mt-4 rounded-md border border-amber-300 bg-amber-50 p-3 text-amber-950" data-testid="link-used">
          {t('used', { minutes: LINK_TTL_MINUTES })}
        </p>
      )}
    </PublicShell>
  );
}
