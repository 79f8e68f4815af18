import { z } from 'zod';
import { isValidTimeZone } from '@/lib/availability/time';
import { isPhoneCountry, parsePhone, phoneMessage } from '@/lib/phone';
import { formCheckbox, formInt, optionalText } from './fields';

/**
 * A practice's settings, as lib/practice/settings accepts them from the dashboard form (numbers as
 * strings, reminder offsets as "1440, 120", the checkbox as "on") or from code (numbers, a list,
 * a boolean). Whether every active service still fits a new slot length needs the database: lib
 * checks it.
 */

const timeZone = z
  .string({ error: 'Choose a time zone.' })
  .trim()
  .min(1, { message: 'Choose a time zone.', abort: true })
  .max(64, { message: 'That is not an IANA time zone such as Europe/Madrid.', abort: true })
  .refine(isValidTimeZone, 'That is not an IANA time zone such as Europe/Madrid.');

export const MAX_REMINDERS = 5;
const OFFSET_RANGE = 'Each reminder must be a whole number of minutes from 5 to 20160 (14 days).';
const REMINDER_TEXT = 'List whole numbers of minutes separated by commas, such as 1440, 120.';

/** "1440, 120" or "1440 120" (the form) or [1440, 120]; blank is none. */
const reminderOffsets = z
  .union([z.string().max(200, REMINDER_TEXT), z.array(z.unknown()).max(50, `At most ${MAX_REMINDERS} reminders.`)], { error: REMINDER_TEXT })
  .optional()
  .transform((v, ctx) => {
    if (Array.isArray(v)) return v;
    const parts = (v ?? '').split(/[\s,;]+/).filter(Boolean);
    if (parts.some((p) => !/^\d+$/.test(p))) {
      ctx.addIssue({ code: 'custom', message: REMINDER_TEXT });
      return z.NEVER;
    }
    return parts.map(Number);
  })
  .pipe(
    z
      .array(z.unknown())
      // Checked as a list so the message stands at the field, not at an entry of it.
      .refine((list) => list.every((m) => Number.isInteger(m) && (m as number) >= 5 && (m as number) <= 20160), OFFSET_RANGE)
      .transform((list) => [...new Set(list as number[])].sort((a, b) => b - a))
      .refine((list) => list.length <= MAX_REMINDERS, `At most ${MAX_REMINDERS} reminders.`),
  );

/** The practice's own number, typed as people do: read with the practice's country (below). */
const phone = z.string().max(40, 'Enter a phone number.').nullish();

export const LOCALES = ['en', 'es'] as const;

const email = z
  .string()
  .nullish()
  .transform((v) => (v ?? '').trim().toLowerCase())
  .refine((v) => v === '' || (v.length <= 254 && z.email().safeParse(v).success), 'Enter a valid e-mail address.')
  .transform((v) => v || null);

const settingsObject = z.object({
  timeZone,
  slotMinutes: formInt(5, 240, 'The slot length in minutes'),
  minNoticeMinutes: formInt(0, 10080, 'The minimum notice in minutes'),
  horizonDays: formInt(1, 366, 'The booking horizon in days'),
  approvalWindowMinutes: formInt(5, 10080, 'The approval window in minutes'),
  reminderOffsetsMinutes: reminderOffsets,
  contactPhone: phone,
  contactEmail: email,
  address: optionalText(300, 'The address'),
  whatsappEnabled: formCheckbox,
  // Optional for callers in code (an absent checkbox is off; an absent timeout is the default, 30).
  requireTwoFactor: z
    .unknown()
    .optional()
    .transform((v) => v === true || v === 'on' || v === 'true'),
  // Front desk may approve, reject and propose (issue 16); optional for callers in code, like the above.
  frontDeskDecides: z
    .unknown()
    .optional()
    .transform((v) => v === true || v === 'on' || v === 'true'),
  idleTimeoutMinutes: formInt(5, 720, 'The idle timeout in minutes')
    .optional()
    .transform((v) => v ?? 30),
  // Issue 15. Optional for callers in code: absent leaves the practice's value as it is.
  country: z
    .string({ error: 'Choose a country.' })
    .trim()
    .toUpperCase()
    .refine((v): boolean => isPhoneCountry(v), 'Choose a country from the list.')
    .optional(),
  defaultLocale: z
    .string({ error: 'Choose English or Spanish.' })
    .refine((v): boolean => (LOCALES as readonly string[]).includes(v), 'Choose English or Spanish.')
    .optional(),
  cancellationPolicy: optionalText(2000, 'The cancellation policy', { multiline: true })
    .transform((v) => v ?? '')
    .optional(),
  moveCutoffMinutes: formInt(0, 43200, 'How late a patient may move a request, in minutes,').optional(),
  maxMovesPerRequest: formInt(0, 10, 'The number of moves per request').optional(),
});

/**
 * The settings with the phone as E.164: a national number is read with the country chosen in the
 * same form (or, from code without a country, only international numbers are accepted). Checked
 * even when other fields are wrong, so the form shows every error at once.
 */
export const settingsInputSchema = settingsObject
  .superRefine(
    (data, ctx) => {
      const typed = typeof data.contactPhone === 'string' ? data.contactPhone.trim() : '';
      const country = typeof data.country === 'string' ? data.country : undefined;
      if (typed && !parsePhone(typed, country)) ctx.addIssue({ code: 'custom', path: ['contactPhone'], message: phoneMessage(country) });
    },
    { when: () => true },
  )
  .transform((data) => ({ ...data, contactPhone: data.contactPhone?.trim() ? parsePhone(data.contactPhone, data.country) : null }));

export type SettingsInput = z.input<typeof settingsInputSchema>;
export type SettingsData = z.output<typeof settingsInputSchema>;
