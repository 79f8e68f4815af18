import type { Metadata } from 'next';
import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { DisableTwoFactorForm } from '@/components/account/disable-two-factor-form';
import { SessionList } from '@/components/account/session-list';
import { mySessions } from '@/lib/auth/account';
import { currentPractice, currentSession, requireActor } from '@/lib/auth/session';
import { twoFactorStatus } from '@/lib/auth/two-factor';
import { pageLocale } from '@/lib/i18n/page-locale';
import { formatDateTime, zoneName } from '@/lib/i18n/format';
import { LOCALE_NAMES, LOCALES } from '@/lib/i18n/locales';
import { formatList } from '@/lib/i18n/words';
import { setStaffLocaleAction } from './actions';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('dashboard.account'))('title') };
}

export default async function AccountPage({ searchParams }: { searchParams: Promise<{ language?: string }> }) {
  const actor = await requireActor();
  const session = (await currentSession())!;
  const practice = await currentPractice(actor);
  const timeZone = practice?.timeZone ?? 'UTC';
  const [sessions, twoFactor] = await Promise.all([mySessions(session), twoFactorStatus(session)]);
  const [t, locale, { language }] = await Promise.all([getTranslations('dashboard.account'), pageLocale(), searchParams]);
  return (
    <div className="max-w-3xl space-y-8">
      <div>
        <h1 className="text-2xl font-bold">{t('title')}</h1>
        <p className="text-slate-700">
          {actor.name ? `${actor.name}, ` : ''}
          {actor.email}
        </p>
      </div>

      <section aria-labelledby="language-heading" className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="language-heading" className="text-lg font-semibold">
          {t('language')}
        </h2>
        <p className="mt-1 text-sm text-slate-700">{t('languageIntro')}</p>
        {language === 'saved' && (
          <p role="status" className="mt-2 text-sm text-green-800">
            {t('languageSaved')}
          </p>
        )}
        {language === 'error' && (
          <p role="alert" className="mt-2 rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800">
            {t('languageError')}
          </p>
        )}
        <form action={setStaffLocaleAction} className="mt-3 flex flex-wrap items-end gap-3">
          <div>
            <label htmlFor="staff-locale" className="block text-sm font-medium text-slate-800">
              {t('languageLabel')}
            </label>
            <select id="staff-locale" name="locale" defaultValue={actor.locale ?? ''} className="mt-1 block rounded-md border border-slate-400 bg-white px-3 py-2 text-base">
              <option value="">{t('languageAuto')}</option>
              {LOCALES.map((l) => (
                <option key={l} value={l} lang={l}>
                  {LOCALE_NAMES[l]}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className="rounded border border-slate-300 px-3 py-2 text-sm hover:bg-slate-100">
            {t('languageSave')}
          </button>
        </form>
      </section>

      <section aria-labelledby="password-heading" className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="password-heading" className="text-lg font-semibold">
          {t('password')}
        </h2>
        <p className="mt-1 text-sm text-slate-700">{t('passwordIntro')}</p>
        <Link href="/dashboard/account/password" className="mt-3 inline-block rounded border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100">
          {t('changePassword')}
        </Link>
      </section>

      <section aria-labelledby="two-factor-heading" className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="two-factor-heading" className="text-lg font-semibold">
          {t('twoFactor')}
        </h2>
        {twoFactor.enabled ? (
          <>
            <p className="mt-1 text-sm text-slate-700" data-testid="two-factor-status">
              {t('twoFactorOn', { left: twoFactor.recoveryCodesLeft })}
            </p>
            {twoFactor.requiredBy.length ? (
              <p className="mt-2 text-sm text-slate-700">{t('twoFactorRequired', { practices: formatList(locale, twoFactor.requiredBy) })}</p>
            ) : (
              <DisableTwoFactorForm />
            )}
          </>
        ) : (
          <>
            <p className="mt-1 text-sm text-slate-700" data-testid="two-factor-status">
              {t('twoFactorOff')}
            </p>
            <Link href="/two-factor/setup" className="mt-3 inline-block rounded bg-brand-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-800">
              {t('turnOn')}
            </Link>
          </>
        )}
      </section>

      <section aria-labelledby="sessions-heading" className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="sessions-heading" className="text-lg font-semibold">
          {t('sessions')}
        </h2>
        <p className="mt-1 text-sm text-slate-700">{t('sessionsIntro', { idle: session.idleTimeoutMinutes, zone: zoneName(locale, timeZone) })}</p>
        <SessionList
          sessions={sessions.map((s) => ({
            id: s.id,
            current: s.current,
            device: s.device,
            address: s.address ?? t('unknownAddress'),
            signedIn: formatDateTime(locale, s.createdAt, timeZone),
            lastActive: formatDateTime(locale, s.lastSeenAt, timeZone),
          }))}
        />
      </section>
    </div>
  );
}
