import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { signOutAction } from '@/app/(auth)/login/actions';
import { IdleWarning } from '@/components/auth/idle-warning';
import { DashboardNav } from '@/components/dashboard/dashboard-nav';
import { ClientMessages } from '@/components/i18n/client-messages';
import { DASHBOARD_CLIENT_MESSAGES } from '@/lib/i18n/client-namespaces';
import { PracticeSwitcher } from '@/components/dashboard/practice-switcher';
import { can, type Permission } from '@/lib/auth/permissions';
import { currentPractice, currentSession, requireActor } from '@/lib/auth/session';
import { mailDeliveryStatus } from '@/lib/notifications';

/** Each page and the permission its lib functions need: the nav shows what the role can use. */
// i18n-keys: dashboard.nav.*
const nav: { href: string; label: string; permission: Permission }[] = [
  { href: '/dashboard', label: 'overview', permission: 'practice.view' },
  { href: '/dashboard/requests', label: 'requests', permission: 'practice.view' },
  { href: '/dashboard/appointments', label: 'appointments', permission: 'practice.view' },
  { href: '/dashboard/services', label: 'services', permission: 'catalog.edit' },
  { href: '/dashboard/availability', label: 'availability', permission: 'availability.edit' },
  { href: '/dashboard/settings', label: 'settings', permission: 'settings.edit' },
  { href: '/dashboard/integrations', label: 'integrations', permission: 'integrations.manage' },
  { href: '/dashboard/audit', label: 'audit', permission: 'audit.read' },
  { href: '/dashboard/members', label: 'members', permission: 'members.view' },
];


export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const actor = await requireActor();
  const practice = await currentPractice(actor);
  const session = await currentSession();
  const mail = practice ? await mailDeliveryStatus(actor, practice.profileId) : undefined;
  const [t, tNav] = await Promise.all([getTranslations('dashboard.layout'), getTranslations('dashboard.nav')]);
  return (
    <ClientMessages paths={DASHBOARD_CLIENT_MESSAGES}>
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white">
        <div className="relative mx-auto flex max-w-6xl flex-wrap items-center gap-4 px-4 py-2 md:py-3">
          <Link href="/dashboard" className="text-lg font-bold text-brand-800">
            {t('brand')}
          </Link>
          <DashboardNav
            items={nav.filter((item) => practice && can(practice.roles, item.permission)).map((item) => ({ href: item.href, label: tNav(item.label) }))}
            labels={{ menu: t('menu'), nav: t('navLabel'), navMenu: t('navMenuLabel') }}
            account={
              <>
                {actor.memberships.length > 1 && practice && (
                  <PracticeSwitcher current={practice.slug} practices={actor.memberships.map((m) => ({ slug: m.slug, name: m.displayName }))} />
                )}
                <Link href="/dashboard/account" className="text-sm text-slate-700 underline-offset-2 hover:underline">
                  {actor.name ?? actor.email}
                </Link>
                <form action={signOutAction}>
                  <button type="submit" className="rounded border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100">
                    {t('signOut')}
                  </button>
                </form>
              </>
            }
          />
        </div>
      </header>
      <main className="mx-auto max-w-6xl px-4 py-6">
        {mail && !mail.configured && !mail.printedToLog && (
          <p role="note" className="mb-4 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950" data-testid="mail-not-configured">
            {t('mailNotConfigured', { waiting: mail.waiting })}
          </p>
        )}
        {practice ? children : <p>{t('noPractice')}</p>}
      </main>
      {session && <IdleWarning timeoutMinutes={session.idleTimeoutMinutes} />}
    </div>
    </ClientMessages>
  );
}
