/**
 * The messages the platform sends, the keys that make each one unique, and what a row's
 * `payload` holds. One `notifications` row is one message to one recipient on one channel.
 */

/**
 * A patient's move of their request (issue 15, lib/booking/move.ts): `moved` (a pending request now
 * asks for the new time), `move_approved` (the appointment is at the new time), `move_declined` (it
 * stays at the old time: the practice kept it, or did not answer in time). On WhatsApp they use the
 * templates of `received`, `approved` and `reminder`, whose parameters they share (WHATSAPP_TEMPLATE_OF).
 */
export const MOVE_PATIENT_KINDS = ['moved', 'move_approved', 'move_declined'] as const;

/** To the patient. */
export const PATIENT_KINDS = ['received', 'approved', 'rejected', 'expired', 'cancelled', 'reminder', 'code', ...MOVE_PATIENT_KINDS, 'patient_link'] as const;
/** To the practice. */
export const PRACTICE_KINDS = ['new_request', 'expiry_warning', 'cancelled_by_patient', 'move_requested'] as const;

export type PatientKind = (typeof PATIENT_KINDS)[number];
/** The kinds with a WhatsApp template of their own (lib/notifications/config.ts). */
export type TemplatedKind = Exclude<PatientKind, (typeof MOVE_PATIENT_KINDS)[number]>;
export const WHATSAPP_TEMPLATE_OF: Record<(typeof MOVE_PATIENT_KINDS)[number], TemplatedKind> = { moved: 'received', move_approved: 'approved', move_declined: 'reminder' };

/** The WhatsApp template a message of this kind is sent with. */
export function templateKindOf(kind: PatientKind): TemplatedKind {
  return (WHATSAPP_TEMPLATE_OF as Record<string, TemplatedKind>)[kind] ?? (kind as TemplatedKind);
}
export type PracticeKind = (typeof PRACTICE_KINDS)[number];
export type NotificationKind = PatientKind | PracticeKind;
export type Channel = 'email' | 'whatsapp';

export function audienceOf(kind: string): 'patient' | 'practice' {
  return (PRACTICE_KINDS as readonly string[]).includes(kind) ? 'practice' : 'patient';
}

/**
 * Dedupe keys (`notifications.dedupe_key`, unique). Rows are inserted with ON CONFLICT DO NOTHING,
 * so a transaction retried, a replayed step or a sweep can never make a second copy of a message.
 */
export const dedupeKey = {
  /** received, approved, rejected, expired, cancelled: at most one of each per request and channel. */
  patient: (requestId: string, kind: Exclude<PatientKind, 'reminder'>, channel: Channel) => `request-${requestId}-${kind}-${channel}`,
  reminder: (reservationId: string, offsetMinutes: number, channel: Channel) => `reservation-${reservationId}-reminder-${offsetMinutes}-${channel}`,
  /** The practice's digest of new requests of one window (a practice setting). */
  digest: (profileId: string, windowStart: Date) => `practice-${profileId}-new-requests-${windowStart.toISOString()}`,
  /** One request's line in that digest (its own row: the sender gathers the window's rows). */
  digestItem: (profileId: string, windowStart: Date, requestId: string) => `practice-${profileId}-new-requests-${windowStart.toISOString()}-${requestId}`,
  /** A one-time code: one message per code sent (a resend is a new code). */
  code: (verificationId: string, sendNumber: number, channel: Channel) => `verification-${verificationId}-code-${sendNumber}-${channel}`,
  /** A move's messages: one of each kind per move and channel (a request may be moved several times). */
  move: (moveId: string, kind: (typeof MOVE_PATIENT_KINDS)[number] | 'move_requested' | 'expiry_warning', channel: Channel) => `move-${moveId}-${kind.replace(/_/g, '-')}-${channel}`,
  /** "Lost your link?": one message per link. */
  patientLink: (linkId: string, channel: Channel) => `patient-link-${linkId}-${channel}`,
  /** The practice is written to by e-mail only. */
  practice: (requestId: string, kind: PracticeKind) => `request-${requestId}-${kind.replace(/_/g, '-')}-email`,
};

export interface WhatsAppTemplate {
  name: string;
  language: string;
  /** The template's body parameters {{1}}, {{2}}, … in order (see compose.ts for each kind). */
  parameters: string[];
}

export interface EmailAttachment {
  filename: string;
  contentType: string;
  content: string;
}

/** What a row's `payload` holds besides its rendered subject and body. */
export interface NotificationPayload {
  whatsapp?: WhatsAppTemplate;
  attachments?: EmailAttachment[];
  /** E-mail: the sender's display name (the practice) and where replies go. */
  fromName?: string;
  replyTo?: string;
  /** Reminders: minutes before the start. */
  offsetMinutes?: number;
  /**
   * The patient's status link, encrypted (link.ts), only on the "received" message: the body holds
   * the placeholder STATUS_LINK_PLACEHOLDER instead. Dropped once the message is sent or failed,
   * so the token it carries is never kept in plain text and not kept at all afterwards.
   */
  sealedStatusLink?: string;
  /** A one-time code, encrypted the same way; the body holds CODE_PLACEHOLDER. Dropped once sent. */
  sealedCode?: string;
  /** A new request's line in the practice's digest of its window (queue.ts newRequestDigest). */
  digest?: DigestPart;
}

/** What the sender needs to put a digest window's rows into one e-mail. */
export interface DigestPart {
  /** The window's key (kinds.dedupeKey.digest): rows with the same key go out together. */
  key: string;
  /** The e-mail's first paragraph, then this request's line. */
  intro: string;
  item: string;
  /** The subject's words before and after the count, in the practice's language. */
  subject: [string, string];
}

export const CODE_PLACEHOLDER = '[code]';

export const STATUS_LINK_PLACEHOLDER = '[status link]';

/**
 * Why a message no longer applies (`notifications.skip_reason` of a `skipped` row), and how the
 * appointment page says it.
 */
export const SKIP_REASONS = {
  request_answered: 'the request was answered',
  request_expired: 'the request expired',
  request_cancelled: 'the request was cancelled',
  request_not_pending: 'the request is no longer waiting for an answer',
  decision_undone: 'the decision was undone',
  appointment_cancelled: 'the appointment was cancelled',
  appointment_not_confirmed: 'the appointment is no longer confirmed',
  appointment_started: 'the appointment has already started',
  request_moved: 'the patient moved the request to another time',
  appointment_moved: 'the appointment was moved to another time',
} as const;

export type SkipReason = keyof typeof SKIP_REASONS;

export function skipReasonText(code: string | null): string {
  return (SKIP_REASONS as Record<string, string>)[code ?? ''] ?? 'no longer applies';
}
