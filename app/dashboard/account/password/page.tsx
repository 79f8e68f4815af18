import type { Metadata } from 'next';
import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { SimpleForm } from '@/components/signup/simple-form';
import { requireActor } from '@/lib/auth/session';
import { changePasswordAction } from './actions';

export const dynamic = 'force-dynamic';
export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('dashboard.password'))('title') };
}

export default async function ChangePasswordPage() {
  const actor = await requireActor();
  const t = await getTranslations('dashboard.password');
  return (
    <div className="max-w-lg space-y-4">
      <p className="text-sm">
        <Link href="/dashboard/account" className="text-brand-700 hover:underline">
          {t('back')}
        </Link>
      </p>
      <h1 className="text-2xl font-bold">{t('title')}</h1>
      <p className="text-slate-700">{t('intro', { email: actor.email })}</p>
      <SimpleForm
        action={changePasswordAction}
        className="space-y-4 rounded-lg border border-slate-200 bg-white p-4"
        fields={[
          { label: t('current'), name: 'currentPassword', type: 'password', autoComplete: 'current-password', required: true },
          { label: t('new'), name: 'newPassword', type: 'password', autoComplete: 'new-password', hint: t('hint'), required: true },
        ]}
        submit={t('submit')}
      />
    </div>
  );
}
