import type { Metadata } from 'next';
import Link from 'next/link';
import { DisableTwoFactorForm } from '@/components/account/disable-two-factor-form';
import { SessionList } from '@/components/account/session-list';
import { mySessions } from '@/lib/auth/account';
import { currentPractice, currentSession, requireActor } from '@/lib/auth/session';
import { twoFactorStatus } from '@/lib/auth/two-factor';
import { formatDateTime } from '@/lib/format';

export const metadata: Metadata = { title: 'Your account' };

export default async function AccountPage() {
  const actor = await requireActor();
  const session = (await currentSession())!;
  const practice = await currentPractice(actor);
  const timeZone = practice?.timeZone ?? 'UTC';
  const [sessions, twoFactor] = await Promise.all([mySessions(session), twoFactorStatus(session)]);
  return (
    <div className="max-w-3xl space-y-8">
      <div>
        <h1 className="text-2xl font-bold">Your account</h1>
        <p className="text-slate-700">
          {actor.name ? `${actor.name}, ` : ''}
          {actor.email}
        </p>
      </div>

      <section aria-labelledby="password-heading" className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="password-heading" className="text-lg font-semibold">
          Password
        </h2>
        <p className="mt-1 text-sm text-slate-700">Changing it signs you out on every other device.</p>
        <Link href="/dashboard/account/password" className="mt-3 inline-block rounded border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100">
          Change password
        </Link>
      </section>

      <section aria-labelledby="two-factor-heading" className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="two-factor-heading" className="text-lg font-semibold">
          Two-factor sign-in
        </h2>
        {twoFactor.enabled ? (
          <>
            <p className="mt-1 text-sm text-slate-700" data-testid="two-factor-status">
              On. Signing in asks for a code from your authenticator app. {twoFactor.recoveryCodesLeft} of 10 recovery codes left.
            </p>
            {twoFactor.requiredBy.length ? (
              <p className="mt-2 text-sm text-slate-700">{twoFactor.requiredBy.join(', ')} requires it, so it stays on.</p>
            ) : (
              <DisableTwoFactorForm />
            )}
          </>
        ) : (
          <>
            <p className="mt-1 text-sm text-slate-700" data-testid="two-factor-status">
              Off. With it on, a stolen password is not enough to read your patients&apos; notes.
            </p>
            <Link href="/two-factor/setup" className="mt-3 inline-block rounded bg-brand-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-800">
              Turn on two-factor sign-in
            </Link>
          </>
        )}
      </section>

      <section aria-labelledby="sessions-heading" className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="sessions-heading" className="text-lg font-semibold">
          Sessions
        </h2>
        <p className="mt-1 text-sm text-slate-700">
          Where you are signed in. A session ends when you sign out, after {session.idleTimeoutMinutes} minutes without activity, or 12 hours
          after signing in. Times in {timeZone}.
        </p>
        <SessionList
          sessions={sessions.map((s) => ({
            id: s.id,
            current: s.current,
            device: s.device,
            address: s.address ?? 'unknown',
            signedIn: formatDateTime(s.createdAt, timeZone),
            lastActive: formatDateTime(s.lastSeenAt, timeZone),
          }))}
        />
      </section>
    </div>
  );
}
