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

/** What the code step's actions return: the usual ActionState, the nearest free times, when "send a new code" opens. */
export interface CodeStepState extends BookingFormState {
  /** ISO 8601: when the next "send a new code" is allowed (after a code was sent again). */
  resendAt?: string;
}
