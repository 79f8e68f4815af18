import type { Metadata } from 'next';
import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { redirect } from 'next/navigation';
import { LoginForm } from '@/components/auth/login-form';
import { ClientMessages } from '@/components/i18n/client-messages';
import { LocaleSwitcher } from '@/components/i18n/locale-switcher';
import { safeNextPath } from '@/lib/auth/credentials';
import { currentActor } from '@/lib/auth/session';
import { env } from '@/lib/env';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('auth.login'))('title') };
}

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  if (await currentActor()) redirect('/dashboard');
  const { callbackUrl } = await searchParams;
  const t = await getTranslations('auth.login');
  let next = '/dashboard';
  try {
    // Auth.js may hand back an absolute URL of this site: keep its path only, checked.
    next = safeNextPath(callbackUrl ? new URL(String(callbackUrl), 'http://x').pathname : '');
  } catch {
    // A malformed callback URL just lands on the dashboard.
  }
  return (
    <main className="mx-auto flex min-h-screen max-w-md flex-col justify-center px-6 py-16">
      <LocaleSwitcher className="mb-6 self-end" />
      <h1 className="text-3xl font-bold tracking-tight">{t('title')}</h1>
      <p className="mt-2 text-slate-700">{t('intro')}</p>
      <ClientMessages paths={['auth.login', 'auth.form']}>
        <LoginForm next={next} />
      </ClientMessages>
      <p className="mt-6 flex flex-wrap justify-between gap-3 text-sm">
        <Link href="/reset-password" className="font-semibold text-brand-700 hover:underline">
          {t('forgot')}
        </Link>
        {env().SIGNUP !== 'closed' && (
          <Link href="/signup" className="font-semibold text-brand-700 hover:underline">
            {t('signUp')}
          </Link>
        )}
      </p>
    </main>
  );
}
