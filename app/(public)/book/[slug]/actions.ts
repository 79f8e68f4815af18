'use server';

import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import type { AlternativeTime, BookingFormState } from '@/components/booking/types';
import { publicAction } from '@/lib/actions';
import { clientAddressFromHeaders, publicOriginFromHeaders } from '@/lib/api/http';
import { getPublicProfile } from '@/lib/availability/public-profile';
import { findBookableStarts } from '@/lib/availability/query';
import { addDays, localDateOf } from '@/lib/availability/time';
import { createRequest } from '@/lib/booking/create';
import { DomainError, isDomainError } from '@/lib/errors';
import { formatDateTime } from '@/lib/format';
import type { CreateRequestInput } from '@/lib/validation/requests';

type BookingForm = CreateRequestInput & { slug?: unknown };

const NEAREST_COUNT = 6;

/**
 * Sends the patient's request (createRequest, the same function as the JSON API) and opens its
 * status page. When the time was taken meanwhile, the state carries the nearest free times of the
 * same service, and publicAction echoes every typed value back.
 */
export async function requestAppointmentAction(prev: BookingFormState | undefined, formData: FormData): Promise<BookingFormState> {
  let alternatives: AlternativeTime[] | undefined;
  const state = await publicAction(
    async (form: BookingForm) => {
      const slug = String(form.slug ?? '');
      const h = await headers();
      let token: string;
      try {
        ({ token } = await createRequest({ clientAddress: clientAddressFromHeaders(h), baseUrl: publicOriginFromHeaders(h) }, slug, form));
      } catch (err) {
        if (isDomainError(err) && err.code === 'slot_unavailable') {
          alternatives = await nearestStarts(slug, String(form.serviceId), new Date(String(form.startsAt)));
          const next = alternatives.length ? 'Choose one of the nearest free times below and send again' : 'Choose another day';
          throw new DomainError('slot_unavailable', `${err.message} ${next}; what you typed is kept.`);
        }
        throw err;
      }
      redirect(`/requests/${token}?sent=1`);
    },
    { name: 'booking.request' },
  )(prev, formData);
  return alternatives ? { ...state, alternatives } : state;
}

/** The free starts of the same service closest to a time that was taken, in time order. */
async function nearestStarts(slug: string, serviceId: string, around: Date): Promise<AlternativeTime[]> {
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
