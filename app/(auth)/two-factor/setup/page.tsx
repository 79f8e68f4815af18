import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { signOutAction } from '@/app/(auth)/login/actions';
import { EnrolmentForm } from '@/components/auth/enrolment-form';
import { currentSession } from '@/lib/auth/session';
import { beginEnrolment, twoFactorStatus } from '@/lib/auth/two-factor';

export const metadata: Metadata = { title: 'Turn on two-factor sign-in' };

export default async function EnrolmentPage() {
  const session = await currentSession();
  if (!session) redirect('/login');
  if (session.stage === 'second_factor') redirect('/two-factor');
  const status = await twoFactorStatus(session);
  if (status.enabled) redirect('/dashboard/account');
  const enrolment = await beginEnrolment(session);
  return (
    <main className="mx-auto max-w-xl px-6 py-12">
      <h1 className="text-3xl font-bold tracking-tight">Turn on two-factor sign-in</h1>
      {session.stage === 'enrol' && (
        <p role="status" className="mt-4 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950">
          {status.requiredBy.join(', ')} requires two-factor sign-in for every member. Turn it on to continue.
        </p>
      )}
      <ol className="mt-6 list-decimal space-y-4 pl-5 text-slate-800">
        <li>
          Scan this QR code with an authenticator app (such as Google Authenticator, Microsoft Authenticator or 1Password).
          {/* eslint-disable-next-line @next/next/no-img-element -- a data: URL made on the server */}
          <img src={enrolment.qrDataUrl} alt="QR code for your authenticator app" width={220} height={220} className="mt-3 rounded border border-slate-200" />
        </li>
        <li>
          Or type this key into the app:{' '}
          <code data-testid="totp-secret" className="break-all rounded bg-slate-100 px-1.5 py-0.5 font-mono text-sm">
            {enrolment.secret}
          </code>
        </li>
        <li>Enter the 6-digit code the app shows.</li>
      </ol>
      <EnrolmentForm />
      <form action={signOutAction} className="mt-8">
        <button type="submit" className="text-sm text-slate-700 underline">
          Sign out
        </button>
      </form>
    </main>
  );
}
