import Link from 'next/link';
import type { ReactNode } from 'react';

/**
 * The dashboard's navigation: inline on wider screens; on a phone a compact bar whose "Menu"
 * opens the links and the account (a native disclosure, so it works without JavaScript).
 */
export function DashboardNav({
  items,
  account,
  labels,
}: {
  items: { href: string; label: string }[];
  account: ReactNode;
  /** The menu button's and the two navigations' names, in the page's language. */
  labels: { menu: string; nav: string; navMenu: string };
}) {
  const links = (className: string) =>
    items.map((item) => (
      <Link key={item.href} href={item.href} className={className}>
        {item.label}
      </Link>
    ));
  return (
    <>
      <nav aria-label={labels.nav} className="hidden flex-wrap gap-1 md:flex">
        {links('rounded px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-100')}
      </nav>
      <div className="hidden items-center gap-3 md:ml-auto md:flex">{account}</div>
      <details className="group ml-auto md:hidden" data-testid="phone-menu">
        <summary className="flex min-h-11 cursor-pointer list-none items-center gap-2 rounded border border-slate-300 px-3 text-sm font-semibold text-slate-800 [&::-webkit-details-marker]:hidden">
          <span aria-hidden="true">☰</span> {labels.menu}
        </summary>
        <div className="absolute inset-x-0 z-20 mt-3 border-b border-slate-200 bg-white px-4 pb-4 shadow-md">
          <nav aria-label={labels.navMenu} className="grid grid-cols-2 gap-1 pt-2">
            {links('rounded px-3 py-2 text-sm font-medium text-slate-800 hover:bg-slate-100')}
          </nav>
          <div className="mt-3 flex flex-wrap items-center gap-3 border-t border-slate-100 pt-3">{account}</div>
        </div>
      </details>
    </>
  );
}
