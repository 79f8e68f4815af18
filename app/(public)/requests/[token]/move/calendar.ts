import { findFirstFreeStarts } from '@/lib/availability/next';
import { findBookableStarts } from '@/lib/availability/query';
import { localDateOf, startOfLocalDay, todayIn } from '@/lib/availability/time';
import type { MoveContext } from '@/lib/booking/move';
import { addMonths, firstDayOf, isLocalDate, isMonth, lastDayOf, monthOf } from '@/components/booking/calendar';
import type { SelectionHref } from '@/components/booking/hrefs';

/** The move page's calendar: the same free times, month arrows and steps as the booking page, for the request's service. */
export interface MoveCalendar {
  today: string;
  month: string;
  freeByDate: Map<string, number>;
  previousMonth?: string;
  nextMonth?: string;
  day?: string;
  dayStarts: Date[];
  /** The chosen new time, when it is still free. */
  chosen?: { startsAt: Date; endsAt: Date };
  /** Why no time is chosen: status.movePage.taken (that time went) or dayFull (no time left that day). */
  notice?: 'taken' | 'dayFull';
}

const MAX_MONTHS_AHEAD = 24;

export function moveHref(token: string): SelectionHref {
  return (selection, hash) => {
    const params = new URLSearchParams();
    for (const key of ['month', 'day', 'time'] as const) if (selection[key]) params.set(key, selection[key]!);
    const query = params.toString();
    return `/requests/${encodeURIComponent(token)}/move${query ? `?${query}` : ''}${hash ? `#${hash}` : ''}`;
  };
}

export async function loadMoveCalendar(context: MoveContext, sp: Record<string, string | string[] | undefined>, now: Date): Promise<MoveCalendar> {
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.slice(0, 64);
  const practice = { profileId: context.profile.id };
  const tz = context.profile.timeZone;
  const serviceId = context.service.id;
  const opts = { now };
  const today = todayIn(tz, now);
  const timeParam = first(sp.time);
  const time = timeParam && !Number.isNaN(Date.parse(timeParam)) ? new Date(timeParam) : undefined;
  const dayParam = first(sp.day);
  const monthParam = first(sp.month);
  let day = isLocalDate(dayParam) ? dayParam : time ? localDateOf(time, tz) : undefined;
  const thisMonth = monthOf(today);
  const lastMonth = addMonths(thisMonth, MAX_MONTHS_AHEAD);
  const asked = isMonth(monthParam) ? monthParam : day ? monthOf(day) : undefined;
  let month = asked && asked >= thisMonth && asked <= lastMonth ? asked : undefined;
  if (!month) {
    // Open on the current time's month when it has other free times, else on the first free day.
    const firstFree = (await findFirstFreeStarts(practice, { serviceIds: [serviceId] }, opts)).get(serviceId);
    month = firstFree ? monthOf(localDateOf(firstFree.startsAt, tz)) : monthOf(localDateOf(context.startsAt, tz));
    if (month < thisMonth) month = thisMonth;
  }
  const monthStart = startOfLocalDay(firstDayOf(month), tz);
  const monthEnd = startOfLocalDay(firstDayOf(addMonths(month, 1)), tz);
  const [result, later, earlier] = await Promise.all([
    findBookableStarts(practice, { serviceId, from: firstDayOf(month) < today ? today : firstDayOf(month), to: lastDayOf(month) }, opts),
    findFirstFreeStarts(practice, { serviceIds: [serviceId], after: monthEnd }, opts),
    month > thisMonth ? findFirstFreeStarts(practice, { serviceIds: [serviceId], before: monthStart, last: true }, opts) : undefined,
  ]);
  const freeByDate = new Map<string, number>();
  const byDate = new Map<string, Date[]>();
  for (const s of result.starts) {
    const date = localDateOf(s.startsAt, tz);
    freeByDate.set(date, (freeByDate.get(date) ?? 0) + 1);
    byDate.set(date, [...(byDate.get(date) ?? []), s.startsAt]);
  }
  const nextStart = later.get(serviceId)?.startsAt;
  const previousStart = earlier?.get(serviceId)?.startsAt;
  const nextMonth = nextStart ? monthOf(localDateOf(nextStart, tz)) : undefined;
  const view: MoveCalendar = {
    today,
    month,
    freeByDate,
    previousMonth: previousStart ? monthOf(localDateOf(previousStart, tz)) : undefined,
    nextMonth: nextMonth && nextMonth <= lastMonth ? nextMonth : undefined,
    dayStarts: [],
  };
  if (!day || monthOf(day) !== month) return view;
  view.day = day;
  view.dayStarts = byDate.get(day) ?? [];
  if (time && localDateOf(time, tz) === day) {
    if (view.dayStarts.some((s) => s.getTime() === time.getTime())) {
      view.chosen = { startsAt: time, endsAt: new Date(time.getTime() + context.service.durationMinutes * 60_000) };
    } else {
      view.notice = 'taken';
    }
  } else if (!view.dayStarts.length) {
    day = undefined;
    view.notice = 'dayFull';
  }
  return view;
}
