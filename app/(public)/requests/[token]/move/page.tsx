import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { formatDay } from '@/components/booking/calendar';
import { MonthCalendar } from '@/components/booking/month-calendar';
import { PublicShell } from '@/components/booking/public-shell';
import { TimeList } from '@/components/booking/time-list';
import { TimesIn, zoneLabel } from '@/components/booking/zone-name';
import { MoveConfirm, WithdrawMove } from '@/components/requests/move-forms';
import { moveContext, type MoveContext } from '@/lib/booking/move';
import { isDomainError } from '@/lib/errors';
import { formatDateTime, formatTime } from '@/lib/format';
import { loadMoveCalendar, moveHref } from './calendar';

// Free times change with every request: always read them fresh.
export const dynamic = 'force-dynamic';

export const metadata: Metadata = {
  title: 'Move to another time',
  robots: { index: false, follow: false },
  referrer: 'same-origin',
};

interface PageProps {
  params: Promise<{ token: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

/**
 * Issue 15: the patient picks another free time for their request, with the booking page's
 * calendar and times. A pending request moves at once; an appointment's move waits for the
 * practice, and the appointment keeps its time until then.
 */
export default async function MovePage({ params, searchParams }: PageProps) {
  const [{ token }, sp] = await Promise.all([params, searchParams]);
  const now = new Date();
  let context: MoveContext;
  try {
    context = await moveContext(token, { now });
  } catch (err) {
    if (isDomainError(err) && err.code === 'not_found') notFound();
    throw err;
  }
  const tz = context.profile.timeZone;
  const long = (d: Date) => `${formatDateTime(d, tz, { weekday: 'long', day: 'numeric', month: 'long' })}–`;
  const current = `${long(context.startsAt)}${formatTime(context.endsAt, tz)} (${zoneLabel(tz)})`;
  const back = `/requests/${encodeURIComponent(token)}`;
  const what = context.needsApproval ? 'appointment' : 'request';

  return (
    <PublicShell>
      <h1 className="text-3xl font-bold tracking-tight">Move to another time</h1>
      <p className="mt-2 text-slate-700">
        {context.service.name} with {context.profile.name}
      </p>
      <p className="mt-4 rounded-lg border border-slate-300 bg-white p-4">
        <span className="block text-sm font-semibold text-slate-700">Your {what} now</span>
        <span className="block font-semibold">{current}</span>
      </p>

      {context.pendingMove ? (
        <section aria-labelledby="waiting-heading" className="mt-6 rounded-lg border-2 border-amber-400 bg-amber-50 p-4">
          <h2 id="waiting-heading" className="text-xl font-semibold">
            Waiting for the practice
          </h2>
          <p className="mt-2">
            You asked to move to {long(context.pendingMove.toStartsAt)}
            {formatTime(context.pendingMove.toEndsAt, tz)}. Until {context.profile.name} answers (by {formatDateTime(context.pendingMove.deadline, tz)}), your appointment stays
            at its time.
          </p>
          <WithdrawMove token={token} />
        </section>
      ) : context.refusal ? (
        <p role="status" className="mt-6 rounded-md border border-amber-300 bg-amber-50 p-3 text-amber-950" data-testid="move-refusal">
          {context.refusal}
        </p>
      ) : (
        <Chooser token={token} context={context} sp={sp} now={now} current={current} />
      )}

      <p className="mt-8">
        <Link href={back} className="font-semibold text-brand-700 underline underline-offset-2">
          Back to your {what}
        </Link>
      </p>
    </PublicShell>
  );
}

async function Chooser({ token, context, sp, now, current }: { token: string; context: MoveContext; sp: Record<string, string | string[] | undefined>; now: Date; current: string }) {
  const tz = context.profile.timeZone;
  const calendar = await loadMoveCalendar(context, sp, now);
  const href = moveHref(token);
  const moves = context.movesLeft === 1 ? 'This is the last move this practice allows online.' : `You can move it ${context.movesLeft} more times online.`;
  const cutoff = `Moves are possible until ${formatDateTime(context.cutoffAt, tz)} (${zoneLabel(tz)}).`;
  if (calendar.chosen) {
    const { startsAt, endsAt } = calendar.chosen;
    const next = context.needsApproval
      ? `${context.profile.name} is asked to approve the move. The new time is held for you meanwhile, and your appointment stays at ${current} unless they approve.`
      : `Your request will ask for the new time at once and the current one is freed. ${context.profile.name} still has to answer the request.`;
    return (
      <section aria-labelledby="confirm-heading" className="mt-6">
        <MoveConfirm
          token={token}
          startsAt={startsAt.toISOString()}
          from={current}
          to={`${formatDateTime(startsAt, tz, { weekday: 'long', day: 'numeric', month: 'long' })}–${formatTime(endsAt, tz)} (${zoneLabel(tz)})`}
          next={next}
          backHref={href({ day: calendar.day }, 'times')}
        />
      </section>
    );
  }
  return (
    <>
      <p className="mt-4 text-slate-700">
        {context.needsApproval ? 'The practice approves a move of an appointment; until then it keeps its time.' : 'Your request moves at once and still waits for the practice’s answer.'} {cutoff} {moves}
      </p>
      {calendar.notice && (
        <p role="status" className="mt-4 rounded-md border border-amber-300 bg-amber-50 p-3 text-amber-950">
          {calendar.notice}
        </p>
      )}
      <section id="day" aria-labelledby="day-heading" className="mt-6 scroll-mt-4">
        <h2 id="day-heading" className="text-xl font-semibold">
          Choose a day
        </h2>
        <div className="mt-3">
          <MonthCalendar
            slug={context.profile.slug}
            serviceId={context.service.id}
            month={calendar.month}
            freeByDate={calendar.freeByDate}
            selectedDay={calendar.day}
            today={calendar.today}
            previousMonth={calendar.previousMonth}
            nextMonth={calendar.nextMonth}
            hrefOf={href}
          />
        </div>
      </section>
      {calendar.day && calendar.dayStarts.length > 0 && (
        <section id="times" aria-labelledby="times-heading" className="mt-8 scroll-mt-4">
          <h2 id="times-heading" className="text-xl font-semibold">
            Choose a time on {formatDay(calendar.day)}
          </h2>
          <TimesIn timeZone={tz} className="mt-1 block text-sm text-slate-700" />
          <div className="mt-3">
            <TimeList slug={context.profile.slug} serviceId={context.service.id} day={calendar.day} starts={calendar.dayStarts} timeZone={tz} hrefOf={href} />
          </div>
        </section>
      )}
    </>
  );
}
