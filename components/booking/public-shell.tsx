import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { LocaleSwitcher } from '@/components/i18n/locale-switcher';

/** The patient-facing pages' frame: a banner with the language switcher, one main landmark, and a footer. */
export async function PublicShell({ children }: { children: React.ReactNode }) {
  const t = await getTranslations('booking.shell');
  return (
    <div className="flex min-h-screen flex-col">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-2xl flex-wrap items-center justify-between gap-2 px-4 py-3">
          <Link href="/" className="rounded text-lg font-bold text-brand-800" aria-label={t('home')}>
            Consulta
          </Link>
          <LocaleSwitcher />
        </div>
      </header>
      <main id="main" className="mx-auto w-full max-w-2xl flex-1 px-4 py-6 sm:py-10">
        {children}
      </main>
      <footer className="border-t border-slate-200 bg-white">
        <p className="mx-auto max-w-2xl px-4 py-4 text-sm text-slate-700">{t('emergency')}</p>
      </footer>
    </div>
  );
}
