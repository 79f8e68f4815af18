import { z } from 'zod';
import { isValidTimeZone } from '@/lib/availability/time';
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

/** "+34 910 00 00 00" and "(+34) 910-000-000" are the same number: E.164 without separators. */
const phone = z
  .string()
  .max(40, 'Enter the number in international form, such as +34910000000.')
  .nullish()
  .transform((v) => (v ?? '').replace(/[\s().-]/g, ''))
  .refine((v) => v === '' || /^\+[1-9]\d{6,14}$/.test(v), 'Enter the number in international form, such as +34910000000.')
  .transform((v) => v || null);

const email = z
  .string()
  .nullish()
  .transform((v) => (v ?? '').trim().toLowerCase())
  .refine((v) => v === '' || (v.length <= 254 && z.email().safeParse(v).success), 'Enter a valid e-mail address.')
  .transform((v) => v || null);

export const settingsInputSchema = z.object({
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
});

export type SettingsInput = z.input<typeof settingsInputSchema>;
export type SettingsData = z.output<typeof settingsInputSchema>;
