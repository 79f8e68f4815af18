import type { Metadata } from 'next';
import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { LocaleSwitcher } from '@/components/i18n/locale-switcher';
import { AccountShell } from '@/components/signup/account-shell';
import { SimpleForm } from '@/components/signup/simple-form';
import { resendVerificationAction } from '@/app/signup/actions';
import { verificationLinkUsable } from '@/lib/accounts';
import { verifyEmailAction } from '../actions';

export const dynamic = 'force-dynamic';
// The token is in the path: never sent on as a referrer.
export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('auth.verify'))('title'), referrer: 'no-referrer', robots: { index: false } };
}

export default async function VerifyEmailPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const [t, tForm] = await Promise.all([getTranslations('auth.verify'), getTranslations('auth.form')]);
  const usable = await verificationLinkUsable(token);
  if (!usable) {
    return (
      <AccountShell title={t('unusableTitle')} intro={t('unusableIntro')} switcher={<LocaleSwitcher />}>
        <SimpleForm action={resendVerificationAction} fields={[{ label: tForm('email'), name: 'email', type: 'email', autoComplete: 'email', required: true }]} submit={t('sendNew')} />
        <p className="mt-6 text-sm">
          <Link href="/login" className="text-brand-700 underline">
            {tForm('signIn')}
          </Link>
        </p>
      </AccountShell>
    );
  }
  return (
    <AccountShell title={t('title')} intro={t('intro')} switcher={<LocaleSwitcher />}>
      <SimpleForm
        action={verifyEmailAction}
        hidden={{ token }}
        submit={t('submit')}
        done={{ href: '/login', label: tForm('signIn') }}
      />
    </AccountShell>
  );
}
