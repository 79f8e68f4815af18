import { z } from 'zod';
import { DomainError } from '@/lib/errors';
import { errorText } from '@/lib/i18n/errors';

/**
 * Field schemas shared by the catalog, availability and settings schemas, and the one way a lib
 * function turns a zod failure into a DomainError with every field's first message.
 */

/** Parses a lib function's input; a failure is an `invalid_request` naming each bad field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, message = errorText('code.invalid_request')): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new DomainError('invalid_request', message, fieldsOf(parsed.error));
}

/**
 * The one zod-error-to-fields converter: each bad field by its dot path (`patient.phone`) with its
 * first message; an error of the whole input is under `_`. The API answers these as `fields`, the
 * forms show them beside the inputs of the same names.
 */
export function fieldsOf(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join('.') || '_';
    fields[key] ??= issue.message;
  }
  return fields;
}

/** One field's error as a DomainError (e.g. a check that needs the database). */
export function fieldError(field: string, message: string, code: 'invalid_request' | 'conflict' = 'invalid_request'): DomainError {
  return new DomainError(code, message, { [field]: message });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An id from a URL or a form: anything not shaped like a uuid cannot name a row. */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

/** A whole number typed into a form (a string), coerced: blank is "missing", not 0. */
export function formInt(min: number, max: number, what: string) {
  const range = errorText('field.wholeNumber', { what, min: String(min), max: String(max) });
  return z.preprocess(
    blankToUndefined,
    z.coerce.number({ error: errorText('field.enter', { what: what.toLowerCase() }) }).int({ message: range, abort: true }).min(min, { message: range, abort: true }).max(max, range),
  );
}

/** The same bounds for a value that already is a number (lib input). */
export function int(min: number, max: number, what: string) {
  const range = errorText('field.wholeNumber', { what, min: String(min), max: String(max) });
  return z.number({ error: errorText('field.enter', { what: what.toLowerCase() }) }).int({ message: range, abort: true }).min(min, { message: range, abort: true }).max(max, range);
}

/** A checkbox: present ("on") is true, absent is false. Booleans pass through. */
export const formCheckbox = z.preprocess((v) => v === true || v === 'on' || v === 'true', z.boolean());

/** Local wall-clock time 'HH:MM' (seconds ':00' accepted and dropped), 00:00–23:59. */
export const localTime = z
  .string({ error: errorText('field.timeFormat') })
  .trim()
  .regex(/^([01]\d|2[0-3]):[0-5]\d(:00)?$/, { message: errorText('field.timeFormat'), abort: true })
  .transform((v) => v.slice(0, 5));

/** Years a date from a URL or a form may name: wider than any appointment, far from Postgres's limits. */
export const MIN_YEAR = 1900;
export const MAX_YEAR = 2200;

function isRealDate(v: string): boolean {
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}

function isDateInRange(v: string): boolean {
  const year = Number(v.slice(0, 4));
  return year >= MIN_YEAR && year <= MAX_YEAR;
}

/** A 'YYYY-MM-DD' from a URL: real and within the bounded years; anything else is not a date. */
export function isBoundedDate(value: unknown): value is string {
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && isRealDate(value) && isDateInRange(value);
}

/** Local date 'YYYY-MM-DD' that exists in the calendar, years 1900–2200. */
export const localDate = z
  .string({ error: errorText('field.dateFormat') })
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: errorText('field.dateFormat'), abort: true })
  .refine(isRealDate, errorText('field.dateMissing'))
  .refine(isDateInRange, errorText('field.dateRange', { min: String(MIN_YEAR), max: String(MAX_YEAR) }));

/** Blank or missing is null. */
export const optionalLocalDate = z
  .union([z.literal(''), localDate])
  .nullish()
  .transform((v) => v || null);
export const optionalLocalTime = z
  .union([z.literal(''), localTime])
  .nullish()
  .transform((v) => v || null);

// Text a person typed never carries these: control characters (NUL among them, which Postgres
// cannot store; CR/LF outside multi-line fields, which would also forge log lines), lone UTF-16
// surrogates, and bidirectional overrides and isolates that make text read differently than stored.
const CONTROL_SINGLE_LINE = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]/;
const CONTROL_MULTI_LINE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a string is not acceptable text, or null. */
export function textProblem(value: string, multiline = false): string | null {
  if ((multiline ? CONTROL_MULTI_LINE : CONTROL_SINGLE_LINE).test(value)) {
    return multiline ? errorText('field.controlMultiLine') : errorText('field.controlSingleLine');
  }
  if (LONE_SURROGATE.test(value)) return errorText('field.brokenCharacters');
  if (BIDI_CONTROL.test(value)) return errorText('field.bidiCharacters');
  return null;
}

interface TextOptions {
  /** Line breaks (and tabs) allowed: notes, reasons, descriptions. */
  multiline?: boolean;
  /** At least this many characters after trimming (1 for a required field). */
  min?: number;
  /** The message for a missing or blank required field. */
  required?: string;
}

/**
 * The one text primitive of every free-text field: trimmed, at most `max` characters, and refused
 * with a clear message when it holds control characters, lone surrogates or bidi overrides.
 */
export function text(max: number, what: string, opts: TextOptions = {}) {
  const required = opts.required ?? errorText('field.enter', { what: what.toLowerCase() });
  const schema = z.string({ error: required }).superRefine((v, ctx) => {
    const problem = textProblem(v, opts.multiline);
    if (problem) ctx.addIssue({ code: 'custom', message: problem, abort: true });
  });
  const trimmed = schema.trim();
  const min = opts.min ?? 0;
  const sized = min > 0 ? trimmed.min(min, { message: required, abort: true }) : trimmed;
  return sized.max(max, errorText('field.tooLong', { what, max }));
}

/** Free text, trimmed; blank or missing is null. */
export function optionalText(max: number, what: string, opts: Omit<TextOptions, 'min' | 'required'> = {}) {
  return text(max, what, opts)
    .nullish()
    .transform((v) => (v ? v : null));
}

/** A page number from a URL: 1 to 10,000; anything else is page 1. */
export function pageNumber(value: unknown): number {
  const n = Number(Array.isArray(value) ? value[0] : value);
  return Number.isInteger(n) && n >= 1 && n <= MAX_PAGE ? n : 1;
}

export const MAX_PAGE = 10_000;
