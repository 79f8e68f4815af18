import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { LoginForm } from '@/components/auth/login-form';
import { safeNextPath } from '@/lib/auth/credentials';
import { currentActor } from '@/lib/auth/session';
import { env } from '@/lib/env';

export const metadata: Metadata = { title: 'Sign in' };

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  if (await currentActor()) redirect('/dashboard');
  const { callbackUrl } = await searchParams;
  let next = '/dashboard';
  try {
    // Auth.js may hand back an absolute URL of this site: keep its path only, checked.
    next = safeNextPath(callbackUrl ? new URL(String(callbackUrl), 'http://x').pathname : '');
  } catch {
    // A malformed callback URL just lands on the dashboard.
  }
  return (
    <main className="mx-auto flex min-h-screen max-w-md flex-col justify-center px-6 py-16">
      <h1 className="text-3xl font-bold tracking-tight">Sign in</h1>
      <p className="mt-2 text-slate-700">For doctors and practice staff. Patients don&apos;t need an account.</p>
      <LoginForm next={next} />
      <p className="mt-6 flex flex-wrap justify-between gap-3 text-sm">
        <Link href="/reset-password" className="font-semibold text-brand-700 hover:underline">
          Forgot your password?
        </Link>
        {env().SIGNUP !== 'closed' && (
          <Link href="/signup" className="font-semibold text-brand-700 hover:underline">
            New practice? Sign up
          </Link>
        )}
      </p>
    </main>
  );
}
