import { expireRequest } from '@/lib/booking/expire';
import { requestStatus, type RequestStatus } from '@/lib/booking/lifecycle';
import { inngest } from '../client';
import { reservationCancelled, reservationDecided, reservationRequested } from '../events';

/** What one run of the lifecycle ended with (the run's output, shown in the engine's UI). */
export type LifecycleResult =
  | { outcome: 'decided'; decision: 'approved' | 'rejected' }
  | { outcome: 'expired' }
  /** Someone (doctor, patient, sweep) moved the request before this run could. */
  | { outcome: 'already-final'; status: RequestStatus }
  /** Still pending with its deadline ahead even after sleeping until it: the sweep expires it. */
  | { outcome: 'still-pending'; expiresAt: string }
  | { outcome: 'not-found' };

/** A step's answer when it tried to expire the request. Plain JSON: step output is serialized. */
type ExpireAttempt = Exclude<LifecycleResult, { outcome: 'decided' }>;

/**
 * A request's life after it is made (DESIGN.md, Workflows): wait for the doctor's decision until
 * the request's deadline; on timeout expire it by compare-and-set, which frees its slots and does
 * nothing if the doctor or the patient answered first. The database is the source of truth: the
 * request is re-read before the wait (a decision sent before the wait began is never seen by it)
 * and again after the timeout. A patient's cancel stops the run (`cancelOn`).
 */
export const requestLifecycle = inngest.createFunction(
  {
    id: 'request-lifecycle',
    name: 'Reservation request lifecycle',
    triggers: [reservationRequested],
    // One run per request, even if the outbox sends its event twice.
    idempotency: 'event.data.requestId',
    cancelOn: [{ event: reservationCancelled, if: 'async.data.requestId == event.data.requestId' }],
  },
  async ({ event, step }): Promise<LifecycleResult> => {
    const { requestId } = event.data;

    const loaded = await step.run('load-request', async () => {
      const request = await requestStatus(requestId);
      // Judged inside the step, so every replay of the run takes the same branch.
      return request && { status: request.status, expiresAt: request.expiresAt.toISOString(), overdue: request.expiresAt.getTime() <= Date.now() };
    });
    if (!loaded) return { outcome: 'not-found' };
    if (loaded.status !== 'pending') return { outcome: 'already-final', status: loaded.status };

    // Overdue already (the engine was down, or the event was sent late): no point in waiting.
    if (!loaded.overdue) {
      const decision = await step.waitForEvent('wait-for-decision', {
        event: reservationDecided,
        timeout: new Date(loaded.expiresAt),
        if: 'async.data.requestId == event.data.requestId',
      });
      if (decision) return { outcome: 'decided', decision: decision.data.decision };
    }

    let attempt = await step.run('expire-request', () => tryExpire(requestId));
    if (attempt.outcome === 'still-pending') {
      // The wait ended a little before the deadline (clocks differ): expire at the deadline itself.
      await step.sleepUntil('sleep-until-deadline', new Date(attempt.expiresAt));
      attempt = await step.run('expire-request-at-deadline', () => tryExpire(requestId));
    }
    return attempt;
  },
);

/**
 * Expires the request if it is still pending and past its deadline (compare-and-set in
 * `expireRequest`); otherwise reports why not, as read after the attempt.
 */
async function tryExpire(requestId: string): Promise<ExpireAttempt> {
  if (await expireRequest(requestId)) return { outcome: 'expired' };
  const request = await requestStatus(requestId);
  if (!request) return { outcome: 'not-found' };
  if (request.status !== 'pending') return { outcome: 'already-final', status: request.status };
  return { outcome: 'still-pending', expiresAt: request.expiresAt.toISOString() };
}
