import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { MonthCalendar } from '@/components/booking/month-calendar';
import { PublicShell } from '@/components/booking/public-shell';
import { TimeList } from '@/components/booking/time-list';
import { TimesIn } from '@/components/booking/zone-name';
import { MoveConfirm, WithdrawMove } from '@/components/requests/move-forms';
import { moveContext, type MoveContext } from '@/lib/booking/move';
import { isDomainError } from '@/lib/errors';
import { localizeError } from '@/lib/i18n/errors';
import { formatDateTime, formatLocalDate, formatTime, zoneName } from '@/lib/i18n/format';
import type { Locale } from '@/lib/i18n/locales';
import { pageLocale } from '@/lib/i18n/page-locale';
import { loadMoveCalendar, moveHref } from './calendar';

// Free times change with every request: always read them fresh.
export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  return { ...metadata, title: (await getTranslations('status.movePage'))('title') };
}

const metadata: Metadata = {
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
  const [t, locale] = await Promise.all([getTranslations('status.movePage'), pageLocale()]);
  const tz = context.profile.timeZone;
  const long = (d: Date) => `${formatDateTime(locale, d, tz, { weekday: 'long', day: 'numeric', month: 'long' })}–`;
  const current = `${long(context.startsAt)}${formatTime(locale, context.endsAt, tz)} (${zoneName(locale, tz)})`;
  const back = `/requests/${encodeURIComponent(token)}`;
  const what = context.needsApproval ? 'appointment' : 'request';

  return (
    <PublicShell>
      <h1 className="text-3xl font-bold tracking-tight">{t('title')}</h1>
      <p className="mt-2 text-slate-700">{t('with', { service: context.service.name, practice: context.profile.name })}</p>
      <p className="mt-4 rounded-lg border border-slate-300 bg-white p-4">
        <span className="block text-sm font-semibold text-slate-700">{t('now', { what })}</span>
        <span className="block font-semibold">{current}</span>
      </p>

      {context.pendingMove ? (
        <section aria-labelledby="waiting-heading" className="mt-6 rounded-lg border-2 border-amber-400 bg-amber-50 p-4">
          <h2 id="waiting-heading" className="text-xl font-semibold">
            {t('waiting')}
          </h2>
          <p className="mt-2">
            {t('waitingText', {
              time: `${long(context.pendingMove.toStartsAt)}${formatTime(locale, context.pendingMove.toEndsAt, tz)}`,
              practice: context.profile.name,
              deadline: formatDateTime(locale, context.pendingMove.deadline, tz),
            })}
          </p>
          <WithdrawMove token={token} />
        </section>
      ) : context.refusal ? (
        <p role="status" className="mt-6 rounded-md border border-amber-300 bg-amber-50 p-3 text-amber-950" data-testid="move-refusal">
          {localizeError(context.refusal, locale, context.refusalCode ?? undefined)}
        </p>
      ) : (
        <Chooser token={token} context={context} sp={sp} now={now} current={current} locale={locale} />
      )}

      <p className="mt-8">
        <Link href={back} className="font-semibold text-brand-700 underline underline-offset-2">
          {t('back', { what })}
        </Link>
      </p>
    </PublicShell>
  );
}

async function Chooser({ token, context, sp, now, current, locale }: { token: string; context: MoveContext; sp: Record<string, string | string[] | undefined>; now: Date; current: string; locale: Locale }) {
  const tz = context.profile.timeZone;
  const [calendar, t, tBook, tZone] = await Promise.all([
    loadMoveCalendar(context, sp, now),
    getTranslations('status.movePage'),
    getTranslations('booking.page'),
    getTranslations('booking.zone'),
  ]);
  const href = moveHref(token);
  const moves = context.movesLeft === 1 ? t('movesLast') : t('movesLeft', { count: context.movesLeft });
  const cutoff = t('cutoff', { time: formatDateTime(locale, context.cutoffAt, tz), zone: zoneName(locale, tz) });
  if (calendar.chosen) {
    const { startsAt, endsAt } = calendar.chosen;
    const next = context.needsApproval
      ? t('nextApproval', { practice: context.profile.name, current })
      : t('nextPending', { practice: context.profile.name });
    return (
      <section aria-labelledby="confirm-heading" className="mt-6">
        <MoveConfirm
          token={token}
          startsAt={startsAt.toISOString()}
          from={current}
          to={`${formatDateTime(locale, startsAt, tz, { weekday: 'long', day: 'numeric', month: 'long' })}–${formatTime(locale, endsAt, tz)} (${zoneName(locale, tz)})`}
          next={next}
          backHref={href({ day: calendar.day }, 'times')}
        />
      </section>
    );
  }
  return (
    <>
      <p className="mt-4 text-slate-700">
        {context.needsApproval ? t('introApproval') : t('introPending')} {cutoff} {moves}
      </p>
      {calendar.notice && (
        <p role="status" className="mt-4 rounded-md border border-amber-300 bg-amber-50 p-3 text-amber-950">
          {calendar.notice === 'taken' ? t('taken') : t('dayFull')}
        </p>
      )}
      <section id="day" aria-labelledby="day-heading" className="mt-6 scroll-mt-4">
        <h2 id="day-heading" className="text-xl font-semibold">
          {tBook('chooseDay')}
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
            {tBook('chooseTimeOn', { day: formatLocalDate(locale, calendar.day) })}
          </h2>
          <TimesIn timeZone={tz} text={tZone('allTimes', { zone: zoneName(locale, tz) })} className="mt-1 block text-sm text-slate-700" />
          <div className="mt-3">
            <TimeList slug={context.profile.slug} serviceId={context.service.id} day={calendar.day} starts={calendar.dayStarts} timeZone={tz} hrefOf={href} />
          </div>
        </section>
      )}
    </>
  );
}
