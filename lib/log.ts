import { randomBytes } from 'node:crypto';
import { env } from '@/lib/env';
import { pgErrorCode } from '@/lib/errors';

/**
 * The one way the server logs a failure. A line holds only safe tokens: what failed (a code),
 * where (a route or action name), the request id and the database's error code, never a message,
 * a query, its parameters, a body or anything typed by a person (names, phones, reasons, notes,
 * tokens). Values are reduced to a safe alphabet, so input cannot forge lines either.
 */
export interface LogFields {
  route?: string;
  requestId?: string;
  [key: string]: string | number | boolean | undefined;
}

const UNSAFE = /[^A-Za-z0-9_./:@\-[\]]/g;

function safe(value: string | number | boolean): string {
  return String(value).replace(UNSAFE, '_').slice(0, 120);
}

function line(level: string, event: string, fields: LogFields): string {
  const parts = [`[${level}]`, safe(event)];
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined && value !== '') parts.push(`${safe(key)}=${safe(value)}`);
  }
  return parts.join(' ');
}

/** A short id for one request, to find its log line from an error a person reports. */
export function newRequestId(): string {
  return randomBytes(6).toString('hex');
}

/** An unexpected error: its class name and database code only. */
export function logError(event: string, err: unknown, fields: LogFields = {}): void {
  const name = err instanceof Error ? err.name : typeof err;
  console.error(line('error', event, { ...fields, error: name, dbCode: pgErrorCode(err) }));
  // A developer on their own machine needs the stack; production never prints it (a driver's
  // message carries the failed query's parameters).
  if (env().NODE_ENV === 'development' && err instanceof Error && err.stack) {
    console.error(err.stack.split('\n').slice(1, 8).join('\n'));
  }
}

export function logWarn(event: string, fields: LogFields = {}): void {
  console.warn(line('warn', event, fields));
}

export function logInfo(event: string, fields: LogFields = {}): void {
  console.log(line('info', event, fields));
}

const REDACTED_ERROR = Symbol.for('consulta.redacted');

/** An error as a log token: its class, database code and Next's digest, never its message. */
function redactError(err: Error): string {
  const digest = (err as { digest?: unknown }).digest;
  return line('error', 'unhandled', { error: err.name, dbCode: pgErrorCode(err), digest: typeof digest === 'string' ? digest : undefined });
}

/**
 * In production, what the framework itself logs goes through the same rule: an error object
 * printed by Next (a page that failed to render, a failed action) is reduced to its class, its
 * database code and its digest, because a driver's message holds the failed query's parameters
 * (names, phones, reasons, note text). Strings lose their line breaks, so input cannot forge lines.
 */
export function redactConsoleInProduction(): void {
  if (env().NODE_ENV !== 'production') return;
  const target = console as unknown as Record<symbol, boolean>;
  if (target[REDACTED_ERROR]) return;
  target[REDACTED_ERROR] = true;
  for (const level of ['error', 'warn', 'log', 'info'] as const) {
    const original = console[level].bind(console);
    console[level] = (...args: unknown[]) =>
      original(
        ...args.map((a) => {
          if (a instanceof Error) return redactError(a);
          if (typeof a === 'string') return a.replace(/Failed query:[\s\S]*/g, '[query redacted]').replace(/[\r\n\u2028\u2029]+/g, ' ');
          return a;
        }),
      );
  }
}
