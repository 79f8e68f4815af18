import { sendRequestNotifications, type SendOutcome } from '@/lib/notifications';
import { inngest } from '../client';
import { reservationCancelled } from '../events';

/** Tells the patient (and the practice, when the patient cancelled) that a request or appointment is cancelled. */
export const cancellationNotice = inngest.createFunction(
  {
    id: 'cancellation-notice',
    name: 'Cancellation notice',
    triggers: [reservationCancelled],
    idempotency: 'event.data.requestId',
  },
  async ({ event, step }): Promise<SendOutcome[]> =>
    step.run('send-cancelled', () => sendRequestNotifications(event.data.requestId, ['cancelled', 'cancelled_by_patient'])),
);
