import { sendRequestNotifications, type SendOutcome } from '@/lib/notifications';
import { inngest } from '../client';
import { reservationCancelled, reservationDecided, reservationRequested } from '../events';

/** After the deadline, the lifecycle's expiry has had this long to commit the patient's notice. */
const AFTER_DEADLINE_MS = 60_000;

/**
 * The messages about a request waiting for its answer. Sent at once: the patient's receipt with
 * the status link and the practice's notice (both written when the request was made). Then, if it
 * is still unanswered near its deadline, the practice's warning; and after the deadline the
 * patient's "expired" notice, which the expiry (lifecycle or sweep) wrote. An answer or a cancel
 * ends the run; each of those has its own notice function. Whatever this run does not send, the
 * sweep sends.
 */
export const requestNotices = inngest.createFunction(
  {
    id: 'request-notices',
    name: 'Request notices (received, expiry warning, expired)',
    triggers: [reservationRequested],
    idempotency: 'event.data.requestId',
    cancelOn: [
      { event: reservationDecided, if: 'async.data.requestId == event.data.requestId' },
      { event: reservationCancelled, if: 'async.data.requestId == event.data.requestId' },
    ],
  },
  async ({ event, step }): Promise<SendOutcome[]> => {
    const { requestId, expiresAt } = event.data;
    const received = await step.run('send-received', () => sendRequestNotifications(requestId, ['received', 'new_request']));

    const warningAt = await step.run('send-expiry-warning-if-due', async () => {
      const sent = await sendRequestNotifications(requestId, ['expiry_warning']);
      const later = sent.find((o) => o.outcome === 'not-due');
      return later?.outcome === 'not-due' ? later.at : null;
    });
    let warned: SendOutcome[] = [];
    if (warningAt) {
      await step.sleepUntil('sleep-until-expiry-warning', new Date(warningAt));
      warned = await step.run('send-expiry-warning', () => sendRequestNotifications(requestId, ['expiry_warning']));
    }

    await step.sleepUntil('sleep-until-expired', new Date(new Date(expiresAt).getTime() + AFTER_DEADLINE_MS));
    const expired = await step.run('send-expired', () => sendRequestNotifications(requestId, ['expired']));
    // Step results are memoized across replays: never mutate them.
    return [...received, ...warned, ...expired];
  },
);
