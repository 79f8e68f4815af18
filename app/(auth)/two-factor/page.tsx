import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { signOutAction } from '@/app/(auth)/login/actions';
import { SecondFactorForm } from '@/components/auth/second-factor-form';
import { safeNextPath } from '@/lib/auth/credentials';
import { currentSession } from '@/lib/auth/session';

export const metadata: Metadata = { title: 'Two-factor sign-in' };

export default async function SecondFactorPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const session = await currentSession();
  if (!session) redirect('/login');
  if (session.stage !== 'second_factor') redirect('/dashboard');
  const { next } = await searchParams;
  return (
    <main className="mx-auto flex min-h-screen max-w-md flex-col justify-center px-6 py-16">
      <h1 className="text-3xl font-bold tracking-tight">Two-factor sign-in</h1>
      <p className="mt-2 text-slate-700">Enter the 6-digit code your authenticator app shows for Consulta, or one of your recovery codes.</p>
      <SecondFactorForm next={safeNextPath(next)} />
      <form action={signOutAction} className="mt-6">
        <button type="submit" className="text-sm text-slate-700 underline">
          Cancel and sign out
        </button>
      </form>
    </main>
  );
}
