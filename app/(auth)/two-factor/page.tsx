import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { signOutAction } from '@/app/(auth)/login/actions';
import { SecondFactorForm } from '@/components/auth/second-factor-form';
import { ClientMessages } from '@/components/i18n/client-messages';
import { safeNextPath } from '@/lib/auth/credentials';
import { currentSession } from '@/lib/auth/session';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('auth.twoFactor'))('title') };
}

export default async function SecondFactorPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const session = await currentSession();
  if (!session) redirect('/login');
  if (session.stage !== 'second_factor') redirect('/dashboard');
  const { next } = await searchParams;
  const t = await getTranslations('auth.twoFactor');
  return (
    <main className="mx-auto flex min-h-screen max-w-md flex-col justify-center px-6 py-16">
      <h1 className="text-3xl font-bold tracking-tight">{t('title')}</h1>
      <p className="mt-2 text-slate-700">{t('intro')}</p>
      <ClientMessages paths={['auth.twoFactor', 'auth.form']}>
        <SecondFactorForm next={safeNextPath(next)} />
      </ClientMessages>
      <form action={signOutAction} className="mt-6">
        <button type="submit" className="text-sm text-slate-700 underline">
          {t('cancel')}
        </button>
      </form>
    </main>
  );
}
