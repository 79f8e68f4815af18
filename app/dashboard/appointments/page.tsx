import type { Metadata } from 'next';
import Form from 'next/form';
import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { Agenda } from '@/components/appointments/agenda';
import { agendaHref, agendaRange } from '@/components/appointments/agenda-range';
import { WeekGrid } from '@/components/appointments/week-grid';
import { groupByDay, listAgenda, listCalendar } from '@/lib/appointments';
import { can } from '@/lib/auth/permissions';
import { currentPractice, requireActor } from '@/lib/auth/session';
import { zoneName } from '@/lib/i18n/format';
import { pageLocale } from '@/lib/i18n/page-locale';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('appointments.page'))('title') };
}

interface PageProps {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

export default async function AppointmentsPage({ searchParams }: PageProps) {
  const sp = await searchParams;
  const actor = await requireActor();
  const practice = await currentPractice(actor);
  if (!practice) return null;
  const tz = practice.timeZone;
  const [t, locale] = await Promise.all([getTranslations('appointments.page'), pageLocale()]);
  const range = agendaRange({ view: first(sp.view), date: first(sp.date) }, tz, new Date(), locale);
  const [items, calendar] = await Promise.all([
    listAgenda(actor, practice.profileId, { from: range.from, to: range.to }),
    listCalendar(actor, practice.profileId, { from: range.from, to: range.to, dates: range.days }),
  ]);
  const days = groupByDay(range.days, items, tz);
  const listed = range.view === 'day' ? days : days.filter((d) => d.items.length > 0);
  const mayBook = can(practice.roles, 'appointments.book');
  const unit = range.view === 'day' ? 'day' : 'week';

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-bold">{t('title')}</h1>
          <p className="text-slate-700">
            <span data-testid="agenda-range">{range.label}</span> · <span title={tz}>{zoneName(locale, tz)}</span>
          </p>
        </div>
        {can(practice.roles, 'appointments.book') && (
          <Link href="/dashboard/appointments/book" className="rounded-md bg-brand-700 px-3 py-1.5 text-sm font-semibold text-white hover:bg-brand-800" data-testid="book-phone-in">
            {t('bookPhoneIn')}
          </Link>
        )}
        <nav aria-label={t('view')} className="flex rounded-md border border-slate-300 bg-white text-sm font-semibold">
          {(['day', 'week'] as const).map((v) => (
            <Link
              key={v}
              href={agendaHref(v, range.date)}
              aria-current={range.view === v ? 'page' : undefined}
              className={`px-3 py-1.5 first:rounded-l-md last:rounded-r-md ${range.view === v ? 'bg-brand-700 text-white' : 'text-slate-800 hover:bg-slate-100'}`}
            >
              {v === 'day' ? t('day') : t('week')}
            </Link>
          ))}
        </nav>
      </div>
      <div className="flex flex-wrap items-center gap-2">
        <nav aria-label={t('moveBy', { unit })} className="flex flex-wrap gap-2 text-sm">
          <Link href={agendaHref(range.view, range.prevDate)} className="rounded border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-100">
            {t('previous', { unit })}
          </Link>
          <Link href={agendaHref(range.view, range.today)} className="rounded border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-100">
            {t('today')}
          </Link>
          <Link href={agendaHref(range.view, range.nextDate)} className="rounded border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-100">
            {t('next', { unit })}
          </Link>
        </nav>
        <Form action="/dashboard/appointments" className="ml-auto flex items-center gap-2 text-sm">
          <input type="hidden" name="view" value={range.view} />
          <label htmlFor="agenda-date">{t('goToDate')}</label>
          <input id="agenda-date" type="date" name="date" defaultValue={range.date} className="rounded border border-slate-400 bg-white px-2 py-1" />
          <button type="submit" className="rounded border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-100">
            {t('show')}
          </button>
        </Form>
      </div>
      {range.dateIgnored && (
        <p role="note" className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm" data-testid="agenda-date-notice">
          {t('dateIgnored', { unit })}
        </p>
      )}
      <p className="hidden text-sm text-slate-700 md:block">
        <span className="mr-3 inline-block rounded border-l-4 border-brand-700 bg-brand-50 px-1.5">{t('legendAppointment')}</span>
        <span className="mr-3 inline-block rounded border border-dashed border-amber-700 bg-amber-50 px-1.5">{t('legendHeld')}</span>
        <span className="mr-3 inline-block rounded bg-slate-200 px-1.5">{t('legendBlocked')}</span>
        <span className="inline-block rounded border border-green-700/30 bg-green-50 px-1.5">{mayBook ? t('legendFreeBook') : t('legendFree')}</span>
      </p>
      <div className="hidden md:block">
        <WeekGrid
          days={calendar}
          timeZone={tz}
          today={range.today}
          linkAs={Link}
          locale={locale}
          bookHref={mayBook ? (start) => `/dashboard/appointments/book?start=${encodeURIComponent(start.toISOString())}` : undefined}
        />
      </div>
      <section aria-label={t('asListLabel')} className="space-y-2">
        <h2 className="hidden text-lg font-semibold md:block">{t('asList')}</h2>
        {listed.length ? (
          <Agenda days={listed} timeZone={tz} today={range.today} linkAs={Link} headingLevel={3} locale={locale} />
        ) : (
          <p className="rounded-lg border border-slate-200 bg-white p-4 text-slate-700" data-testid="agenda-empty">
            {t('empty')}
          </p>
        )}
      </section>
    </div>
  );
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
