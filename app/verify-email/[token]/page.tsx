import type { Metadata } from 'next';
import Link from 'next/link';
import { AccountShell } from '@/components/signup/account-shell';
import { SimpleForm } from '@/components/signup/simple-form';
import { resendVerificationAction } from '@/app/signup/actions';
import { verificationLinkUsable } from '@/lib/accounts';
import { verifyEmailAction } from '../actions';

export const dynamic = 'force-dynamic';
// The token is in the path: never sent on as a referrer.
export const metadata: Metadata = { title: 'Confirm your e-mail', referrer: 'no-referrer', robots: { index: false } };

export default async function VerifyEmailPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const usable = await verificationLinkUsable(token);
  if (!usable) {
    return (
      <AccountShell title="This link does not work any more" intro="It has expired or was already used. If your e-mail still needs confirming, ask for a new link.">
        <SimpleForm action={resendVerificationAction} fields={[{ label: 'E-mail', name: 'email', type: 'email', autoComplete: 'email', required: true }]} submit="Send a new link" />
        <p className="mt-6 text-sm">
          <Link href="/login" className="text-brand-700 underline">
            Sign in
          </Link>
        </p>
      </AccountShell>
    );
  }
  return (
    <AccountShell title="Confirm your e-mail" intro="One click and your practice goes online.">
      <SimpleForm
        action={verifyEmailAction}
        hidden={{ token }}
        submit="Confirm my e-mail"
        done={{ href: '/login', label: 'Sign in' }}
      />
    </AccountShell>
  );
}
