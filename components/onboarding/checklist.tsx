import Link from 'next/link';
import QRCode from 'qrcode';
import { onboardingStatus } from '@/lib/accounts';
import type { Actor } from '@/lib/auth/actor';
import { can } from '@/lib/auth/permissions';
import type { Membership } from '@/lib/auth/actor';
import { CopyLink } from './copy-link';

function Step({ done, title, children }: { done: boolean; title: string; children: React.ReactNode }) {
  return (
    <li className="flex gap-3 p-4" data-testid="checklist-step" data-done={done}>
      <span aria-hidden className={`mt-0.5 flex h-6 w-6 shrink-0 items-center justify-center rounded-full border text-sm ${done ? 'border-green-700 bg-green-700 text-white' : 'border-slate-400'}`}>
        {done ? '✓' : ''}
      </span>
      <div className="min-w-0 flex-1">
        <p className="font-medium">
          {title} <span className="sr-only">{done ? '(done)' : '(to do)'}</span>
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
  return (
    <section aria-labelledby="checklist-heading" className="rounded-lg border border-brand-200 bg-white">
      <h2 id="checklist-heading" className="border-b border-slate-200 p-4 text-lg font-semibold">
        Get ready for your first patients
      </h2>
      <ol className="divide-y divide-slate-200">
        <Step done={status.hasService} title="Add a service">
          What patients can book, how long it takes and its price.{' '}
          <Link href="/dashboard/services" className={link}>
            Add a service
          </Link>
        </Step>
        <Step done={status.hasHours} title="Set the weekly hours">
          When the practice sees patients; free times are made from these.{' '}
          <Link href="/dashboard/availability" className={link}>
            Set the weekly hours
          </Link>
        </Step>
        <Step done={status.hasDoctor} title="Invite the doctor">
          {status.doctorInvited ? 'The doctor is invited; they join from the e-mail. ' : 'The doctor answers the requests. '}
          <Link href="/dashboard/members" className={link}>
            {status.doctorInvited ? 'See the invitation' : 'Invite the doctor'}
          </Link>
        </Step>
        <Step done={false} title="Share the booking link">
          <div className="flex flex-col gap-3 sm:flex-row sm:items-start">
            <div className="min-w-0 flex-1 space-y-2">
              <p>Put it on your website and messages; print the QR code for the waiting room.</p>
              <CopyLink url={bookingUrl} />
            </div>
            <figure className="w-36 shrink-0">
              <div className="rounded border border-slate-200 bg-white p-1" role="img" aria-label={`QR code of ${bookingUrl}`} dangerouslySetInnerHTML={{ __html: qr }} />
              <figcaption className="mt-1 text-center text-xs text-slate-600">Scan to book</figcaption>
            </figure>
          </div>
        </Step>
      </ol>
    </section>
  );
}
