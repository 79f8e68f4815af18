import { NextResponse } from 'next/server';
import { z } from 'zod';
import { DomainError, isDomainError, statusOf, type ErrorCode } from '@/lib/errors';

/** Bodies over this size are refused with 413 before they are parsed (API.md). */
export const MAX_BODY_BYTES = 16 * 1024;

export interface ApiErrorBody {
  error: { code: ErrorCode | 'internal_error'; message: string; fields?: Record<string, string> };
}

export function jsonError(code: ErrorCode, message: string, fields?: Record<string, string>, headers?: HeadersInit) {
  const body: ApiErrorBody = { error: { code, message, ...(fields ? { fields } : {}) } };
  return NextResponse.json(body, { status: statusOf[code], headers });
}

/** Each bad field by its dot path (`patient.phone`) with its first message. */
export function fieldsFromZod(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join('.') || '_';
    fields[key] ??= issue.message;
  }
  return fields;
}

export function invalid(error: z.ZodError, message = 'The request is not valid.'): DomainError {
  return new DomainError('invalid_request', message, fieldsFromZod(error));
}

export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, message?: string): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw invalid(parsed.error, message);
  return parsed.data;
}

/** Reads a JSON body of at most 16 KiB: 413 when larger, 400 when not JSON, 422 when invalid. */
export async function readJson<S extends z.ZodType>(req: Request, schema: S): Promise<z.infer<S>> {
  const declared = Number(req.headers.get('content-length') ?? '0');
  if (declared > MAX_BODY_BYTES) throw new DomainError('payload_too_large', 'The body is larger than 16 KiB.');
  const text = await readLimited(req);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new DomainError('invalid_json', 'The body is not valid JSON.');
  }
  return parseOrThrow(schema, value);
}

async function readLimited(req: Request): Promise<string> {
  if (!req.body) return '';
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel().catch(() => {});
      throw new DomainError('payload_too_large', 'The body is larger than 16 KiB.');
    }
    chunks.push(value);
  }
  return new TextDecoder('utf-8', { fatal: false }).decode(Buffer.concat(chunks));
}

/** The client address: the leftmost X-Forwarded-For entry, as the hosting proxy sets it (API.md). */
export function clientAddress(req: Request): string {
  return clientAddressFromHeaders(req.headers);
}

/** The same, from a server action's `headers()`. */
export function clientAddressFromHeaders(headers: Headers): string {
  const forwarded = headers.get('x-forwarded-for');
  const first = forwarded?.split(',')[0]?.trim();
  if (first) return first.slice(0, 64);
  return headers.get('x-real-ip')?.trim().slice(0, 64) || 'unknown';
}

type RouteContext<P> = { params: Promise<P> };

/**
 * Wraps a route handler: domain errors become API.md's error bodies; anything else is a bug, logged
 * with its stack, and answered with a plain message.
 */
export function apiRoute<P = Record<string, string>>(
  handler: (req: Request, ctx: RouteContext<P>) => Promise<Response>,
) {
  return async (req: Request, ctx: RouteContext<P>): Promise<Response> => {
    try {
      return await handler(req, ctx);
    } catch (err) {
      if (isDomainError(err)) {
        const headers = err.retryAfterSeconds ? { 'Retry-After': String(err.retryAfterSeconds) } : undefined;
        return jsonError(err.code, err.message, err.fields, headers);
      }
      console.error('[api] unexpected error', err);
      const body: ApiErrorBody = { error: { code: 'internal_error', message: 'Something went wrong on our side.' } };
      return NextResponse.json(body, { status: 500 });
    }
  };
}
