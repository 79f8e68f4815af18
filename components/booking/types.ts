import type { ActionState } from '@/lib/actions';

/** A free start offered instead of a time that was taken meanwhile. */
export interface AlternativeTime {
  /** ISO 8601, UTC */
  startsAt: string;
  /** In the practice's local time, e.g. "Wed 4 Mar, 10:30" */
  label: string;
}

/** What the booking form's action returns: the usual ActionState, plus the nearest free times. */
export interface BookingFormState extends ActionState {
  alternatives?: AlternativeTime[];
}
