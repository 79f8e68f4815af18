import type { Metadata } from 'next';
import { cookies } from 'next/headers';
import Link from 'next/link';
import { PublicShell } from '@/components/booking/public-shell';
import { TimesIn } from '@/components/booking/zone-name';
import { MyRequestList } from '@/components/patient-links/my-requests';
import { Button } from '@/components/ui/button';
import { formatTime } from '@/lib/format';
import { listMyRequests, PATIENT_SESSION_COOKIE, patientSession } from '@/lib/patient-links';
import { signOutPatientAction } from './actions';

export const dynamic = 'force-dynamic';

export const metadata: Metadata = { title: 'Your appointments', robots: { index: false, follow: false } };

/** Issue 15: the requests of the contact a "lost your link" message was sent to, at that practice only. */
export default async function MyAppointmentsPage() {
  const token = (await cookies()).get(PATIENT_SESSION_COOKIE)?.value;
  const session = await patientSession(token);
  if (!session) {
    return (
      <PublicShell>
        <h1 className="text-3xl font-bold tracking-tight">Your appointments</h1>
        <p role="status" className="mt-4 rounded-md border border-amber-300 bg-amber-50 p-3 text-amber-950" data-testid="no-session">
          To see your appointments, ask for a link on the practice&apos;s booking page (&ldquo;Lost your link?&rdquo;) and open it in this browser. The list stays
          open for an hour.
        </p>
      </PublicShell>
    );
  }
  const requests = await listMyRequests(token);
  return (
    <PublicShell>
      <h1 className="text-3xl font-bold tracking-tight">Your appointments</h1>
      <p className="mt-2 text-slate-700">
        With {session.practiceName}, for {session.contact}. Open until {formatTime(session.expiresAt, session.timeZone)}.
      </p>
      <TimesIn timeZone={session.timeZone} className="mt-1 block text-sm text-slate-700" />
      <div className="mt-6">
        <MyRequestList requests={requests} timeZone={session.timeZone} />
      </div>
      <div className="mt-8 flex flex-col gap-3 sm:flex-row sm:items-center">
        <Link href={`/book/${encodeURIComponent(session.slug)}`} className="inline-flex min-h-11 items-center justify-center rounded-md bg-brand-700 px-4 py-2 font-semibold text-white hover:bg-brand-800">
          Request another time
        </Link>
        <form action={signOutPatientAction}>
          <Button type="submit" variant="secondary" className="min-h-11 w-full sm:w-auto">
            Close this list
          </Button>
        </form>
      </div>
    </PublicShell>
  );
}
