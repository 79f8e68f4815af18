import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { getLocale, getTranslations } from 'next-intl/server';
import { signOutAction } from '@/app/(auth)/login/actions';
import { EnrolmentForm } from '@/components/auth/enrolment-form';
import { ClientMessages } from '@/components/i18n/client-messages';
import { isLocale } from '@/lib/i18n/locales';
import { formatList } from '@/lib/i18n/words';
import { currentSession } from '@/lib/auth/session';
import { beginEnrolment, twoFactorStatus } from '@/lib/auth/two-factor';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('auth.enrol'))('title') };
}

export default async function EnrolmentPage() {
  const session = await currentSession();
  if (!session) redirect('/login');
  if (session.stage === 'second_factor') redirect('/two-factor');
  const status = await twoFactorStatus(session);
  if (status.enabled) redirect('/dashboard/account');
  const enrolment = await beginEnrolment(session);
  const [t, tLogin, locale] = await Promise.all([getTranslations('auth.enrol'), getTranslations('auth.login'), getLocale()]);
  return (
    <main className="mx-auto max-w-xl px-6 py-12">
      <h1 className="text-3xl font-bold tracking-tight">{t('title')}</h1>
      {session.stage === 'enrol' && (
        <p role="status" className="mt-4 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950">
          {t('required', { practices: formatList(isLocale(locale) ? locale : 'en', status.requiredBy) })}
        </p>
      )}
      <ol className="mt-6 list-decimal space-y-4 pl-5 text-slate-800">
        <li>
          {t('scan')}
          {/* eslint-disable-next-line @next/next/no-img-element -- a data: URL made on the server */}
          <img src={enrolment.qrDataUrl} alt={t('qrAlt')} width={220} height={220} className="mt-3 rounded border border-slate-200" />
        </li>
        <li>
          {t('typeKey')}{' '}
          <code data-testid="totp-secret" className="break-all rounded bg-slate-100 px-1.5 py-0.5 font-mono text-sm">
            {enrolment.secret}
          </code>
        </li>
        <li>{t('enterCode')}</li>
      </ol>
      <ClientMessages paths={['auth.enrol', 'auth.twoFactor']}>
        <EnrolmentForm />
      </ClientMessages>
      <form action={signOutAction} className="mt-8">
        <button type="submit" className="text-sm text-slate-700 underline">
          {tLogin('signOut')}
        </button>
      </form>
    </main>
  );
}
