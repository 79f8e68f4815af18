/**
 * A page request's moved clock, in the browser tests only: a server started with E2E_TEST_CLOCK=1
 * (tests/e2e/serve.ts, never a deployment) reads it from the `x-test-now` request header (an ISO
 * instant), so a test can show the booking page "on the last day of a month" without waiting for
 * one. Undefined otherwise: the caller uses the real clock.
 */
export function movedNow(headers: Pick<Headers, 'get'>): Date | undefined {
  if (process.env.E2E_TEST_CLOCK !== '1') return undefined;
  const moved = Date.parse(headers.get('x-test-now') ?? '');
  return Number.isNaN(moved) ? undefined : new Date(moved);
}
