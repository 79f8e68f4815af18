'use server';

import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import type { AlternativeTime, BookingFormState } from '@/components/booking/types';
import { actionLocale, publicAction } from '@/lib/actions';
import { clientAddressFromHeaders, publicOriginFromHeaders } from '@/lib/api/http';
import { createRequest } from '@/lib/booking/create';
import { readRememberedContacts, REMEMBERED_COOKIE } from '@/lib/booking/remembered';
import { DomainError, isDomainError } from '@/lib/errors';
import { errorText } from '@/lib/i18n/errors';
import type { CreateRequestInput } from '@/lib/validation/requests';
import { nearestStarts } from './booking';

type BookingForm = CreateRequestInput & { slug?: unknown };

/**
 * Sends the patient's details (createRequest, the same function as the JSON API). A contact this
 * browser proved before creates the request at once and opens its status page; otherwise a code
 * goes to the patient and the code step opens (nothing is held yet). When the time was taken
 * meanwhile, the state carries the nearest free times of the same service, and publicAction
 * echoes every typed value back.
 */
export async function requestAppointmentAction(prev: BookingFormState | undefined, formData: FormData): Promise<BookingFormState> {
  let alternatives: AlternativeTime[] | undefined;
  const state = await publicAction(
    async (form: BookingForm) => {
      const slug = String(form.slug ?? '');
      const h = await headers();
      const remembered = readRememberedContacts((await cookies()).get(REMEMBERED_COOKIE)?.value);
      let outcome: Awaited<ReturnType<typeof createRequest>>;
      try {
        outcome = await createRequest(
          { clientAddress: clientAddressFromHeaders(h), baseUrl: publicOriginFromHeaders(h), rememberedContacts: remembered },
          slug,
          // The request remembers the page's language: every message to the patient is written in it.
          { ...form, locale: await actionLocale() },
        );
      } catch (err) {
        // The schema speaks of "the patient" (the API, the phone-in form); here the patient reads it.
        if (isDomainError(err) && err.fields?.['patient.name'] === 'Enter the patient’s name.') {
          throw new DomainError(err.code, err.message, { ...err.fields, 'patient.name': errorText('booking.enterYourName') });
        }
        if (isDomainError(err) && err.code === 'slot_unavailable') {
          alternatives = await nearestStarts(slug, String(form.serviceId), new Date(String(form.startsAt)));
          throw new DomainError('slot_unavailable', errorText('booking.slotTaken', { message: err.message, next: alternatives.length ? 'alternatives' : 'day' }));
        }
        throw err;
      }
      if (outcome.kind === 'created') redirect(`/requests/${outcome.request.token}?sent=1`);
      redirect(`/book/${encodeURIComponent(slug)}/verify/${outcome.verification.id}`);
    },
    { name: 'booking.request' },
  )(prev, formData);
  return alternatives ? { ...state, alternatives } : state;
}
