import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { LocaleSwitcher } from '@/components/i18n/locale-switcher';

export default async function HomePage() {
  const t = await getTranslations('booking.home');
  return (
    <main className="mx-auto flex min-h-screen max-w-2xl flex-col justify-center gap-8 px-6 py-16">
      <div>
        <div className="flex flex-wrap items-center justify-between gap-2">
          <p className="text-sm font-semibold uppercase tracking-wide text-brand-700">Consulta</p>
          <LocaleSwitcher />
        </div>
        <h1 className="mt-2 text-4xl font-bold tracking-tight">{t('title')}</h1>
        <p className="mt-4 text-lg text-slate-700">{t('text')}</p>
      </div>
      <div className="flex flex-wrap gap-4">
        <Link href="/book/demo" className="rounded-lg bg-brand-700 px-5 py-3 font-semibold text-white hover:bg-brand-800">
          {t('demo')}
        </Link>
        <Link href="/login" className="rounded-lg border border-slate-300 bg-white px-5 py-3 font-semibold text-slate-900 hover:bg-slate-100">
          {t('signIn')}
        </Link>
      </div>
    </main>
  );
}
