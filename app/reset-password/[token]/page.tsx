import type { Metadata } from 'next';
import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { LocaleSwitcher } from '@/components/i18n/locale-switcher';
import { AccountShell } from '@/components/signup/account-shell';
import { SimpleForm } from '@/components/signup/simple-form';
import { resetLinkUsable } from '@/lib/accounts';
import { resetPasswordAction } from '../actions';

export const dynamic = 'force-dynamic';
export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('auth.reset'))('title'), referrer: 'no-referrer', robots: { index: false } };
}

export default async function ResetPasswordPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const [t, tForm] = await Promise.all([getTranslations('auth.reset'), getTranslations('auth.form')]);
  if (!(await resetLinkUsable(token))) {
    return (
      <AccountShell title={t('unusableTitle')} intro={t('unusableIntro')} switcher={<LocaleSwitcher />}>
        <Link href="/reset-password" className="text-brand-700 underline">
          {t('askNew')}
        </Link>
      </AccountShell>
    );
  }
  return (
    <AccountShell title={t('title')} intro={t('intro')} switcher={<LocaleSwitcher />}>
      <SimpleForm
        action={resetPasswordAction}
        hidden={{ token }}
        fields={[{ label: t('newPassword'), name: 'password', type: 'password', autoComplete: 'new-password', hint: tForm('passwordHint'), required: true }]}
        submit={t('save')}
        done={{ href: '/login', label: tForm('signIn') }}
      />
    </AccountShell>
  );
}
