import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import QRCode from 'qrcode';
import { onboardingStatus } from '@/lib/accounts';
import type { Actor } from '@/lib/auth/actor';
import { can } from '@/lib/auth/permissions';
import type { Membership } from '@/lib/auth/actor';
import { CopyLink } from './copy-link';

function Step({ done, title, status, children }: { done: boolean; title: string; status: string; children: React.ReactNode }) {
  return (
    <li className="flex gap-3 p-4" data-testid="checklist-step" data-done={done}>
      <span aria-hidden className={`mt-0.5 flex h-6 w-6 shrink-0 items-center justify-center rounded-full border text-sm ${done ? 'border-green-700 bg-green-700 text-white' : 'border-slate-400'}`}>
        {done ? '✓' : ''}
      </span>
      <div className="min-w-0 flex-1">
        <p className="font-medium">
          {title} <span className="sr-only">{status}</span>
        </p>
        <div className="mt-1 text-sm text-slate-700">{children}</div>
      </div>
    </li>
  );
}

/**
 * The first-run checklist on the dashboard, for a practice's admins: add a service, set the
 * weekly hours, invite the doctor, copy the booking link (with a QR code for the waiting room).
 * It stays until the first three are done.
 */
export async function FirstRunChecklist({ actor, membership, origin }: { actor: Actor; membership: Membership; origin: string }) {
  if (!can(membership.roles, 'members.manage')) return null;
  const status = await onboardingStatus(actor, membership.profileId);
  if (status.complete) return null;
  const bookingUrl = `${origin.replace(/\/$/, '')}/book/${status.slug}`;
  const qr = await QRCode.toString(bookingUrl, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
  const link = 'font-semibold text-brand-700 underline';
  const t = await getTranslations('dashboard.checklist');
  const statusText = (done: boolean) => (done ? t('done') : t('todo'));
  return (
    <section aria-labelledby="checklist-heading" className="rounded-lg border border-brand-200 bg-white">
      <h2 id="checklist-heading" className="border-b border-slate-200 p-4 text-lg font-semibold">
        {t('title')}
      </h2>
      <ol className="divide-y divide-slate-200">
        <Step done={status.hasService} title={t('service')} status={statusText(status.hasService)}>
          {t('serviceText')}{' '}
          <Link href="/dashboard/services" className={link}>
            {t('service')}
          </Link>
        </Step>
        <Step done={status.hasHours} title={t('hours')} status={statusText(status.hasHours)}>
          {t('hoursText')}{' '}
          <Link href="/dashboard/availability" className={link}>
            {t('hours')}
          </Link>
        </Step>
        <Step done={status.hasDoctor} title={t('doctor')} status={statusText(status.hasDoctor)}>
          {status.doctorInvited ? t('doctorInvited') : t('doctorText')}{' '}
          <Link href="/dashboard/members" className={link}>
            {status.doctorInvited ? t('seeInvitation') : t('doctor')}
          </Link>
        </Step>
        <Step done={false} title={t('share')} status={statusText(false)}>
          <div className="flex flex-col gap-3 sm:flex-row sm:items-start">
            <div className="min-w-0 flex-1 space-y-2">
              <p>{t('shareText')}</p>
              <CopyLink url={bookingUrl} labels={{ link: t('linkLabel'), copy: t('copy'), copied: t('copied') }} />
            </div>
            <figure className="w-36 shrink-0">
              <div className="rounded border border-slate-200 bg-white p-1" role="img" aria-label={t('qrLabel', { url: bookingUrl })} dangerouslySetInnerHTML={{ __html: qr }} />
              <figcaption className="mt-1 text-center text-xs text-slate-600">{t('scan')}</figcaption>
            </figure>
          </div>
        </Step>
      </ol>
    </section>
  );
}
