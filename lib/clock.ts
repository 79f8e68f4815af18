/**
 * The current instant of a page request. Always the real clock, except in the browser tests: a
 * server started with E2E_TEST_CLOCK=1 (tests/e2e/serve.ts, never a deployment) reads a moved
 * clock from the `x-test-now` request header (an ISO instant), so a test can show the booking page
 * "on the last day of a month" without waiting for one.
 */
export function requestNow(headers: Pick<Headers, 'get'>): Date {
  if (process.env.E2E_TEST_CLOCK === '1') {
    const moved = Date.parse(headers.get('x-test-now') ?? '');
    if (!Number.isNaN(moved)) return new Date(moved);
  }
  return new Date();
}
