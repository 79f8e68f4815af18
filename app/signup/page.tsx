import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { ClientMessages } from '@/components/i18n/client-messages';
import { LocaleSwitcher } from '@/components/i18n/locale-switcher';
import { AccountShell } from '@/components/signup/account-shell';
import { SignUpForm } from '@/components/signup/signup-form';
import { signUpOpen } from '@/lib/accounts';
import { checkSlugAction, signUpAction } from './actions';

export const dynamic = 'force-dynamic';
export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('auth.signup'))('title') };
}

export default async function SignUpPage() {
  // SIGNUP=closed: the operator onboards practices by hand (npm run practice:create).
  if (!signUpOpen()) notFound();
  const t = await getTranslations('auth.signup');
  return (
    <AccountShell
      title={t('title')}
      switcher={<LocaleSwitcher />}
      intro={t.rich('intro', {
        link: (chunks) => (
          <Link href="/login" className="text-brand-700 underline">
            {chunks}
          </Link>
        ),
      })}
    >
      <ClientMessages paths={['auth.signup', 'auth.form']}>
        <SignUpForm action={signUpAction} checkSlug={checkSlugAction} zones={Intl.supportedValuesOf('timeZone')} />
      </ClientMessages>
    </AccountShell>
  );
}
