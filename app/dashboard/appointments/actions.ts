'use server';

import { practiceAction } from '@/lib/actions';
import { bookPhoneIn, cancelAppointment, recordAppointmentOutcome } from '@/lib/appointments';
import { formatDateTime } from '@/lib/format';

/** Cancels a confirmed appointment of the chosen practice; the patient is told, future slots are free. */
export const cancelAppointmentAction = practiceAction(cancelAppointment, { name: 'appointments.cancel', revalidate: '/dashboard' }, (a) =>
  `Cancelled: ${a.patientName}, ${formatDateTime(a.startsAt, a.timeZone)} (${a.timeZone}). The patient is told your reason; the time is free again.`,
);

/** After the start: completed or no-show. */
export const recordOutcomeAction = practiceAction(recordAppointmentOutcome, { name: 'appointments.outcome', revalidate: '/dashboard' }, (a) =>
  `${a.patientName}'s appointment is marked ${a.outcome === 'completed' ? 'completed' : 'no-show'}.`,
);

/** A patient on the phone, booked straight into an approved appointment on the staff member's word. */
export const bookPhoneInAction = practiceAction(bookPhoneIn, { name: 'appointments.book_phone_in', revalidate: '/dashboard' }, (a) =>
  `Booked: ${a.patientName}, ${formatDateTime(a.startsAt, a.timeZone)} (${a.timeZone}). The appointment is confirmed and the patient gets the confirmation.`,
);
