import { isBoundedDate } from '@/lib/validation/fields';
import type { Metadata } from 'next';
import Form from 'next/form';
import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { ProposeForm } from '@/components/requests/propose-form';
import { currentPractice, requireActor } from '@/lib/auth/session';
import { isDomainError } from '@/lib/errors';
import { localizeError } from '@/lib/i18n/errors';
import { formatLocalDate, formatSlot, formatTime, formatWhen, zoneName } from '@/lib/i18n/format';
import { pageLocale } from '@/lib/i18n/page-locale';
import { proposalChoices, MAX_PROPOSALS, type ProposalChoices } from '@/lib/proposals';
import { proposeTimesAction } from '../../actions';

export const dynamic = 'force-dynamic';
export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('requests.propose'))('title') };
}

interface PageProps {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

/** Instead of rejecting: choose one to three of the service's free times on a few days; the patient picks one. */
export default async function ProposePage({ params, searchParams }: PageProps) {
  const [{ id }, sp] = await Promise.all([params, searchParams]);
  const actor = await requireActor();
  const practice = await currentPractice(actor);
  if (!practice) return null;
  const tz = practice.timeZone;
  const [t, locale] = await Promise.all([getTranslations('requests.propose'), pageLocale()]);
  const askedDate = Array.isArray(sp.date) ? sp.date[0] : sp.date;
  let choices: ProposalChoices;
  try {
    choices = await proposalChoices(actor, practice.profileId, { requestId: id, date: isBoundedDate(askedDate) ? askedDate : undefined });
  } catch (err) {
    if (isDomainError(err) && (err.code === 'forbidden' || err.code === 'not_found')) {
      return (
        <div className="space-y-3">
          <h1 className="text-2xl font-bold">{t('title')}</h1>
          <p role="note" className="rounded-md border border-slate-300 bg-white p-3">
            {localizeError(err.message, locale, err.code)}
          </p>
          <Link href="/dashboard/requests" className="text-brand-700 underline">
            {t('back')}
          </Link>
        </div>
      );
    }
    throw err;
  }
  const r = choices.request;
  const open = r.status === 'pending' && r.expiresAt > new Date();
  const next = new Date(`${choices.from}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + choices.days.length);
  const prev = new Date(`${choices.from}T00:00:00Z`);
  prev.setUTCDate(prev.getUTCDate() - choices.days.length);
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-2xl font-bold">{t('heading', { name: r.patientName })}</h1>
        <p className="text-slate-700">
          {t('summary', {
            service: r.serviceName,
            asked: `${formatSlot(locale, r.startsAt, r.endsAt, tz)} (${zoneName(locale, tz)})`,
            deadline: formatWhen(locale, r.expiresAt, tz),
          })}
        </p>
      </div>
      {!open ? (
        <p role="note" className="rounded-md border border-slate-300 bg-white p-3">
          {t('closed')}
        </p>
      ) : (
        <>
          <p className="text-sm text-slate-700">{t('intro', { max: MAX_PROPOSALS })}</p>
          <div className="flex flex-wrap items-end gap-2 text-sm">
            <Link href={`/dashboard/requests/${r.id}/propose?date=${prev.toISOString().slice(0, 10)}`} className="rounded border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-100">
              {t('earlier')}
            </Link>
            <Link href={`/dashboard/requests/${r.id}/propose?date=${next.toISOString().slice(0, 10)}`} className="rounded border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-100">
              {t('later')}
            </Link>
            <Form action={`/dashboard/requests/${r.id}/propose`} className="ml-auto flex items-center gap-2">
              <label htmlFor="propose-date">{t('fromDate')}</label>
              <input id="propose-date" type="date" name="date" defaultValue={choices.from} className="rounded border border-slate-400 bg-white px-2 py-1" />
              <button type="submit" className="rounded border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-100">
                {t('show')}
              </button>
            </Form>
          </div>
          <ProposeForm
            action={proposeTimesAction}
            profileId={practice.profileId}
            requestId={r.id}
            max={MAX_PROPOSALS}
            days={choices.days.map((d) => ({
              date: d.date,
              label: formatLocalDate(locale, d.date),
              times: d.starts.map((s) => ({ value: s.toISOString(), label: formatTime(locale, s, tz) })),
            }))}
          />
        </>
      )}
    </div>
  );
}
