import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { PublicShell } from '@/components/booking/public-shell';

export default async function RequestNotFound() {
  const t = await getTranslations('booking.notFound');
  return (
    <PublicShell>
      <h1 className="text-3xl font-bold tracking-tight">{t('requestTitle')}</h1>
      <p className="mt-4 text-lg text-slate-700">{t('requestText')}</p>
      <p className="mt-8">
        <Link href="/" className="font-semibold text-brand-700 underline underline-offset-2">
          {t('home')}
        </Link>
      </p>
    </PublicShell>
  );
}
