import { cache } from 'react';
import type { BookableStart } from '@/lib/availability/generate';
import { getPublicProfile, type PublicProfile, type PublicService } from '@/lib/availability/public-profile';
import { findBookableStarts } from '@/lib/availability/query';
import { localDateOf, todayIn } from '@/lib/availability/time';
import { isDomainError } from '@/lib/errors';
import { addMonths, firstDayOf, isLocalDate, isMonth, lastDayOf, monthOf } from '@/components/booking/calendar';
import type { BookingStep } from '@/components/booking/booking-steps';

export interface BookingView {
  profile: PublicProfile;
  step: BookingStep;
  today: string;
  /** Something the patient asked for that cannot be had, said plainly. */
  notice?: string;
  service?: PublicService;
  month?: string;
  freeByDate?: Map<string, number>;
  hasPrevious?: boolean;
  hasNext?: boolean;
  day?: string;
  dayStarts?: Date[];
  start?: { startsAt: Date; endsAt: Date };
  /** The chosen time is no longer free. */
  taken?: boolean;
}

/** How far ahead the calendar may be paged when the practice still has free times there. */
const MAX_MONTHS_AHEAD = 24;

/**
 * What the booking page shows for its URL (?service&month&day&time), read once per request (the
 * page and its metadata share it). Null for an unknown or inactive practice.
 */
export const loadBooking = cache(async (slug: string, q: string): Promise<BookingView | null> => {
  let profile: PublicProfile;
  try {
    profile = await getPublicProfile(slug);
  } catch (err) {
    if (isDomainError(err) && err.code === 'not_found') return null;
    throw err;
  }
  const params = new URLSearchParams(q);
  const tz = profile.timeZone;
  const today = todayIn(tz);
  const view: BookingView = { profile, step: 'service', today };

  const serviceId = params.get('service');
  const service = profile.services.find((s) => s.id === serviceId);
  if (!service) {
    if (serviceId) view.notice = 'That service is not offered online. Choose one of these.';
    return view;
  }
  view.service = service;
  view.step = 'day';

  const timeParam = params.get('time');
  const time = timeParam && !Number.isNaN(Date.parse(timeParam)) ? new Date(timeParam) : undefined;
  const dayParam = params.get('day') ?? undefined;
  const monthParam = params.get('month') ?? undefined;
  const day = isLocalDate(dayParam) ? dayParam : time ? localDateOf(time, tz) : undefined;

  const thisMonth = monthOf(today);
  const asked = isMonth(monthParam) ? monthParam : day ? monthOf(day) : undefined;
  let month = asked && asked >= thisMonth && asked <= addMonths(thisMonth, MAX_MONTHS_AHEAD) ? asked : thisMonth;

  const startsOf = async (m: string): Promise<BookableStart[]> => {
    const from = firstDayOf(m) < today ? today : firstDayOf(m);
    const result = await findBookableStarts({ slug }, { serviceId: service.id, from, to: lastDayOf(m) });
    return result.starts;
  };
  let [starts, nextStarts] = await Promise.all([startsOf(month), startsOf(addMonths(month, 1))]);
  // Late in a month with nothing left, open on the first month that has free times.
  if (!asked && !starts.length && nextStarts.length) {
    month = addMonths(month, 1);
    [starts, nextStarts] = [nextStarts, await startsOf(addMonths(month, 1))];
  }

  const freeByDate = new Map<string, number>();
  const byDate = new Map<string, Date[]>();
  for (const s of starts) {
    const date = localDateOf(s.startsAt, tz);
    freeByDate.set(date, (freeByDate.get(date) ?? 0) + 1);
    byDate.set(date, [...(byDate.get(date) ?? []), s.startsAt]);
  }
  Object.assign(view, {
    month,
    freeByDate,
    hasPrevious: month > thisMonth,
    hasNext: nextStarts.length > 0 && month < addMonths(thisMonth, MAX_MONTHS_AHEAD),
  });

  if (!day || monthOf(day) !== month) return view;
  view.day = day;
  view.dayStarts = byDate.get(day) ?? [];
  view.step = 'time';

  if (time && localDateOf(time, tz) === day) {
    const free = view.dayStarts.find((s) => s.getTime() === time.getTime());
    view.start = { startsAt: time, endsAt: new Date(time.getTime() + service.durationMinutes * 60_000) };
    view.step = 'details';
    // A time taken since the link was made still opens the form: the form then offers the nearest
    // free times (and a form posted without JavaScript re-renders here with its answer).
    if (!free) {
      view.taken = true;
      view.notice = 'That time is no longer free. Change the time, or send the form to see the nearest free times.';
    }
    return view;
  }
  if (timeParam) view.notice = 'That time is not on offer. Choose one of the free times.';
  else if (!view.dayStarts.length) view.notice = 'There are no free times left on that day. Choose another day.';
  return view;
});
