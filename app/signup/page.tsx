import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { AccountShell } from '@/components/signup/account-shell';
import { SignUpForm } from '@/components/signup/signup-form';
import { signUpOpen } from '@/lib/accounts';
import { checkSlugAction, signUpAction } from './actions';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Create your practice' };

export default function SignUpPage() {
  // SIGNUP=closed: the operator onboards practices by hand (npm run practice:create).
  if (!signUpOpen()) notFound();
  return (
    <AccountShell
      title="Create your practice"
      intro={
        <>
          Patients request appointments on your booking page; you confirm each one. Already have an account?{' '}
          <Link href="/login" className="text-brand-700 underline">
            Sign in
          </Link>
          .
        </>
      }
    >
      <SignUpForm action={signUpAction} checkSlug={checkSlugAction} zones={Intl.supportedValuesOf('timeZone')} />
    </AccountShell>
  );
}
