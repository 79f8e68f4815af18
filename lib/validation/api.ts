/**
 * Schemas of the public read routes of API.md: `GET /api/v1/profiles/{slug}` and
 * `GET /api/v1/profiles/{slug}/slots`. Inputs are parsed with them; responses are typed by them
 * and the OpenAPI document is generated from them (`z.toJSONSchema`), so every field carries a
 * description. Pure: safe to import from client components and scripts.
 */
import { z } from 'zod';

/** At most this many local dates in one slots query (`to` − `from` ≤ 30). */
export const MAX_SLOT_RANGE_DAYS = 31;

/** Same rule as the `profiles_slug_format` check constraint. */
export const SLUG_PATTERN = /^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$/;

const DAY_MS = 86_400_000;
const isoDate = z.iso.date();

export const profileSlugSchema = z
  .string()
  .regex(SLUG_PATTERN, 'Not a practice address.')
  .meta({ description: "The practice's public address, as in `/book/{slug}`.", examples: ['demo'] });

/** Route params of both routes. A slug that fails this names no practice: the routes answer 404. */
export const profileParamsSchema = z.object({ slug: profileSlugSchema });

const localDate = (name: string, description: string) =>
  z.iso
    .date({
      error: (issue) => (issue.input === undefined ? `${name} is required.` : `${name} must be a real date as YYYY-MM-DD.`),
    })
    .meta({ description, examples: ['2026-03-02'] });

/** `?serviceId&from&to`; `fields` of a 422 are keyed by these names. */
export const slotsQuerySchema = z
  .object({
    serviceId: z
      .guid({ error: (issue) => (issue.input === undefined ? 'serviceId is required.' : 'serviceId must be a UUID.') })
      .meta({ description: 'An active service of this practice.' }),
    from: localDate('from', "First local date of the practice's time zone, inclusive."),
    to: localDate('to', `Last local date, inclusive; not before \`from\` and at most ${MAX_SLOT_RANGE_DAYS - 1} days after it.`),
  })
  .superRefine(({ from, to }, ctx) => {
    // zod still runs this after a bad date (a format issue does not abort); judge the range only
    // between two real dates.
    if (!isoDate.safeParse(from).success || !isoDate.safeParse(to).success) return;
    const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS;
    if (days < 0) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'to must not be before from.' });
    } else if (days > MAX_SLOT_RANGE_DAYS - 1) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: `At most ${MAX_SLOT_RANGE_DAYS} days from from to to, both included.` });
    }
  });

export type SlotsQuery = z.infer<typeof slotsQuerySchema>;

/** The query string as an object of its first values; absent names stay undefined. */
export function slotsQueryInput(url: URL): Record<string, string | undefined> {
  const q = url.searchParams;
  return { serviceId: q.get('serviceId') ?? undefined, from: q.get('from') ?? undefined, to: q.get('to') ?? undefined };
}

// ---------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------

const utcInstant = (description: string) =>
  z.iso.datetime().meta({ description: `${description} (ISO 8601, UTC).`, examples: ['2026-03-02T08:00:00.000Z'] });

export const moneySchema = z
  .strictObject({
    amount: z.number().int().min(0).meta({ description: 'In minor units (cents): 4500 is 45.00.', examples: [4500] }),
    currency: z.string().regex(/^[A-Z]{3}$/).meta({ description: 'ISO 4217 code.', examples: ['EUR'] }),
  })
  .meta({ id: 'Money', description: 'An amount of money.' });

export const publicServiceSchema = z
  .strictObject({
    id: z.guid().meta({ description: 'Service id; pass it as `serviceId`.' }),
    name: z.string().meta({ description: 'Name shown to patients.', examples: ['General consultation'] }),
    description: z.string().meta({ description: 'What the visit includes; may be empty.' }),
    durationMinutes: z.number().int().positive().meta({ description: 'Length of the visit in minutes.', examples: [30] }),
    price: moneySchema,
  })
  .meta({ id: 'PublicService', description: 'An active service of the practice.' });

export const publicProfileResponseSchema = z
  .strictObject({
    slug: profileSlugSchema,
    name: z.string().meta({ description: "The practice's display name.", examples: ['Dr. Ana García'] }),
    specialty: z.string().meta({ description: 'May be empty.', examples: ['General practice'] }),
    timeZone: z.string().meta({ description: "The practice's IANA time zone; local dates and times are in it.", examples: ['Europe/Madrid'] }),
    services: z.array(publicServiceSchema).meta({ description: 'Active services only.' }),
  })
  .meta({ id: 'PublicProfile', description: 'A practice as its public booking page shows it.' });

export const bookableSlotSchema = z
  .strictObject({
    startsAt: utcInstant('Start of the visit'),
    endsAt: utcInstant('End of the visit: startsAt + the service duration'),
  })
  .meta({ id: 'BookableSlot', description: 'A time at which the whole service fits in free time.' });

export const slotsResponseSchema = z
  .strictObject({
    timeZone: z.string().meta({ description: "The practice's IANA time zone.", examples: ['Europe/Madrid'] }),
    serviceId: z.guid().meta({ description: 'The service asked for.' }),
    slots: z
      .array(bookableSlotSchema)
      .meta({ description: 'Every bookable start in the range, honouring minimum notice and horizon, sorted by startsAt.' }),
  })
  .meta({ id: 'BookableSlots', description: 'The bookable starts of one service between two local dates.' });

export type PublicProfileResponse = z.infer<typeof publicProfileResponseSchema>;
export type SlotsResponse = z.infer<typeof slotsResponseSchema>;
