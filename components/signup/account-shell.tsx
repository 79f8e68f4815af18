import type { ReactNode } from 'react';

/** The page frame of the signed-out account pages (sign-up, invitations, passwords). */
export function AccountShell({ title, intro, children }: { title: string; intro?: ReactNode; children: ReactNode }) {
  return (
    <main className="mx-auto flex min-h-screen max-w-lg flex-col justify-center px-4 py-12 sm:px-6">
      <p className="text-lg font-bold text-brand-800">Consulta</p>
      <h1 className="mt-2 text-3xl font-bold tracking-tight">{title}</h1>
      {intro && <div className="mt-2 text-slate-700">{intro}</div>}
      <div className="mt-6">{children}</div>
    </main>
  );
}
