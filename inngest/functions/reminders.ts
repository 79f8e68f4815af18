import { pendingReminders, sendReminder, type SendOutcome } from '@/lib/notifications';
import { inngest } from '../client';
import { reservationCancelled, reservationConfirmed } from '../events';

export interface ReminderRun {
  offsetMinutes: number;
  outcomes: SendOutcome[];
}

/**
 * A confirmed appointment's reminders (DESIGN.md, Workflows). The reminder rows were written at
 * approval, one per offset of the practice and channel, due at start − offset. For each offset:
 * sleep until it is due, then send it; the send re-reads the database after the sleep, so the
 * reminder of an appointment cancelled meanwhile, or already sent by the sweep, goes nowhere.
 * The appointment's cancel also stops the run between steps (`cancelOn`).
 */
export const reminders = inngest.createFunction(
  {
    id: 'reminders',
    name: 'Appointment reminders',
    triggers: [reservationConfirmed],
    // One run per appointment, even if the outbox sends its event twice.
    idempotency: 'event.data.reservationId',
    cancelOn: [{ event: reservationCancelled, if: 'async.data.reservationId == event.data.reservationId' }],
  },
  async ({ event, step }): Promise<ReminderRun[]> => {
    const { reservationId } = event.data;
    // Read once, in a step: every replay of the run sleeps on the same plan.
    const plan = await step.run('plan-reminders', () => pendingReminders(reservationId));
    const runs: ReminderRun[] = [];
    for (const { offsetMinutes, dueAt } of plan) {
      await step.sleepUntil(`sleep-until-reminder-${offsetMinutes}`, new Date(dueAt));
      const outcomes = await step.run(`send-reminder-${offsetMinutes}`, () => sendReminder(reservationId, offsetMinutes));
      runs.push({ offsetMinutes, outcomes });
    }
    return runs;
  },
);
