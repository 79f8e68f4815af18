import type { Metadata } from 'next';
import Link from 'next/link';
import { SimpleForm } from '@/components/signup/simple-form';
import { requireActor } from '@/lib/auth/session';
import { changePasswordAction } from './actions';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Change your password' };

export default async function ChangePasswordPage() {
  const actor = await requireActor();
  return (
    <div className="max-w-lg space-y-4">
      <p className="text-sm">
        <Link href="/dashboard/account" className="text-brand-700 hover:underline">
          Your account
        </Link>
      </p>
      <h1 className="text-2xl font-bold">Change your password</h1>
      <p className="text-slate-700">For {actor.email}. Every other session of your account is signed out when you save.</p>
      <SimpleForm
        action={changePasswordAction}
        className="space-y-4 rounded-lg border border-slate-200 bg-white p-4"
        fields={[
          { label: 'Current password', name: 'currentPassword', type: 'password', autoComplete: 'current-password', required: true },
          { label: 'New password', name: 'newPassword', type: 'password', autoComplete: 'new-password', hint: 'At least 10 characters.', required: true },
        ]}
        submit="Change password"
      />
    </div>
  );
}
