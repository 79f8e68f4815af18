import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { PublicShell } from '@/components/booking/public-shell';
import { LostLinkForm } from '@/components/patient-links/lost-link-form';
import { practiceBySlug } from '@/lib/booking/create';
import { isDomainError } from '@/lib/errors';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('booking.lostLink'))('title'), robots: { index: false, follow: false } };
}

interface PageProps {
  params: Promise<{ slug: string }>;
}

/** Issue 15: a patient who lost their status link gets a single-use link to all their requests at this practice. */
export default async function LostLinkPage({ params }: PageProps) {
  const [{ slug }, t] = await Promise.all([params, getTranslations('booking.lostLink')]);
  let name: string;
  try {
    name = (await practiceBySlug(slug)).displayName;
  } catch (err) {
    if (isDomainError(err) && err.code === 'not_found') notFound();
    throw err;
  }
  return (
    <PublicShell>
      <h1 className="text-3xl font-bold tracking-tight">{t('title')}</h1>
      <p className="mt-2 text-slate-700">{t('intro', { practice: name })}</p>
      <div className="mt-6 rounded-lg border border-slate-300 bg-white p-4">
        <LostLinkForm slug={slug} words={{ label: t('label'), hint: t('hint'), sending: t('sending'), send: t('send') }} />
      </div>
      <p className="mt-8">
        <Link href={`/book/${encodeURIComponent(slug)}`} className="font-semibold text-brand-700 underline underline-offset-2">
          {t('back', { practice: name })}
        </Link>
      </p>
    </PublicShell>
  );
}
