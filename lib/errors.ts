/**
 * Domain errors carry a code the API maps to a status and a message a person can act on.
 * Anything else that escapes is a bug: it is logged and the caller sees a plain message.
 */
export type ErrorCode =
  | 'invalid_json'
  | 'invalid_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'slot_unavailable'
  | 'request_not_pending'
  | 'request_expired'
  | 'payload_too_large'
  | 'rate_limited'
  | 'conflict';

export const statusOf: Record<ErrorCode, number> = {
  invalid_json: 400,
  invalid_request: 422,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  slot_unavailable: 409,
  request_not_pending: 409,
  request_expired: 409,
  payload_too_large: 413,
  rate_limited: 429,
  conflict: 409,
};

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields?: Record<string, string>,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (what = 'Not found') => new DomainError('not_found', what);

export function isDomainError(err: unknown): err is DomainError {
  return err instanceof DomainError;
}

/** Postgres error code of a driver error (pg, PGlite and Neon all expose `code`), if any. */
export function pgErrorCode(err: unknown): string | undefined {
  let e: unknown = err;
  // Drizzle wraps driver errors in `cause`.
  for (let i = 0; i < 3 && e && typeof e === 'object'; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}
