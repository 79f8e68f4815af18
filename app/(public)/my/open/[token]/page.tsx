import type { Metadata } from 'next';
import { PublicShell } from '@/components/booking/public-shell';
import { OpenLinkForm } from '@/components/patient-links/open-link-form';
import { LINK_TTL_MINUTES, peekPatientLink, SESSION_MINUTES } from '@/lib/patient-links';

export const dynamic = 'force-dynamic';

export const metadata: Metadata = { title: 'Your appointments', robots: { index: false, follow: false }, referrer: 'no-referrer' };

/** The landing page of a "lost your link" message: one button spends the link and shows the list. */
export default async function OpenLinkPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const link = await peekPatientLink(token);
  return (
    <PublicShell>
      <h1 className="text-3xl font-bold tracking-tight">Your appointments</h1>
      {link ? (
        <>
          <p className="mt-2 text-slate-700">
            See your requests and appointments with {link.practiceName}. This link works once; the list stays open for {SESSION_MINUTES} minutes in this browser.
          </p>
          <div className="mt-6">
            <OpenLinkForm token={token} />
          </div>
        </>
      ) : (
        <p role="status" className="mt-4 rounded-md border border-amber-300 bg-amber-50 p-3 text-amber-950" data-testid="link-used">
          This link has already been used or has expired (links work once, within {LINK_TTL_MINUTES} minutes). Ask for a new one on the practice&apos;s booking
          page: &ldquo;Lost your link?&rdquo;.
        </p>
      )}
    </PublicShell>
  );
}
