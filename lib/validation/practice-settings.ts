import { z } from 'zod';
import { isValidTimeZone } from '@/lib/availability/time';
import { formCheckbox, formInt, int, optionalText } from './fields';

/**
 * A practice's settings. `settingsInputSchema` is what lib/practice/settings accepts;
 * `settingsFormSchema` is the dashboard form (numbers as strings, reminder offsets as "1440, 120").
 * Whether every active service still fits a new slot length needs the database: lib checks it.
 */

const timeZone = z
  .string({ error: 'Choose a time zone.' })
  .trim()
  .min(1, { message: 'Choose a time zone.', abort: true })
  .refine(isValidTimeZone, 'That is not an IANA time zone such as Europe/Madrid.');

const SLOT = 'The slot length in minutes';
const NOTICE = 'The minimum notice in minutes';
const HORIZON = 'The booking horizon in days';
const WINDOW = 'The approval window in minutes';

export const MAX_REMINDERS = 5;
const OFFSET_RANGE = 'Each reminder must be a whole number of minutes from 5 to 20160 (14 days).';

const reminderList = z
  .array(z.number().int(OFFSET_RANGE).min(5, OFFSET_RANGE).max(20160, OFFSET_RANGE))
  .transform((list) => [...new Set(list)].sort((a, b) => b - a))
  .refine((list) => list.length <= MAX_REMINDERS, `At most ${MAX_REMINDERS} reminders.`);

/** "+34 910 00 00 00" and "(+34) 910-000-000" are the same number: E.164 without separators. */
const phone = z
  .string()
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

const address = optionalText(300, 'The address');

export const settingsInputSchema = z.object({
  timeZone,
  slotMinutes: int(5, 240, SLOT),
  minNoticeMinutes: int(0, 10080, NOTICE),
  horizonDays: int(1, 366, HORIZON),
  approvalWindowMinutes: int(5, 10080, WINDOW),
  reminderOffsetsMinutes: reminderList,
  contactPhone: phone,
  contactEmail: email,
  address,
  whatsappEnabled: z.boolean(),
});

export type SettingsInput = z.input<typeof settingsInputSchema>;
export type SettingsData = z.output<typeof settingsInputSchema>;

/** "1440, 120" or "1440 120": each entry a whole number, else one message for the field. */
const reminderText = z
  .string()
  .optional()
  .transform((v, ctx) => {
    const parts = (v ?? '').split(/[\s,;]+/).filter(Boolean);
    const numbers = parts.map((p) => (/^\d+$/.test(p) ? Number(p) : NaN));
    if (numbers.some(Number.isNaN)) {
      ctx.addIssue({ code: 'custom', message: 'List whole numbers of minutes separated by commas, such as 1440, 120.' });
      return z.NEVER;
    }
    return numbers;
  })
  .pipe(reminderList);

export const settingsFormSchema = z.object({
  profileId: z.string().min(1),
  timeZone,
  slotMinutes: formInt(5, 240, SLOT),
  minNoticeMinutes: formInt(0, 10080, NOTICE),
  horizonDays: formInt(1, 366, HORIZON),
  approvalWindowMinutes: formInt(5, 10080, WINDOW),
  reminderOffsetsMinutes: reminderText,
  contactPhone: phone,
  contactEmail: email,
  address,
  whatsappEnabled: formCheckbox,
});
