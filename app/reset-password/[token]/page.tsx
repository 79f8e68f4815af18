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
        done={{ href: '/login', label: 'Sign in' }}
      />
    </AccountShell>
  );
}
