import type { Metadata } from 'next';
import Link from 'next/link';
import { AccountShell } from '@/components/signup/account-shell';
import { SimpleForm } from '@/components/signup/simple-form';
import { requestResetAction } from './actions';

export const metadata: Metadata = { title: 'Forgot your password' };

export default function ForgotPasswordPage() {
  return (
    <AccountShell title="Forgot your password?" intro="Enter the e-mail you sign in with; we send it a link to choose a new password.">
      <SimpleForm
        action={requestResetAction}
        fields={[{ label: 'E-mail', name: 'email', type: 'email', autoComplete: 'email', required: true }]}
        submit="Send the link"
        done={{}}
      />
      <p className="mt-6 text-sm">
        <Link href="/login" className="text-brand-700 underline">
          Back to sign in
        </Link>
      </p>
    </AccountShell>
  );
}
