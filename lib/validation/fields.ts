import { z } from 'zod';
import { DomainError } from '@/lib/errors';

/**
 * Field schemas shared by the catalog, availability and settings schemas, and the one way a lib
 * function turns a zod failure into a DomainError with every field's first message.
 */

/** Parses a lib function's input; a failure is an `invalid_request` naming each bad field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, message = 'Some fields need attention.'): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new DomainError('invalid_request', message, firstIssuePerField(parsed.error));
}

export function firstIssuePerField(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? String(issue.path[0]) : '_';
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
  const range = `${what} must be a whole number from ${min} to ${max}.`;
  return z.preprocess(
    blankToUndefined,
    z.coerce.number({ error: `Enter ${what.toLowerCase()}.` }).int({ message: range, abort: true }).min(min, { message: range, abort: true }).max(max, range),
  );
}

/** The same bounds for a value that already is a number (lib input). */
export function int(min: number, max: number, what: string) {
  const range = `${what} must be a whole number from ${min} to ${max}.`;
  return z.number({ error: `Enter ${what.toLowerCase()}.` }).int({ message: range, abort: true }).min(min, { message: range, abort: true }).max(max, range);
}

/** A checkbox: present ("on") is true, absent is false. Booleans pass through. */
export const formCheckbox = z.preprocess((v) => v === true || v === 'on' || v === 'true', z.boolean());

/** Local wall-clock time 'HH:MM' (seconds ':00' accepted and dropped), 00:00–23:59. */
export const localTime = z
  .string({ error: 'Enter a time like 09:00.' })
  .trim()
  .regex(/^([01]\d|2[0-3]):[0-5]\d(:00)?$/, { message: 'Enter a time like 09:00.', abort: true })
  .transform((v) => v.slice(0, 5));

/** Local date 'YYYY-MM-DD' that exists in the calendar. */
export const localDate = z
  .string({ error: 'Enter a date like 2026-03-30.' })
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'Enter a date like 2026-03-30.', abort: true })
  .refine((v) => {
    const d = new Date(`${v}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
  }, 'That date does not exist.');

/** Blank or missing is null. */
export const optionalLocalDate = z
  .union([z.literal(''), localDate])
  .nullish()
  .transform((v) => v || null);
export const optionalLocalTime = z
  .union([z.literal(''), localTime])
  .nullish()
  .transform((v) => v || null);

/** Free text, trimmed, blank allowed. */
export function text(max: number, what: string) {
  return z
    .string()
    .trim()
    .max(max, `${what} can be at most ${max} characters.`);
}

/** Free text, trimmed; blank or missing is null. */
export function optionalText(max: number, what: string) {
  return text(max, what)
    .nullish()
    .transform((v) => (v ? v : null));
}
