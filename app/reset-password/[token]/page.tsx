import type { Metadata } from 'next';
import Link from 'next/link';
import { AccountShell } from '@/components/signup/account-shell';
import { SimpleForm } from '@/components/signup/simple-form';
import { resetLinkUsable } from '@/lib/accounts';
import { resetPasswordAction } from '../actions';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Choose a new password', referrer: 'no-referrer', robots: { index: false } };

export default async function ResetPasswordPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  if (!(await resetLinkUsable(token))) {
    return (
      <AccountShell title="This link does not work any more" intro="A reset link works once, for 1 hour.">
        <Link href="/reset-password" className="text-brand-700 underline">
          Ask for a new link
        </Link>
      </AccountShell>
    );
  }
  return (
    <AccountShell title="Choose a new password" intro="Every session of your account is signed out when you save it.">
      <SimpleForm
        action={resetPasswordAction}
        hidden={{ token }}
        fields={[{ label: 'New password', name: 'password', type: 'password', autoComplete: 'new-password', hint: 'At least 10 characters.', required: true }]}
        submit="Save the new password"
        done={(message) => (
          <div role="status" className="space-y-4 rounded-lg border border-green-300 bg-green-50 p-4 text-green-950">
            <p>{message}</p>
            <Link href="/login" className="inline-block rounded-md bg-brand-700 px-4 py-2 font-semibold text-white hover:bg-brand-800">
              Sign in
            </Link>
          </div>
        )}
      />
    </AccountShell>
  );
}
