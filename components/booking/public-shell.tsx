import Link from 'next/link';

/** The patient-facing pages' frame: a banner, one main landmark, and a footer. */
export function PublicShell({ children }: { children: React.ReactNode }) {
  return (
    <div className="flex min-h-screen flex-col">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-2xl items-center px-4 py-3">
          <Link href="/" className="rounded text-lg font-bold text-brand-800">
            Consulta
          </Link>
        </div>
      </header>
      <main id="main" className="mx-auto w-full max-w-2xl flex-1 px-4 py-6 sm:py-10">
        {children}
      </main>
      <footer className="border-t border-slate-200 bg-white">
        <p className="mx-auto max-w-2xl px-4 py-4 text-sm text-slate-700">
          Online requests are for routine visits. In an emergency call 112.
        </p>
      </footer>
    </div>
  );
}
