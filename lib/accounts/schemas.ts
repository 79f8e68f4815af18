import { z } from 'zod';
import { isValidTimeZone } from '@/lib/availability/time';
import { errorText } from '@/lib/i18n/errors';
import { formCheckbox, text } from '@/lib/validation/fields';

/** The schemas of the account forms: sign-up, invitations, members, passwords. */

export const emailField = z
  .string({ error: errorText('account.enterEmail') })
  .trim()
  .toLowerCase()
  .max(254, { message: errorText('account.emailTooLong'), abort: true })
  .pipe(z.email({ message: errorText('account.emailInvalid') }));

export const MIN_PASSWORD = 10;
export const newPassword = z
  .string({ error: errorText('account.choosePassword') })
  .min(MIN_PASSWORD, errorText('account.passwordShort', { min: String(MIN_PASSWORD) }))
  .max(200, errorText('account.passwordLong', { max: '200' }));

/** The same rule as the database's check on `profiles.slug`. */
export const SLUG_PATTERN = /^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$/;
/** Words a booking address cannot be: they read like the site's own pages. */
const RESERVED_SLUGS = new Set(['admin', 'api', 'book', 'dashboard', 'login', 'signup', 'invitations', 'reset-password', 'verify-email', 'www', 'help', 'support']);

export const slugField = z
  .string({ error: 'Choose the booking address.' })
  .trim()
  .toLowerCase()
  .min(2, { message: 'Use at least 2 characters.', abort: true })
  .max(64, { message: 'Use at most 64 characters.', abort: true })
  .regex(SLUG_PATTERN, { message: 'Use lower-case letters, digits and hyphens, starting and ending with a letter or digit.', abort: true })
  .refine((s) => !RESERVED_SLUGS.has(s), 'That address is reserved; choose another.');

export const timeZoneField = z
  .string({ error: 'Choose a time zone.' })
  .trim()
  .min(1, { message: 'Choose a time zone.', abort: true })
  .max(64, { message: 'That is not an IANA time zone such as Europe/Madrid.', abort: true })
  .refine(isValidTimeZone, 'That is not an IANA time zone such as Europe/Madrid.');

export const personName = text(120, 'Your name', { min: 1 });

export const practiceFields = z.object({
  practiceName: text(120, 'The practice’s name', { min: 1 }),
  slug: slugField,
  specialty: text(120, 'Specialty').optional().default(''),
  timeZone: timeZoneField,
});

export const signUpSchema = practiceFields.extend({
  name: personName,
  email: emailField,
  password: newPassword,
  /** "I am this practice's doctor": the owner is its doctor as well as its admin. */
  isDoctor: formCheckbox.optional(),
});

/** A role an invitation can give. */
export const INVITABLE_ROLES = ['doctor', 'admin', 'front_desk'] as const;
export type InvitableRole = (typeof INVITABLE_ROLES)[number];

export const inviteSchema = z.object({
  email: emailField,
  role: z.enum(INVITABLE_ROLES, { error: 'Choose doctor, admin or front desk.' }),
});

export const invitationIdSchema = z.object({ invitationId: z.string({ error: 'Which invitation?' }) });

export const acceptNewAccountSchema = z.object({ name: personName, password: newPassword });

export const memberIdSchema = z.object({ userId: z.string({ error: 'Which member?' }) });

/** The roles a member holds: from the form's `roles[]` checkboxes, or a list. */
export const memberRolesSchema = memberIdSchema.extend({
  roles: z
    .array(z.enum(INVITABLE_ROLES, { error: 'Choose doctor, admin or front desk.' }), { error: 'Choose at least one role.' })
    .min(1, 'Choose at least one role.')
    .max(INVITABLE_ROLES.length)
    .transform((roles) => [...new Set(roles)].sort()),
});

export const emailOnlySchema = z.object({ email: emailField });

export const resetPasswordSchema = z.object({ password: newPassword });

export const changePasswordSchema = z.object({
  currentPassword: z.string({ error: errorText('account.enterCurrentPassword') }).min(1, errorText('account.enterCurrentPassword')).max(200),
  newPassword,
});
