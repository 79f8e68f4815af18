import type { ReactNode } from 'react';

/** The page frame of the signed-out account pages (sign-up, invitations, passwords); `switcher`: the language switcher. */
export function AccountShell({ title, intro, switcher, children }: { title: string; intro?: ReactNode; switcher?: ReactNode; children: ReactNode }) {
  return (
    <main className="mx-auto flex min-h-screen max-w-lg flex-col justify-center px-4 py-12 sm:px-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <p className="text-lg font-bold text-brand-800">Consulta</p>
        {switcher}
      </div>
      <h1 className="mt-2 text-3xl font-bold tracking-tight">{title}</h1>
      {intro && <div className="mt-2 text-slate-700">{intro}</div>}
      <div className="mt-6">{children}</div>
    </main>
  );
}
