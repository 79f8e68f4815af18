/**
 * The one list of error codes: each code's HTTP status drives the API's answers, the server
 * actions' states and the OpenAPI document. A domain error has a code and a message a person can
 * act on; anything else that escapes is a bug, logged by code and id, never with its data.
 */
export const ERRORS = {
  invalid_json: { status: 400, description: 'The body is not JSON.' },
  unauthorized: { status: 401, description: 'Not signed in, or an unknown, malformed or revoked key.' },
  forbidden: { status: 403, description: 'Known, but not allowed to do this here.' },
  not_found: { status: 404, description: 'Unknown or inactive practice, service, request or verification.' },
  slot_unavailable: { status: 409, description: 'The time is taken, blocked, past, inside the minimum notice, beyond the horizon, or not a bookable start.' },
  request_not_pending: { status: 409, description: 'The request is no longer pending or confirmed.' },
  request_expired: { status: 409, description: 'The request expired before the decision.' },
  too_many_pending: { status: 409, description: 'This patient already holds the practice’s maximum of pending requests.' },
  conflict: { status: 409, description: 'The row changed meanwhile.' },
  verification_expired: { status: 410, description: 'The code’s time ran out or it was tried too often.' },
  payload_too_large: { status: 413, description: 'The body is over 16 KiB.' },
  unsupported_media_type: { status: 415, description: 'A body whose Content-Type is not application/json.' },
  invalid_request: { status: 422, description: 'Validation failed; `fields` names each bad field by its dot path.' },
  wrong_code: { status: 422, description: 'A wrong one-time code; `attemptsLeft` is given.' },
  rate_limited: { status: 429, description: 'Too many calls; `Retry-After` says when to try again.' },
  internal_error: { status: 500, description: 'A bug: reported with a reference id.' },
  unavailable: { status: 503, description: 'The database cannot be reached; nothing was changed; `Retry-After` is set.' },
} as const satisfies Record<string, { status: number; description: string }>;

export type ErrorCode = keyof typeof ERRORS;
export const ERROR_STATUS = Object.fromEntries(Object.entries(ERRORS).map(([code, e]) => [code, e.status])) as { [C in ErrorCode]: (typeof ERRORS)[C]['status'] };
export const ERROR_CODES = Object.keys(ERRORS) as [ErrorCode, ...ErrorCode[]];

/** Seconds a client should wait before trying again while the database is unreachable. */
export const UNAVAILABLE_RETRY_SECONDS = 5;

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields?: Record<string, string>,
    readonly retryAfterSeconds?: number,
    /** Extra members of the API error body (e.g. `attemptsLeft`). */
    readonly extra?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }

  get status(): number {
    return ERROR_STATUS[this.code];
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
  for (let i = 0; i < 4 && e && typeof e === 'object'; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ECONNABORTED', 'EAI_AGAIN']);
const LOST_CONNECTION = /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|Cannot use a pool after calling end|WebSocket (was )?closed/i;

/** Whether an error says the database cannot be reached (not that a query was wrong). */
export function isDatabaseUnavailable(err: unknown): boolean {
  const pg = pgErrorCode(err);
  // 08: connection exception; 57P01-03: the server is shutting down or starting; 53300: too many connections.
  if (pg && (pg.startsWith('08') || ['57P01', '57P02', '57P03', '53300'].includes(pg))) return true;
  let e: unknown = err;
  for (let i = 0; i < 4 && e && typeof e === 'object'; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
    const message = (e as { message?: unknown }).message;
    if (typeof message === 'string' && LOST_CONNECTION.test(message.slice(0, 200))) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * Any error as a DomainError when it has a meaning for the caller: domain errors as they are, an
 * unreachable database as `unavailable`, and values Postgres refuses (a byte sequence it cannot
 * store, a date or number out of its range) as `invalid_request`, a last line of defence behind
 * the schemas. Null for a bug.
 */
export function toDomainError(err: unknown): DomainError | null {
  if (isDomainError(err)) return err;
  if (isDatabaseUnavailable(err)) {
    return new DomainError('unavailable', 'The service is briefly unavailable; nothing was changed. Try again in a few seconds.', undefined, UNAVAILABLE_RETRY_SECONDS);
  }
  const pg = pgErrorCode(err);
  if (pg && ['22021', '22P05', '22007', '22008', '22003', '22001', '22P02', '54000'].includes(pg)) {
    return new DomainError('invalid_request', 'Some of the values sent cannot be stored; check them and try again.');
  }
  return null;
}
