import Link from 'next/link';
import { signOutAction } from '@/app/(auth)/login/actions';
import { PracticeSwitcher } from '@/components/dashboard/practice-switcher';
import { currentPractice, requireActor } from '@/lib/auth/session';

const nav = [
  { href: '/dashboard', label: 'Overview', roles: ['doctor', 'admin'] },
  { href: '/dashboard/requests', label: 'Requests', roles: ['doctor', 'admin'] },
  { href: '/dashboard/appointments', label: 'Appointments', roles: ['doctor', 'admin'] },
  { href: '/dashboard/services', label: 'Services', roles: ['admin'] },
  { href: '/dashboard/availability', label: 'Availability', roles: ['doctor', 'admin'] },
  { href: '/dashboard/settings', label: 'Settings', roles: ['admin'] },
  { href: '/dashboard/audit', label: 'Audit', roles: ['admin'] },
] as const;

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const actor = await requireActor();
  const practice = await currentPractice(actor);
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-4 px-4 py-3">
          <Link href="/dashboard" className="text-lg font-bold text-brand-800">
            Consulta
          </Link>
          <nav aria-label="Dashboard" className="flex flex-wrap gap-1">
            {nav
              .filter((item) => practice && (item.roles as readonly string[]).includes(practice.role))
              .map((item) => (
                <Link key={item.href} href={item.href} className="rounded px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-100">
                  {item.label}
                </Link>
              ))}
          </nav>
          <div className="ml-auto flex items-center gap-3">
            {actor.memberships.length > 1 && practice && (
              <PracticeSwitcher current={practice.slug} practices={actor.memberships.map((m) => ({ slug: m.slug, name: m.displayName }))} />
            )}
            <span className="text-sm text-slate-700">{actor.name ?? actor.email}</span>
            <form action={signOutAction}>
              <button type="submit" className="rounded border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100">
                Sign out
              </button>
            </form>
          </div>
        </div>
      </header>
      <main className="mx-auto max-w-6xl px-4 py-6">
        {practice ? children : <p>You are not a member of any practice yet. Ask the practice&apos;s admin to add you.</p>}
      </main>
    </div>
  );
}
