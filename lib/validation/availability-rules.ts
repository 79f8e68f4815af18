import { z } from 'zod';
import { errorText } from '@/lib/i18n/errors';
import { formCheckbox, isUuid, localDate, localTime, optionalLocalDate, optionalLocalTime, MAX_YEAR, MIN_YEAR, text } from './fields';

/**
 * Weekly rules, exceptions and blocks, as lib/availability accepts them from the dashboard forms
 * (strings; checkbox groups arrive as lists) or from code. Checks that need the database
 * (overlaps, the practice's services, its time zone) live in lib.
 */

const CHOOSE_WEEKDAY = errorText('availability.chooseWeekday');
const isWeekday = (v: unknown) => (typeof v === 'number' || typeof v === 'string') && /^[1-7]$/.test(String(v).trim());

const weekday = z.unknown().refine(isWeekday, CHOOSE_WEEKDAY).transform(Number);

// Lists are checked as a whole so a message stands at the field (the checkbox group), not at an entry.
const weekdays = z
  .array(z.unknown(), { error: errorText('availability.chooseWeekdays') })
  .min(1, { message: errorText('availability.chooseWeekdays'), abort: true })
  .max(7, { message: CHOOSE_WEEKDAY, abort: true })
  .refine((days) => days.every(isWeekday), { message: CHOOSE_WEEKDAY, abort: true })
  .transform((days) => [...new Set(days.map(Number))].sort((a, b) => a - b));

const serviceIds = z
  .array(z.unknown(), { error: errorText('availability.chooseServices') })
  .max(200, { message: errorText('availability.tooManyServices'), abort: true })
  .default([])
  .refine((ids) => ids.every(isUuid), { message: errorText('availability.chooseServices'), abort: true })
  .transform((ids) => [...new Set(ids as string[])].sort());

const reason = (what: string) => text(200, 'The reason', { min: 1, required: errorText('availability.giveReason', { what }) });

interface RuleTimes {
  startTime: string;
  endTime: string;
  validFrom: string | null;
  validUntil: string | null;
}

function checkRule(data: RuleTimes, ctx: z.RefinementCtx) {
  if (data.endTime <= data.startTime) {
    ctx.addIssue({ code: 'custom', path: ['endTime'], message: errorText('availability.endAfterStart') });
  }
  if (data.validFrom && data.validUntil && data.validUntil < data.validFrom) {
    ctx.addIssue({ code: 'custom', path: ['validUntil'], message: errorText('availability.lastBeforeFirst') });
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
export const ruleCreateSchema = z.object({ weekdays, ...ruleShape }).superRefine(checkRule);

export const ruleUpdateSchema = z.object({ ruleId: z.string({ error: 'Which rule?' }), weekday, ...ruleShape }).superRefine(checkRule);

export const ruleIdSchema = z.object({ ruleId: z.string({ error: 'Which rule?' }) });

export const ruleListSchema = z.object({ includeInactive: formCheckbox }).default({ includeInactive: false });

export type RuleCreateInput = z.input<typeof ruleCreateSchema>;
export type RuleUpdateInput = z.input<typeof ruleUpdateSchema>;

interface ExceptionHours {
  closed?: boolean;
  kind?: 'closed' | 'hours';
  startTime: string | null;
  endTime: string | null;
}

function checkException(data: ExceptionHours, ctx: z.RefinementCtx) {
  const closed = data.closed ?? (data.kind ? data.kind === 'closed' : undefined);
  if (closed === undefined) return ctx.addIssue({ code: 'custom', path: ['kind'], message: errorText('availability.chooseKind') });
  if (closed) return;
  if (!data.startTime) ctx.addIssue({ code: 'custom', path: ['startTime'], message: errorText('availability.enterOpening') });
  if (!data.endTime) ctx.addIssue({ code: 'custom', path: ['endTime'], message: errorText('availability.enterClosing') });
  if (data.startTime && data.endTime && data.endTime <= data.startTime) {
    ctx.addIssue({ code: 'custom', path: ['endTime'], message: errorText('availability.endAfterStart') });
  }
}

/**
 * A date closed all day, or open only during other hours: `closed` (a boolean), or the form's
 * `kind` radio ('closed' | 'hours').
 */
export const exceptionInputSchema = z
  .object({
    date: localDate,
    closed: z.boolean().optional(),
    kind: z.enum(['closed', 'hours'], { error: errorText('availability.chooseKind') }).optional(),
    startTime: optionalLocalTime,
    endTime: optionalLocalTime,
    reason: reason('change'),
  })
  .superRefine(checkException)
  .transform(({ kind, closed, ...e }) =>
    (closed ?? kind === 'closed') ? { ...e, closed: true, startTime: null, endTime: null } : { ...e, closed: false },
  );

export const exceptionIdSchema = z.object({ exceptionId: z.string({ error: 'Which exception?' }) });

export type ExceptionInput = z.input<typeof exceptionInputSchema>;

/** A local 'YYYY-MM-DDTHH:MM' in the practice's zone, or an ISO instant with Z or an offset. */
const pointInTime = z
  .string({ error: errorText('availability.enterDateTime') })
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?$/, { message: errorText('availability.enterDateTime'), abort: true })
  .refine((v) => Number(v.slice(0, 4)) >= MIN_YEAR && Number(v.slice(0, 4)) <= MAX_YEAR, errorText('field.dateRange', { min: String(MIN_YEAR), max: String(MAX_YEAR) }));

export const blockInputSchema = z.object({ from: pointInTime, to: pointInTime, reason: reason('block') });
export const unblockInputSchema = z.object({ from: pointInTime, to: pointInTime });

export type BlockInput = z.input<typeof blockInputSchema>;
export type UnblockInput = z.input<typeof unblockInputSchema>;
