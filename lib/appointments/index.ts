/**
 * A practice's requests and appointments as the dashboard reads and changes them. Every entry
 * point is `fn(actor, profileId, input, opts?)`: it checks one permission, puts the practice in
 * every WHERE (another practice's row is "not found"), and returns what the page or the action
 * shows.
 */
export type { RequestStatus } from '@/db/schema';
export { bookPhoneIn, listBookableStarts, type BookedAppointment, type PhoneInInput } from './book';
export { listCalendar, type CalendarDay, type CalendarEntry } from './calendar';
export { groupByDay, listAgenda, MAX_AGENDA_DAYS, type AgendaDay, type AgendaInput, type AgendaItem } from './agenda';
export { appointmentRef, getAppointment, type AppointmentDetail, type AppointmentRef } from './detail';
export { ageOn, EARLIER_SHOWN, type EarlierAppointment, type EarlierAppointments, type PatientSummary, type ReservationStatus } from './patients';
export {
  countPending,
  HISTORY_PAGE_SIZE,
  listPendingRequests,
  pendingRequestsPage,
  listRequestHistory,
  PENDING_LIMIT,
  PENDING_PAGE_SIZE,
  pendingSummary,
  type HistoryEntry,
  type HistoryInput,
  type PendingInput,
  type PendingRequest,
} from './requests';
export { cancelAppointment, recordAppointmentOutcome, type CancelInput, type ChangedAppointment, type OutcomeInput } from './transitions';
