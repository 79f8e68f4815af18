'use server';

import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import type { Db } from '@/db/client';
import type { AlternativeTime, BookingFormState } from '@/components/booking/types';
import { publicAction } from '@/lib/actions';
import { getPublicProfile } from '@/lib/availability/public-profile';
import { findBookableStartsBySlug } from '@/lib/availability/query';
import { addDays, localDateOf } from '@/lib/availability/time';
import { createRequest } from '@/lib/booking/create';
import { env } from '@/lib/env';
import { DomainError, isDomainError } from '@/lib/errors';
import { formatDateTime } from '@/lib/format';
import { profileSlugSchema } from '@/lib/validation/api';
import { createRequestBodySchema, type CreateRequestBody } from '@/lib/validation/requests';
import { clientAddressFromHeaders } from '@/lib/api/http';

const body = createRequestBodySchema.shape;
const patient = body.patient.shape;

/** Form fields arrive as strings: blank is "not given", a ticked checkbox is "on". */
const optionalText = (v: unknown) => (typeof v === 'string' ? v.trim() || undefined : v);
const ticked = (v: unknown) => (v === 'on' || v === 'true' ? true : undefined);
/** "+34 600 111 222" and "+34-600-111-222" are the same number as "+34600111222". */
const phoneDigits = (v: unknown) => (typeof v === 'string' ? v.replace(/[\s\-().]/g, '') : v);

/**
 * The booking form, flat as FormData is, keyed by the same dot paths the API reports errors under
 * (`patient.phone`), and validated field by field by the API's own schema (createRequestBodySchema).
 */
const requestFormSchema = z.object({
  slug: profileSlugSchema,
  serviceId: body.serviceId,
  startsAt: z.string({ error: 'Choose a time.' }).pipe(body.startsAt),
  'patient.name': patient.name,
  'patient.phone': z.preprocess(phoneDigits, patient.phone),
  'patient.email': z.preprocess(optionalText, patient.email),
  'patient.dateOfBirth': z.preprocess(optionalText, patient.dateOfBirth),
  reason: z.preprocess(optionalText, body.reason),
  consent: z.preprocess(ticked, body.consent),
  // Unticked leaves an earlier choice as it was: the form never turns WhatsApp back on by itself.
  whatsappOptOut: z.preprocess(ticked, body.whatsappOptOut),
});

const NEAREST_COUNT = 6;

/**
 * Sends the patient's request (createRequest, the same function as the JSON API) and opens its
 * status page. When the time was taken meanwhile, the state carries the nearest free times of the
 * same service, and publicAction echoes every typed value back.
 */
export async function requestAppointmentAction(prev: BookingFormState | undefined, formData: FormData): Promise<BookingFormState> {
  let alternatives: AlternativeTime[] | undefined;
  const state = await publicAction(requestFormSchema, async (form, { db }) => {
    const request: CreateRequestBody = {
      serviceId: form.serviceId,
      startsAt: form.startsAt,
      patient: {
        name: form['patient.name'],
        phone: form['patient.phone'],
        email: form['patient.email'],
        dateOfBirth: form['patient.dateOfBirth'],
      },
      reason: form.reason,
      consent: form.consent,
      whatsappOptOut: form.whatsappOptOut,
    };
    const h = await headers();
    let token: string;
    try {
      ({ token } = await createRequest(db, {
        slug: form.slug,
        body: createRequestBodySchema.parse(request),
        clientAddress: clientAddressFromHeaders(h),
        baseUrl: baseUrlOf(h),
      }));
    } catch (err) {
      if (isDomainError(err) && err.code === 'slot_unavailable') {
        alternatives = await nearestStarts(db, form.slug, form.serviceId, new Date(form.startsAt));
        const next = alternatives.length ? 'Choose one of the nearest free times below and send again' : 'Choose another day';
        throw new DomainError('slot_unavailable', `${err.message} ${next}; what you typed is kept.`);
      }
      throw err;
    }
    redirect(`/requests/${token}?sent=1`);
  })(prev, formData);
  return alternatives ? { ...state, alternatives } : state;
}

/** The free starts of the same service closest to a time that was taken, in time order. */
async function nearestStarts(db: Db, slug: string, serviceId: string, around: Date): Promise<AlternativeTime[]> {
  try {
    const { timeZone } = await getPublicProfile(db, slug);
    const day = localDateOf(around, timeZone);
    const near = await findBookableStartsBySlug(db, { slug, serviceId, fromDate: addDays(day, -1), toDate: addDays(day, 7) });
    let starts = near.starts.filter((s) => s.startsAt.getTime() !== around.getTime());
    if (starts.length < NEAREST_COUNT) {
      const later = await findBookableStartsBySlug(db, { slug, serviceId, fromDate: addDays(day, 8), toDate: addDays(day, 30) });
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

function baseUrlOf(h: Headers): string {
  const configured = env().APP_URL;
  if (configured) return configured;
  const host = h.get('x-forwarded-host') ?? h.get('host') ?? 'localhost';
  const proto = h.get('x-forwarded-proto')?.split(',')[0]?.trim() ?? 'http';
  return `${proto}://${host}`;
}
