'use server';

import { actionLocale, actionTranslator, practiceAction } from '@/lib/actions';
import { bookPhoneIn, cancelAppointment, recordAppointmentOutcome } from '@/lib/appointments';
import { formatWhen } from '@/lib/i18n/format';

/** Cancels a confirmed appointment of the chosen practice; the patient is told, future slots are free. */
export const cancelAppointmentAction = practiceAction(cancelAppointment, { name: 'appointments.cancel', revalidate: '/dashboard' }, async (a) =>
  (await actionTranslator('appointments.actions'))('cancelledDone', { name: a.patientName, when: formatWhen(await actionLocale(), a.startsAt, a.timeZone) }),
);

/** After the start: completed or no-show. */
export const recordOutcomeAction = practiceAction(recordAppointmentOutcome, { name: 'appointments.outcome', revalidate: '/dashboard' }, async (a) =>
  (await actionTranslator('appointments.actions'))('outcomeDone', { name: a.patientName, outcome: a.outcome }),
);

/** A patient on the phone, booked straight into an approved appointment on the staff member's word. */
export const bookPhoneInAction = practiceAction(bookPhoneIn, { name: 'appointments.book_phone_in', revalidate: '/dashboard' }, async (a) =>
  (await actionTranslator('appointments.actions'))('bookedDone', { name: a.patientName, when: formatWhen(await actionLocale(), a.startsAt, a.timeZone) }),
);
