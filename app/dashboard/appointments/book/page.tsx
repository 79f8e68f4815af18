import { isBoundedDate } from '@/lib/validation/fields';
import type { Metadata } from 'next';
import Form from 'next/form';
import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { BlockForm } from '@/components/appointments/block-form';
import { PhoneInForm } from '@/components/appointments/phone-in-form';
import { blockTimeAction } from '../../availability/actions';
import { listBookableStarts } from '@/lib/appointments';
import { can } from '@/lib/auth/permissions';
import { currentPractice, requireActor } from '@/lib/auth/session';
import { listServices } from '@/lib/catalog';
import { formatLocalDate, formatSpan, formatTime, zoneName } from '@/lib/i18n/format';
import { pageLocale } from '@/lib/i18n/page-locale';
import { localDateOf } from '@/lib/availability/time';
import { bookPhoneInAction } from '../actions';

export const dynamic = 'force-dynamic';
export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('appointments.book'))('title') };
}

interface PageProps {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/**
 * A patient on the phone: choose the service and one of the day's free times (the week grid links
 * here with the time clicked), type the patient's details, book. The appointment is confirmed at once.
 */
export default async function BookPhoneInPage({ searchParams }: PageProps) {
  const sp = await searchParams;
  const actor = await requireActor();
  const practice = await currentPractice(actor);
  if (!practice) return null;
  const tz = practice.timeZone;
  const [t, locale] = await Promise.all([getTranslations('appointments.book'), pageLocale()]);
  const mayBlock = can(practice.roles, 'availability.edit');
  if (!can(practice.roles, 'appointments.book') && !mayBlock) {
    return (
      <div className="space-y-3">
        <h1 className="text-2xl font-bold">{t('title')}</h1>
        <p role="note" className="rounded-md border border-slate-300 bg-white p-3">
          {t('onlyStaff')}
        </p>
      </div>
    );
  }
  const mayBook = can(practice.roles, 'appointments.book');
  const services = await listServices(actor, practice.profileId);
  const askedStart = first(sp.start);
  const start = askedStart && !Number.isNaN(Date.parse(askedStart)) ? new Date(askedStart) : null;
  const askedDate = first(sp.date);
  const startDate = start ? localDateOf(start, tz) : undefined;
  const date = isBoundedDate(askedDate) ? askedDate : isBoundedDate(startDate) ? startDate : undefined;
  let serviceId = services.find((s) => s.id === first(sp.service))?.id;
  let free: { date: string; starts: Date[] } = { date: date ?? '', starts: [] };
  if (mayBook) {
    // A time clicked on the grid: the first service that may start then (unless one was chosen).
    for (const s of serviceId ? services.filter((x) => x.id === serviceId) : services) {
      const found = await listBookableStarts(actor, practice.profileId, { serviceId: s.id, date });
      if (!serviceId || !start || found.starts.some((x) => x.getTime() === start.getTime())) {
        serviceId = s.id;
        free = found;
        if (!start || found.starts.some((x) => x.getTime() === start.getTime())) break;
      }
    }
  }
  const options = free.starts.map((s) => ({ value: s.toISOString(), label: formatTime(locale, s, tz) }));
  const selected = start && options.some((o) => o.value === start.toISOString()) ? start.toISOString() : options[0]?.value;

  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-2xl font-bold">{t('title')}</h1>
        <p className="text-slate-700">
          {t('subtitle', { practice: practice.displayName, zone: zoneName(locale, tz) })}{' '}
          <Link href="/dashboard/appointments" className="text-brand-700 underline underline-offset-2">
            {t('back')}
          </Link>
        </p>
      </div>
      <Form action="/dashboard/appointments/book" className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3 text-sm">
        <div>
          <label htmlFor="book-service" className="block font-medium text-slate-800">
            {t('service')}
          </label>
          <select id="book-service" name="service" defaultValue={serviceId} className="mt-1 rounded-md border border-slate-400 bg-white px-2 py-1.5">
            {services.map((s) => (
              <option key={s.id} value={s.id}>
                {t('serviceOption', { name: s.name, minutes: s.durationMinutes })}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="book-date" className="block font-medium text-slate-800">
            {t('date')}
          </label>
          <input id="book-date" type="date" name="date" defaultValue={free.date} className="mt-1 rounded-md border border-slate-400 bg-white px-2 py-1" />
        </div>
        <button type="submit" className="rounded border border-slate-300 bg-white px-3 py-1.5 font-semibold hover:bg-slate-100">
          {t('show')}
        </button>
      </Form>
      {!mayBook ? null : serviceId && options.length > 0 ? (
        <PhoneInForm
          action={bookPhoneInAction}
          profileId={practice.profileId}
          serviceId={serviceId}
          dayLabel={formatLocalDate(locale, free.date)}
          options={options}
          selected={selected}
        />
      ) : (
        <p role="note" className="rounded-md border border-slate-300 bg-white p-3" data-testid="no-free-times">
          {t('noFree', { date: free.date ? formatLocalDate(locale, free.date) : '' })}
        </p>
      )}
      {mayBlock && start && (
        <BlockForm
          action={blockTimeAction}
          profileId={practice.profileId}
          from={start.toISOString()}
          label={formatTime(locale, start, tz)}
          ends={[15, 30, 60, 120, 240].map((m) => {
            const end = new Date(start.getTime() + m * 60_000);
            return { value: end.toISOString(), label: t('block.endOption', { time: formatTime(locale, end, tz), length: formatSpan(locale, m) }) };
          })}
        />
      )}
    </div>
  );
}
