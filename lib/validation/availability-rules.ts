import { z } from 'zod';
import { isUuid, localDate, localTime, optionalLocalDate, optionalLocalTime } from './fields';

/**
 * Weekly rules, exceptions and blocks. The `*InputSchema`s are what lib/availability/rules
 * accepts; the `*FormSchema`s are the dashboard forms (checkbox groups arrive as `name[]` arrays).
 * Checks that need the database (overlaps, the practice's services, its time zone) live in lib.
 */

export const WEEKDAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;

/** ISO weekday 1 = Monday … 7 = Sunday. */
export function weekdayName(weekday: number): string {
  return WEEKDAY_NAMES[weekday - 1] ?? `day ${weekday}`;
}

const weekday = z.number({ error: 'Choose a weekday.' }).int().min(1, 'Choose a weekday.').max(7, 'Choose a weekday.');

const serviceIds = z
  .array(z.string())
  .default([])
  .refine((ids) => ids.every(isUuid), 'Choose services of this practice.')
  .transform((ids) => [...new Set(ids)].sort());

const reason = (what: string) =>
  z
    .string({ error: `Give a reason for the ${what}.` })
    .trim()
    .min(1, `Give a reason for the ${what}.`)
    .max(200, 'The reason can be at most 200 characters.');

interface RuleTimes {
  startTime: string;
  endTime: string;
  validFrom: string | null;
  validUntil: string | null;
}

function checkRule(data: RuleTimes, ctx: z.RefinementCtx) {
  if (data.endTime <= data.startTime) {
    ctx.addIssue({ code: 'custom', path: ['endTime'], message: 'The end must be after the start.' });
  }
  if (data.validFrom && data.validUntil && data.validUntil < data.validFrom) {
    ctx.addIssue({ code: 'custom', path: ['validUntil'], message: 'The last day cannot be before the first day.' });
  }
}

const ruleShape = {
  startTime: localTime,
  endTime: localTime,
  serviceIds,
  validFrom: optionalLocalDate,
  validUntil: optionalLocalDate,
};

/** One interval on one or more weekdays: one rule per weekday is created. */
export const ruleCreateSchema = z
  .object({
    weekdays: z
      .array(weekday)
      .min(1, 'Choose at least one weekday.')
      .transform((days) => [...new Set(days)].sort((a, b) => a - b)),
    ...ruleShape,
  })
  .superRefine(checkRule);

export const ruleUpdateSchema = z.object({ weekday, ...ruleShape }).superRefine(checkRule);

export type RuleCreateInput = z.input<typeof ruleCreateSchema>;
export type RuleUpdateInput = z.input<typeof ruleUpdateSchema>;

interface ExceptionHours {
  closed: boolean;
  startTime: string | null;
  endTime: string | null;
}

function checkException(data: ExceptionHours, ctx: z.RefinementCtx) {
  if (data.closed) return;
  if (!data.startTime) ctx.addIssue({ code: 'custom', path: ['startTime'], message: 'Enter the opening time.' });
  if (!data.endTime) ctx.addIssue({ code: 'custom', path: ['endTime'], message: 'Enter the closing time.' });
  if (data.startTime && data.endTime && data.endTime <= data.startTime) {
    ctx.addIssue({ code: 'custom', path: ['endTime'], message: 'The end must be after the start.' });
  }
}

/** A date closed all day, or open only during other hours. */
export const exceptionInputSchema = z
  .object({
    date: localDate,
    closed: z.boolean(),
    startTime: optionalLocalTime,
    endTime: optionalLocalTime,
    reason: reason('change'),
  })
  .superRefine(checkException)
  .transform((e) => (e.closed ? { ...e, startTime: null, endTime: null } : e));

export type ExceptionInput = z.input<typeof exceptionInputSchema>;

/** A local 'YYYY-MM-DDTHH:MM' in the practice's zone, or an ISO instant with Z or an offset. */
const pointInTime = z
  .string({ error: 'Enter a date and time.' })
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?$/, 'Enter a date and time.');

export const blockInputSchema = z.object({ from: pointInTime, to: pointInTime, reason: reason('block') });
export const unblockInputSchema = z.object({ from: pointInTime, to: pointInTime });

export type BlockInput = z.input<typeof blockInputSchema>;
export type UnblockInput = z.input<typeof unblockInputSchema>;

// ---------------------------------------------------------------------------
// Dashboard forms
// ---------------------------------------------------------------------------

const profileId = z.string().min(1);
const formNumbers = z.array(z.coerce.number()).default([]);
const formStrings = z.array(z.string()).default([]);

export const ruleCreateFormSchema = z.object({
  profileId,
  'weekdays[]': formNumbers,
  startTime: z.string().default(''),
  endTime: z.string().default(''),
  'serviceIds[]': formStrings,
  validFrom: z.string().default(''),
  validUntil: z.string().default(''),
});

export const ruleUpdateFormSchema = z.object({
  profileId,
  ruleId: z.string().min(1),
  weekday: z.coerce.number(),
  startTime: z.string().default(''),
  endTime: z.string().default(''),
  'serviceIds[]': formStrings,
  validFrom: z.string().default(''),
  validUntil: z.string().default(''),
});

export const ruleIdFormSchema = z.object({ profileId, ruleId: z.string().min(1) });

export const exceptionFormSchema = z.object({
  profileId,
  date: z.string().default(''),
  kind: z.enum(['closed', 'hours'], { error: 'Choose closed all day or other hours.' }),
  startTime: z.string().default(''),
  endTime: z.string().default(''),
  reason: z.string().default(''),
});

export const exceptionIdFormSchema = z.object({ profileId, exceptionId: z.string().min(1) });

export const blockFormSchema = z.object({
  profileId,
  from: z.string().default(''),
  to: z.string().default(''),
  reason: z.string().default(''),
});

export const unblockFormSchema = z.object({ profileId, from: z.string().default(''), to: z.string().default('') });
