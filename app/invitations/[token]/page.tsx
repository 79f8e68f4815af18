import type { Metadata } from 'next';
import Link from 'next/link';
import { getLocale, getTranslations } from 'next-intl/server';
import { LocaleSwitcher } from '@/components/i18n/locale-switcher';
import { AccountShell } from '@/components/signup/account-shell';
import { SimpleForm } from '@/components/signup/simple-form';
import { previewInvitation, type InvitationPreview } from '@/lib/accounts';
import { currentActor } from '@/lib/auth/session';
import { isDomainError } from '@/lib/errors';
import { localizeError } from '@/lib/i18n/errors';
import { formatWhen } from '@/lib/i18n/format';
import { isLocale } from '@/lib/i18n/locales';
import { describeRolesIn } from '@/lib/i18n/words';
import { acceptInvitationAction, joinPracticeAction } from '../actions';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Invitation · Invitación', referrer: 'no-referrer', robots: { index: false } };

export default async function InvitationPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const [t, tForm, rawLocale] = await Promise.all([getTranslations('auth.invitation'), getTranslations('auth.form'), getLocale()]);
  const locale = isLocale(rawLocale) ? rawLocale : 'en';
  const switcher = <LocaleSwitcher />;
  let invitation: InvitationPreview;
  try {
    invitation = await previewInvitation(token);
  } catch (err) {
    if (!isDomainError(err) || err.code !== 'not_found') throw err;
    return (
      <AccountShell title={t('unusableTitle')} intro={localizeError(err.message, locale, err.code)} switcher={switcher}>
        <Link href="/login" className="text-brand-700 underline">
          {tForm('signIn')}
        </Link>
      </AccountShell>
    );
  }
  const actor = await currentActor();
  const title = t('title', { practice: invitation.practiceName });
  const intro = t.rich('intro', {
    roles: describeRolesIn(locale, invitation.roles),
    practice: invitation.practiceName,
    email: invitation.email,
    until: formatWhen(locale, invitation.expiresAt, 'UTC'),
    strong: (chunks) => <strong>{chunks}</strong>,
  });
  const joined = actor ? { href: '/dashboard', label: t('openDashboard') } : { href: '/login', label: tForm('signIn') };
  if (actor) {
    if (actor.email.toLowerCase() !== invitation.email) {
      return (
        <AccountShell title={title} intro={intro} switcher={switcher}>
          <p role="alert" className="rounded-md border border-amber-300 bg-amber-50 p-3 text-amber-950">
            {t('wrongAccount', { actor: actor.email, email: invitation.email })}
          </p>
        </AccountShell>
      );
    }
    return (
      <AccountShell title={title} intro={intro} switcher={switcher}>
        <SimpleForm action={joinPracticeAction} hidden={{ token }} submit={t('join', { practice: invitation.practiceName })} done={joined} />
      </AccountShell>
    );
  }
  if (invitation.accountExists) {
    return (
      <AccountShell title={title} intro={intro} switcher={switcher}>
        <p>{t('hasAccount')}</p>
        <Link href="/login" className="mt-4 inline-block rounded-md bg-brand-700 px-4 py-2 font-semibold text-white hover:bg-brand-800">
          {tForm('signIn')}
        </Link>
      </AccountShell>
    );
  }
  return (
    <AccountShell title={title} intro={intro} switcher={switcher}>
      <SimpleForm
        action={acceptInvitationAction}
        hidden={{ token }}
        fields={[
          { label: tForm('yourName'), name: 'name', autoComplete: 'name', required: true },
          { label: t('choosePassword'), name: 'password', type: 'password', autoComplete: 'new-password', hint: tForm('passwordHint'), required: true },
        ]}
        submit={t('create')}
        done={joined}
      />
    </AccountShell>
  );
}
