import { z } from 'zod';
import { errorText } from '@/lib/i18n/errors';
import { LOCALES } from '@/lib/i18n/locales';
import { phoneSchema as phoneSchemaFor } from '@/lib/phone';
import { optionalText, text } from './fields';

// One schema for the JSON API and the booking form: the form posts strings ("on" for a ticked box,
// "" for a blank field, a phone with spaces), the API posts JSON; both mean the same request.
const blankIsMissing = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const ticked = (v: unknown) => (v === 'on' || v === 'true' ? true : v === 'false' ? false : v);
/**
 * The API's documented form, E.164 ("+34 600 111 222" and "0034-600-111-222" mean +34600111222).
 * A practice's own requests also take national numbers of its country (requestBodySchemaFor).
 */
export const phoneSchema = phoneSchemaFor(null);

const isoDate = z.iso.date({ message: 'Use a date as YYYY-MM-DD.' });

const patientFields = {
  name: text(120, 'The name', { min: 1, required: 'Enter the patient’s name.' }),
  phone: phoneSchema.meta({
    description:
      "E.164 with the country code (+34600111222; spaces, dashes and a leading 00 are accepted). Sent to a practice, a number without its country code is read as a number of the practice's country (\"600 111 222\" for a Spanish practice) and stored as E.164.",
  }),
  email: z.preprocess(blankIsMissing, z.email({ message: errorText('booking.validEmail') }).max(254).optional()),
  dateOfBirth: z.preprocess(
    blankIsMissing,
    isoDate.refine((d) => d >= '1900-01-01' && d <= new Date().toISOString().slice(0, 10), errorText('booking.birthInPast')).optional(),
  ),
  phoneVerified: z
    .preprocess(ticked, z.boolean().optional())
    .meta({ description: 'With an integration key only: true when the integration itself verified the phone (a WhatsApp bot knows its sender).' }),
};

export const patientSchema = z.object(patientFields).meta({ id: 'Patient' });

/** The body of POST /api/v1/profiles/{slug}/requests (API.md); the public page's form uses it too. */
export const createRequestBodySchema = z
  .object({
    serviceId: z.uuid({ message: 'Choose a service.' }),
    startsAt: z.iso
      .datetime({ offset: true, message: 'Use an ISO 8601 date and time, e.g. 2030-01-07T09:00:00Z.' })
      .refine((v) => isBoundedInstant(v), 'Choose a time within the coming years.'),
    patient: patientSchema,
    reason: optionalText(2000, 'The reason', { multiline: true }).transform((v) => v ?? undefined),
    consent: z.preprocess(ticked, z.literal(true, { message: errorText('booking.consent') })),
    whatsappOptOut: z
      .preprocess(ticked, z.boolean().optional())
      .meta({ description: 'True when the patient does not want WhatsApp messages.' }),
    locale: z
      .enum(LOCALES)
      .optional()
      .meta({ description: "The patient's language for every message about this request (es, en); without it, the practice's default language." }),
  })
  .meta({ id: 'CreateRequest' });

/**
 * The same body for one practice: the phone may also be typed nationally, read with the
 * practice's country ("600 111 222" for a Spanish practice); it is stored as E.164 either way.
 */
export function requestBodySchemaFor(country: string | null | undefined): typeof createRequestBodySchema {
  if (!country) return createRequestBodySchema;
  // Built once per country: a zod schema compiles its parser on first use, which costs more than
  // the parse itself (a tenth of a booking's CPU when it was built per request).
  let schema = bodySchemas.get(country);
  if (!schema) {
    const patient = z.object({ ...patientFields, phone: phoneSchemaFor(country) });
    schema = createRequestBodySchema.extend({ patient }) as unknown as typeof createRequestBodySchema;
    bodySchemas.set(country, schema);
  }
  return schema;
}

const bodySchemas = new Map<string, typeof createRequestBodySchema>();

export type CreateRequestBody = z.infer<typeof createRequestBodySchema>;
export type CreateRequestInput = z.input<typeof createRequestBodySchema>;

/** An ISO instant Postgres and Date can both hold, within the years a booking can name. */
function isBoundedInstant(value: string): boolean {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return false;
  const year = new Date(ms).getUTCFullYear();
  return year >= 1900 && year <= 2200;
}

export const idempotencyKeySchema = z
  .string()
  .min(1)
  .max(255, 'At most 255 characters.')
  .regex(/^[\x21-\x7e]+$/, 'Printable ASCII without spaces.');

/** The `Idempotency-Key` header, named as the API's errors name it. */
export const idempotencyHeaderSchema = z.object({ 'Idempotency-Key': idempotencyKeySchema });

/** A status token as issued: 43 base64url characters (256 bits). */
export const requestTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/);

export const requestStatusSchema = z.enum(['pending', 'approved', 'rejected', 'expired', 'cancelled']);

export const createdRequestSchema = z
  .object({
    id: z.uuid(),
    status: requestStatusSchema.meta({ description: '`pending` when created; a replay of the same Idempotency-Key reports the current status.' }),
    startsAt: z.iso.datetime(),
    endsAt: z.iso.datetime(),
    expiresAt: z.iso.datetime(),
    token: z.string().meta({ description: 'Shown once; keep it to read or cancel the request.' }),
    statusUrl: z.url(),
  })
  .meta({ id: 'CreatedRequest' });

export const requestViewSchema = z
  .object({
    id: z.uuid(),
    status: requestStatusSchema,
    startsAt: z.iso.datetime(),
    endsAt: z.iso.datetime(),
    expiresAt: z.iso.datetime(),
    service: z.object({ id: z.uuid(), name: z.string() }),
    profile: z.object({ slug: z.string(), name: z.string() }),
  })
  .meta({ id: 'Request' });

/** The body of POST /api/v1/verifications/{id}. */
export const verificationCodeSchema = z
  .object({
    code: z
      .string({ error: 'Enter the 6-digit code.' })
      .transform((v) => v.replace(/\s+/g, ''))
      .pipe(z.string().regex(/^\d{6}$/, 'Enter the 6-digit code.')),
    startsAt: z.iso
      .datetime({ offset: true, message: 'Use an ISO 8601 date and time, e.g. 2030-01-07T09:00:00Z.' })
      .refine((v) => isBoundedInstant(v), 'Choose a time within the coming years.')
      .optional()
      .meta({ description: 'Another start for the same service, when the first was taken while the patient read the code.' }),
  })
  .meta({ id: 'VerificationCode' });

export const verificationStartedSchema = z
  .object({
    verification: z.object({
      id: z.uuid(),
      channel: z.enum(['email', 'whatsapp']),
      sentTo: z.string().meta({ description: 'Where the code went, masked: a•••@example.com' }),
      expiresAt: z.iso.datetime(),
    }),
  })
  .meta({ id: 'VerificationStarted' });
