import Link from 'next/link';
import { signOutAction } from '@/app/(auth)/login/actions';
import { IdleWarning } from '@/components/auth/idle-warning';
import { DashboardNav } from '@/components/dashboard/dashboard-nav';
import { PracticeSwitcher } from '@/components/dashboard/practice-switcher';
import { can, type Permission } from '@/lib/auth/permissions';
import { currentPractice, currentSession, requireActor } from '@/lib/auth/session';
import { mailDeliveryStatus } from '@/lib/notifications';

/** Each page and the permission its lib functions need: the nav shows what the role can use. */
const nav: { href: string; label: string; permission: Permission }[] = [
  { href: '/dashboard', label: 'Overview', permission: 'practice.view' },
  { href: '/dashboard/requests', label: 'Requests', permission: 'practice.view' },
  { href: '/dashboard/appointments', label: 'Appointments', permission: 'practice.view' },
  { href: '/dashboard/services', label: 'Services', permission: 'catalog.edit' },
  { href: '/dashboard/availability', label: 'Availability', permission: 'availability.edit' },
  { href: '/dashboard/settings', label: 'Settings', permission: 'settings.edit' },
  { href: '/dashboard/integrations', label: 'Integrations', permission: 'integrations.manage' },
  { href: '/dashboard/audit', label: 'Audit', permission: 'audit.read' },
  { href: '/dashboard/members', label: 'Members', permission: 'members.view' },
];

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const actor = await requireActor();
  const practice = await currentPractice(actor);
  const session = await currentSession();
  const mail = practice ? await mailDeliveryStatus(actor, practice.profileId) : undefined;
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white">
        <div className="relative mx-auto flex max-w-6xl flex-wrap items-center gap-4 px-4 py-2 md:py-3">
          <Link href="/dashboard" className="text-lg font-bold text-brand-800">
            Consulta
          </Link>
          <DashboardNav
            items={nav.filter((item) => practice && can(practice.roles, item.permission))}
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
                    Sign out
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
            Mail is not configured: {mail.waiting === 1 ? '1 message is' : `${mail.waiting} messages are`} waiting. They are sent once the
            server&apos;s SMTP_URL is set.
          </p>
        )}
        {practice ? children : <p>You are not a member of any practice yet. Ask the practice&apos;s admin to add you.</p>}
      </main>
      {session && <IdleWarning timeoutMinutes={session.idleTimeoutMinutes} />}
    </div>
  );
}
