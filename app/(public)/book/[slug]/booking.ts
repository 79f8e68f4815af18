import { cache } from 'react';
import { getPublicProfile, type PublicProfile, type PublicService } from '@/lib/availability/public-profile';
import { findFirstFreeStarts } from '@/lib/availability/next';
import { findBookableStarts } from '@/lib/availability/query';
import { addDays, localDateOf, startOfLocalDay, todayIn } from '@/lib/availability/time';
import { practiceBySlug } from '@/lib/booking/create';
import { getVerification } from '@/lib/booking/verification';
import { isDomainError } from '@/lib/errors';
import { formatDateTime } from '@/lib/format';
import { notificationConfig } from '@/lib/notifications';
import type { CreateRequestBody } from '@/lib/validation/requests';
import { addMonths, firstDayOf, isLocalDate, isMonth, lastDayOf, monthOf } from '@/components/booking/calendar';
import type { BookingStep } from '@/components/booking/booking-steps';
import type { AlternativeTime } from '@/components/booking/types';

export interface BookingView {
  profile: PublicProfile;
  step: BookingStep;
  today: string;
  /** Something the patient asked for that cannot be had, said plainly. */
  notice?: string;
  service?: PublicService;
  month?: string;
  freeByDate?: Map<string, number>;
  /** The nearest earlier and later months with free times (empty months are skipped). */
  previousMonth?: string;
  nextMonth?: string;
  /** The first free start of each service (the service step), by service id. */
  firstFree?: Map<string, Date>;
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
export const loadBooking = cache(async (slug: string, q: string, nowIso?: string): Promise<BookingView | null> => {
  const now = nowIso ? new Date(nowIso) : new Date();
  const opts = { now };
  let profile: PublicProfile;
  try {
    profile = await getPublicProfile(slug);
  } catch (err) {
    if (isDomainError(err) && err.code === 'not_found') return null;
    throw err;
  }
  const params = new URLSearchParams(q);
  const tz = profile.timeZone;
  const today = todayIn(tz, now);
  const view: BookingView = { profile, step: 'service', today };

  const serviceId = params.get('service');
  const service = profile.services.find((s) => s.id === serviceId);
  if (!service) {
    if (serviceId) view.notice = 'That service is not offered online. Choose one of these.';
    // "First free time" beside each service: one statement for all of them.
    const first = await findFirstFreeStarts({ slug }, {}, opts);
    view.firstFree = new Map([...first].map(([id, f]) => [id, f.startsAt]));
    return view;
  }
  view.service = service;
  view.step = 'day';

  const timeParam = params.get('time');
  const time = timeParam && !Number.isNaN(Date.parse(timeParam)) ? new Date(timeParam) : undefined;
  const dayParam = params.get('day') ?? undefined;
  const monthParam = params.get('month') ?? undefined;
  let day = isLocalDate(dayParam) ? dayParam : time ? localDateOf(time, tz) : undefined;

  const thisMonth = monthOf(today);
  const lastMonth = addMonths(thisMonth, MAX_MONTHS_AHEAD);
  const asked = isMonth(monthParam) ? monthParam : day ? monthOf(day) : undefined;
  let month = asked && asked >= thisMonth && asked <= lastMonth ? asked : thisMonth;
  if (!asked) {
    // Nothing asked for yet: open on the first day with free times, whatever its month.
    const first = (await findFirstFreeStarts({ slug }, { serviceIds: [service.id] }, opts)).get(service.id);
    if (first) {
      day = localDateOf(first.startsAt, tz);
      month = monthOf(day);
    }
  }

  const monthStart = startOfLocalDay(firstDayOf(month), tz);
  const monthEnd = startOfLocalDay(firstDayOf(addMonths(month, 1)), tz);
  const [result, later, earlier] = await Promise.all([
    findBookableStarts({ slug }, { serviceId: service.id, from: firstDayOf(month) < today ? today : firstDayOf(month), to: lastDayOf(month) }, opts),
    // The calendar's arrows skip months without free times.
    findFirstFreeStarts({ slug }, { serviceIds: [service.id], after: monthEnd }, opts),
    month > thisMonth ? findFirstFreeStarts({ slug }, { serviceIds: [service.id], before: monthStart, last: true }, opts) : undefined,
  ]);
  const starts = result.starts;
  const nextStart = later.get(service.id)?.startsAt;
  const previousStart = earlier?.get(service.id)?.startsAt;

  const freeByDate = new Map<string, number>();
  const byDate = new Map<string, Date[]>();
  for (const s of starts) {
    const date = localDateOf(s.startsAt, tz);
    freeByDate.set(date, (freeByDate.get(date) ?? 0) + 1);
    byDate.set(date, [...(byDate.get(date) ?? []), s.startsAt]);
  }
  const nextMonth = nextStart ? monthOf(localDateOf(nextStart, tz)) : undefined;
  Object.assign(view, {
    month,
    freeByDate,
    previousMonth: previousStart ? monthOf(localDateOf(previousStart, tz)) : undefined,
    nextMonth: nextMonth && nextMonth <= lastMonth ? nextMonth : undefined,
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

/** Where the one-time code goes for this practice: WhatsApp where it is on, else e-mail. */
export async function codeChannel(slug: string): Promise<'email' | 'whatsapp'> {
  const practice = await practiceBySlug(slug);
  return practice.whatsappEnabled && notificationConfig().whatsapp ? 'whatsapp' : 'email';
}

/**
 * What the patient typed before the code step, to put back in the details form ("use another
 * e-mail", or starting again after the code expired). Only for this practice and service.
 */
export async function typedBefore(verificationId: string | undefined, slug: string, serviceId: string): Promise<Record<string, string> | undefined> {
  if (!verificationId) return undefined;
  let body: CreateRequestBody;
  try {
    const view = await getVerification(verificationId);
    if (view.slug !== slug || view.serviceId !== serviceId) return undefined;
    body = view.body;
  } catch (err) {
    if (isDomainError(err)) return undefined;
    throw err;
  }
  return formValuesOf(body);
}

/** A request body as the details form's fields hold it. */
export function formValuesOf(body: CreateRequestBody): Record<string, string> {
  const values: Record<string, string> = {
    'patient.name': body.patient.name,
    'patient.phone': body.patient.phone,
  };
  if (body.patient.email) values['patient.email'] = body.patient.email;
  if (body.patient.dateOfBirth) values['patient.dateOfBirth'] = body.patient.dateOfBirth;
  if (body.reason) values.reason = body.reason;
  if (body.consent) values.consent = 'on';
  if (body.whatsappOptOut) values.whatsappOptOut = 'on';
  return values;
}

const NEAREST_COUNT = 6;

/** The free starts of the same service closest to a time that was taken, in time order. */
export async function nearestStarts(slug: string, serviceId: string, around: Date): Promise<AlternativeTime[]> {
  try {
    const { timeZone } = await getPublicProfile(slug);
    const day = localDateOf(around, timeZone);
    const near = await findBookableStarts({ slug }, { serviceId, from: addDays(day, -1), to: addDays(day, 7) });
    let starts = near.starts.filter((s) => s.startsAt.getTime() !== around.getTime());
    if (starts.length < NEAREST_COUNT) {
      const later = await findBookableStarts({ slug }, { serviceId, from: addDays(day, 8), to: addDays(day, 30) });
      starts = starts.concat(later.starts);
    }
    return starts
      .map((s) => ({ s, distance: Math.abs(s.startsAt.getTime() - around.getTime()) }))
      .sort((a, b) => a.distance - b.distance)
      .slice(0, NEAREST_COUNT)
      .map(({ s }) => s)
      .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime())
      .map((s) => ({ startsAt: s.startsAt.toISOString(), label: formatDateTime(s.startsAt, timeZone) }));
  } catch (err) {
    // The service or practice went away meanwhile: nothing to offer.
    if (isDomainError(err)) return [];
    throw err;
  }
}

/** Whether a start is still one the booking page offers for the service. */
export async function isStillFree(slug: string, serviceId: string, startsAt: Date, timeZone: string): Promise<boolean> {
  const day = localDateOf(startsAt, timeZone);
  try {
    const { starts } = await findBookableStarts({ slug }, { serviceId, from: day, to: day });
    return starts.some((s) => s.startsAt.getTime() === startsAt.getTime());
  } catch (err) {
    if (isDomainError(err)) return false;
    throw err;
  }
}
