import type { Metadata } from 'next';
import Form from 'next/form';
import Link from 'next/link';
import { Agenda } from '@/components/appointments/agenda';
import { agendaHref, agendaRange } from '@/components/appointments/agenda-range';
import { groupByDay, listAgenda } from '@/lib/appointments';
import { can } from '@/lib/auth/permissions';
import { currentPractice, requireActor } from '@/lib/auth/session';

export const dynamic = 'force-dynamic';

export const metadata: Metadata = { title: 'Appointments' };

interface PageProps {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

export default async function AppointmentsPage({ searchParams }: PageProps) {
  const sp = await searchParams;
  const actor = await requireActor();
  const practice = await currentPractice(actor);
  if (!practice) return null;
  const tz = practice.timeZone;
  const range = agendaRange({ view: first(sp.view), date: first(sp.date) }, tz);
  const items = await listAgenda(actor, practice.profileId, { from: range.from, to: range.to });
  const days = groupByDay(range.days, items, tz);
  const unit = range.view === 'day' ? 'day' : 'week';

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-bold">Appointments</h1>
          <p className="text-slate-700">
            <span data-testid="agenda-range">{range.label}</span> · times in {tz}
          </p>
        </div>
        {can(practice.roles, 'appointments.book') && (
          <Link href="/dashboard/appointments/book" className="rounded-md bg-brand-700 px-3 py-1.5 text-sm font-semibold text-white hover:bg-brand-800" data-testid="book-phone-in">
            Book a phone-in patient
          </Link>
        )}
        <nav aria-label="View" className="flex rounded-md border border-slate-300 bg-white text-sm font-semibold">
          {(['day', 'week'] as const).map((v) => (
            <Link
              key={v}
              href={agendaHref(v, range.date)}
              aria-current={range.view === v ? 'page' : undefined}
              className={`px-3 py-1.5 first:rounded-l-md last:rounded-r-md ${range.view === v ? 'bg-brand-700 text-white' : 'text-slate-800 hover:bg-slate-100'}`}
            >
              {v === 'day' ? 'Day' : 'Week'}
            </Link>
          ))}
        </nav>
      </div>
      <div className="flex flex-wrap items-center gap-2">
        <nav aria-label={`Move by ${unit}`} className="flex flex-wrap gap-2 text-sm">
          <Link href={agendaHref(range.view, range.prevDate)} className="rounded border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-100">
            ← Previous {unit}
          </Link>
          <Link href={agendaHref(range.view, range.today)} className="rounded border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-100">
            Today
          </Link>
          <Link href={agendaHref(range.view, range.nextDate)} className="rounded border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-100">
            Next {unit} →
          </Link>
        </nav>
        <Form action="/dashboard/appointments" className="ml-auto flex items-center gap-2 text-sm">
          <input type="hidden" name="view" value={range.view} />
          <label htmlFor="agenda-date">Go to date</label>
          <input id="agenda-date" type="date" name="date" defaultValue={range.date} className="rounded border border-slate-400 bg-white px-2 py-1" />
          <button type="submit" className="rounded border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-100">
            Show
          </button>
        </Form>
      </div>
      {range.dateIgnored && (
        <p role="note" className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm" data-testid="agenda-date-notice">
          That date could not be shown (dates from 1900 to 2200 can); here is {range.view === 'day' ? 'today' : 'this week'}.
        </p>
      )}
      <Agenda days={days} timeZone={tz} today={range.today} linkAs={Link} />
    </div>
  );
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
