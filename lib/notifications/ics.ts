import { createEvent } from 'ics';

export interface AppointmentEvent {
  reservationId: string;
  startsAt: Date;
  endsAt: Date;
  title: string;
  description: string;
  location: string | null;
  /** Raised each time the appointment moves (RFC 5545 SEQUENCE), so a calendar replaces the old time. */
  sequence?: number;
}

/**
 * The appointment as an iCalendar file (RFC 5545) for the approved e-mail. Start and end are
 * written as UTC instants (`DTSTART:20300107T083000Z`): the `ics` package has no TZID support,
 * and its "local" output would use the server's zone, not the practice's. A UTC instant is shown
 * right by every calendar in its owner's zone; the description names the practice's local time and
 * zone, as every message does. The UID is stable per reservation, so importing twice updates.
 */
export function appointmentIcs(event: AppointmentEvent): string {
  const { error, value } = createEvent({
    uid: `reservation-${event.reservationId}@doctor-appointments`,
    productId: 'doctor-appointments',
    method: 'PUBLISH',
    start: event.startsAt.getTime(),
    startInputType: 'utc',
    startOutputType: 'utc',
    end: event.endsAt.getTime(),
    endInputType: 'utc',
    endOutputType: 'utc',
    title: event.title,
    description: event.description,
    ...(event.location ? { location: event.location } : {}),
    status: 'CONFIRMED',
    busyStatus: 'BUSY',
    ...(event.sequence ? { sequence: event.sequence } : {}),
  });
  if (error || !value) throw new Error(`could not build the calendar file: ${error?.message ?? 'no output'}`);
  return value;
}
