import { sendRequestNotifications, type SendOutcome } from '@/lib/notifications';
import { inngest } from '../client';
import { reservationDecided } from '../events';

/**
 * Tells the patient the doctor's answer: approved (time, place and the calendar file) or rejected
 * (with the reason). The message was written with the decision; this sends it, once.
 */
export const decisionNotice = inngest.createFunction(
  {
    id: 'decision-notice',
    name: 'Decision notice to the patient',
    triggers: [reservationDecided],
    idempotency: 'event.data.requestId',
  },
  async ({ event, step }): Promise<SendOutcome[]> => {
    const { requestId, decision } = event.data;
    return step.run(`send-${decision}`, () => sendRequestNotifications(requestId, [decision]));
  },
);
