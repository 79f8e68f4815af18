import { getTranslations } from 'next-intl/server';
import type { PracticeCard as Card } from '@/lib/availability/public-profile';
import { formatPhone } from '@/lib/phone';

/** An OpenStreetMap search for the address: a plain link, nothing embedded, no tracker on our pages. */
export function mapHref(address: string): string {
  return `https://www.openstreetmap.org/search?query=${encodeURIComponent(address)}`;
}

/**
 * Where the practice is and how to reach it, with its cancellation policy: on the booking page and
 * on the request's status page. Server-rendered (the phone is formatted with the full metadata).
 */
export async function PracticeCard({ practice, headingLevel = 2 }: { practice: Card; headingLevel?: 2 | 3 }) {
  const Heading = `h${headingLevel}` as const;
  const t = await getTranslations('booking.card');
  const { address, phone, email, cancellationPolicy } = practice;
  return (
    <section aria-labelledby="practice-card-heading" className="mt-10 rounded-lg border border-slate-300 bg-white p-4" data-testid="practice-card">
      <Heading id="practice-card-heading" className="text-xl font-semibold">
        {practice.name}
      </Heading>
      <p className="text-slate-700">{practice.specialty}</p>
      <dl className="mt-3 space-y-3">
        {address && (
          <div>
            <dt className="text-sm font-medium text-slate-700">{t('address')}</dt>
            <dd>
              <span className="block whitespace-pre-line">{address}</span>
              <a href={mapHref(address)} rel="noopener noreferrer" className="inline-flex min-h-11 items-center font-semibold text-brand-700 underline underline-offset-2">
                {t('openMap')}
                <span className="sr-only"> (OpenStreetMap)</span>
              </a>
            </dd>
          </div>
        )}
        {phone && (
          <div>
            <dt className="text-sm font-medium text-slate-700">{t('phone')}</dt>
            <dd>
              <a href={`tel:${phone}`} className="inline-flex min-h-11 items-center font-semibold text-brand-700 underline underline-offset-2">
                {formatPhone(phone, practice.country)}
              </a>
            </dd>
          </div>
        )}
        {email && (
          <div>
            <dt className="text-sm font-medium text-slate-700">{t('email')}</dt>
            <dd>
              <a href={`mailto:${email}`} className="inline-flex min-h-11 items-center font-semibold break-all text-brand-700 underline underline-offset-2">
                {email}
              </a>
            </dd>
          </div>
        )}
        {cancellationPolicy && (
          <div>
            <dt className="text-sm font-medium text-slate-700">{t('policy')}</dt>
            <dd className="whitespace-pre-line">{cancellationPolicy}</dd>
          </div>
        )}
      </dl>
    </section>
  );
}
