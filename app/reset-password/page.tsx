import type { Metadata } from 'next';
import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { LocaleSwitcher } from '@/components/i18n/locale-switcher';
import { AccountShell } from '@/components/signup/account-shell';
import { SimpleForm } from '@/components/signup/simple-form';
import { requestResetAction } from './actions';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('auth.reset'))('forgotTitle') };
}

export default async function ForgotPasswordPage() {
  const [t, tForm] = await Promise.all([getTranslations('auth.reset'), getTranslations('auth.form')]);
  return (
    <AccountShell title={t('forgotTitle')} intro={t('forgotIntro')} switcher={<LocaleSwitcher />}>
      <SimpleForm
        action={requestResetAction}
        fields={[{ label: tForm('email'), name: 'email', type: 'email', autoComplete: 'email', required: true }]}
        submit={t('send')}
        done={{}}
      />
      <p className="mt-6 text-sm">
        <Link href="/login" className="text-brand-700 underline">
          {tForm('backToSignIn')}
        </Link>
      </p>
    </AccountShell>
  );
}
