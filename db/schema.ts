import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  time,
  timestamp,
  uniqueIndex,
  uuid,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core';

const tz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const createdAt = () => tz('created_at').notNull().defaultNow();

export const memberRole = pgEnum('member_role', ['doctor', 'admin', 'front_desk']);
export const slotStatus = pgEnum('slot_status', ['available', 'pending_approval', 'reserved', 'blocked', 'expired']);
export const requestStatus = pgEnum('request_status', ['pending', 'approved', 'rejected', 'expired', 'cancelled']);
export const reservationStatus = pgEnum('reservation_status', ['confirmed', 'cancelled', 'completed', 'no_show']);
export const notificationChannel = pgEnum('notification_channel', ['email', 'whatsapp']);
/**
 * pending: waiting to be due or for its next try; sending: claimed by a sender until `lease_until`;
 * sent; failed (see `last_error`); skipped: no longer applies (see `skip_reason`).
 */
export const notificationStatus = pgEnum('notification_status', ['pending', 'sending', 'sent', 'failed', 'skipped']);
export const outboxStatus = pgEnum('outbox_status', ['pending', 'sent', 'local']);

// ---------------------------------------------------------------------------
// People who sign in (shaped for the Auth.js Drizzle adapter) and their practices
// ---------------------------------------------------------------------------

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name'),
    // Stored lower-cased; the unique index on lower(email) keeps it case-insensitive anyway.
    email: text('email').notNull(),
    emailVerified: tz('email_verified'),
    image: text('image'),
    passwordHash: text('password_hash'),
    passwordChangedAt: tz('password_changed_at'),
    // TOTP two-factor sign-in: the secret sealed with the server's key; on once enabled_at is set.
    totpSecretSealed: text('totp_secret_sealed'),
    totpEnabledAt: tz('totp_enabled_at'),
    // The dashboard language this person chose ('es', 'en'); null: their browser's, else the practice's.
    locale: text('locale'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('users_email_lower_idx').on(sql`lower(${t.email})`),
    check('users_locale_known', sql`${t.locale} IS NULL OR ${t.locale} IN ('es', 'en')`),
  ],
);

export const accounts = pgTable(
  'accounts',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    type: text('type').notNull(),
    provider: text('provider').notNull(),
    providerAccountId: text('provider_account_id').notNull(),
    refresh_token: text('refresh_token'),
    access_token: text('access_token'),
    expires_at: integer('expires_at'),
    token_type: text('token_type'),
    scope: text('scope'),
    id_token: text('id_token'),
    session_state: text('session_state'),
  },
  (t) => [primaryKey({ columns: [t.provider, t.providerAccountId] })],
);

export const sessions = pgTable('sessions', {
  sessionToken: text('session_token').primaryKey(),
  userId: uuid('user_id')
    .notNull()
    .references(() => users.id, { onDelete: 'cascade' }),
  expires: tz('expires').notNull(),
});

export const verificationTokens = pgTable(
  'verification_tokens',
  {
    identifier: text('identifier').notNull(),
    token: text('token').notNull(),
    expires: tz('expires').notNull(),
  },
  (t) => [primaryKey({ columns: [t.identifier, t.token] })],
);

export const profiles = pgTable(
  'profiles',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    slug: text('slug').notNull().unique(),
    displayName: text('display_name').notNull(),
    specialty: text('specialty').notNull().default(''),
    timeZone: text('time_zone').notNull().default('Europe/Madrid'),
    slotMinutes: smallint('slot_minutes').notNull().default(15),
    approvalWindowMinutes: integer('approval_window_minutes').notNull().default(1440),
    minNoticeMinutes: integer('min_notice_minutes').notNull().default(120),
    horizonDays: smallint('horizon_days').notNull().default(60),
    // Minutes before the start at which a confirmed appointment is reminded.
    reminderOffsetsMinutes: integer('reminder_offsets_minutes').array().notNull().default(sql`'{1440,120}'::integer[]`),
    contactPhone: text('contact_phone'),
    contactEmail: text('contact_email'),
    address: text('address'),
    whatsappEnabled: boolean('whatsapp_enabled').notNull().default(false),
    // Pending requests one verified contact may hold at once.
    maxPendingPerContact: smallint('max_pending_per_contact').notNull().default(2),
    // New-request e-mails to the practice are gathered into one digest per this many minutes (0: one each).
    requestDigestMinutes: smallint('request_digest_minutes').notNull().default(5),
    requireTwoFactor: boolean('require_two_factor').notNull().default(false),
    idleTimeoutMinutes: smallint('idle_timeout_minutes').notNull().default(30),
    // Whether front-desk members may approve, reject and propose times (they always book phone-ins).
    frontDeskDecides: boolean('front_desk_decides').notNull().default(false),
    // ISO 3166-1 alpha-2: the default country of phone numbers typed without a +prefix.
    country: text('country').notNull().default('ES'),
    // The language of public pages and messages when the patient's is unknown ('es', 'en').
    defaultLocale: text('default_locale').notNull().default('en'),
    // Shown to patients on the booking and status pages.
    cancellationPolicy: text('cancellation_policy').notNull().default(''),
    // Patients may move a request up to this many minutes before its start, at most this many times.
    moveCutoffMinutes: integer('move_cutoff_minutes').notNull().default(1440),
    maxMovesPerRequest: smallint('max_moves_per_request').notNull().default(2),
    isActive: boolean('is_active').notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [
    check('profiles_slug_format', sql`${t.slug} ~ '^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$'`),
    check('profiles_slot_minutes_range', sql`${t.slotMinutes} BETWEEN 5 AND 240`),
    check('profiles_approval_window_positive', sql`${t.approvalWindowMinutes} > 0`),
    check('profiles_min_notice_nonnegative', sql`${t.minNoticeMinutes} >= 0`),
    check('profiles_horizon_range', sql`${t.horizonDays} BETWEEN 1 AND 366`),
    check('profiles_max_pending_range', sql`${t.maxPendingPerContact} BETWEEN 1 AND 20`),
    check('profiles_digest_range', sql`${t.requestDigestMinutes} BETWEEN 0 AND 1440`),
    check('profiles_idle_timeout_range', sql`${t.idleTimeoutMinutes} BETWEEN 5 AND 720`),
    check('profiles_country_format', sql`${t.country} ~ '^[A-Z]{2}$'`),
    check('profiles_default_locale_known', sql`${t.defaultLocale} IN ('es', 'en')`),
    check('profiles_cancellation_policy_length', sql`char_length(${t.cancellationPolicy}) <= 2000`),
    check('profiles_move_cutoff_nonnegative', sql`${t.moveCutoffMinutes} BETWEEN 0 AND 43200`),
    check('profiles_max_moves_range', sql`${t.maxMovesPerRequest} BETWEEN 0 AND 10`),
  ],
);

export const profileMembers = pgTable(
  'profile_members',
  {
    profileId: uuid('profile_id')
      .notNull()
      .references(() => profiles.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    // A member holds a set of roles: the doctor of a one-person practice is its admin too.
    roles: memberRole('roles').array().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.profileId, t.userId] }),
    index('profile_members_user_idx').on(t.userId),
    check('profile_members_has_role', sql`cardinality(${t.roles}) > 0`),
  ],
);

// ---------------------------------------------------------------------------
// Catalog and availability
// ---------------------------------------------------------------------------

export const medicalServices = pgTable(
  'medical_services',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    profileId: uuid('profile_id')
      .notNull()
      .references(() => profiles.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    durationMinutes: smallint('duration_minutes').notNull(),
    priceAmount: integer('price_amount').notNull(),
    currency: text('currency').notNull().default('EUR'),
    isActive: boolean('is_active').notNull().default(true),
    createdAt: createdAt(),
    updatedAt: tz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('medical_services_profile_idx').on(t.profileId, t.isActive),
    check('medical_services_name_length', sql`char_length(${t.name}) BETWEEN 1 AND 120`),
    check('medical_services_duration_range', sql`${t.durationMinutes} BETWEEN 5 AND 480`),
    check('medical_services_price_nonnegative', sql`${t.priceAmount} >= 0`),
    check('medical_services_currency_format', sql`${t.currency} ~ '^[A-Z]{3}$'`),
  ],
);

export const availabilityRules = pgTable(
  'availability_rules',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    profileId: uuid('profile_id')
      .notNull()
      .references(() => profiles.id, { onDelete: 'cascade' }),
    // ISO weekday: 1 = Monday … 7 = Sunday.
    weekday: smallint('weekday').notNull(),
    startTime: time('start_time').notNull(),
    endTime: time('end_time').notNull(),
    // Null: every service; otherwise only these services may start in this interval.
    serviceIds: uuid('service_ids').array(),
    validFrom: date('valid_from'),
    validUntil: date('valid_until'),
    isActive: boolean('is_active').notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [
    index('availability_rules_profile_idx').on(t.profileId, t.weekday),
    check('availability_rules_weekday_range', sql`${t.weekday} BETWEEN 1 AND 7`),
    check('availability_rules_interval', sql`${t.endTime} > ${t.startTime}`),
    check('availability_rules_validity', sql`${t.validUntil} IS NULL OR ${t.validFrom} IS NULL OR ${t.validUntil} >= ${t.validFrom}`),
  ],
);

export const availabilityExceptions = pgTable(
  'availability_exceptions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    profileId: uuid('profile_id')
      .notNull()
      .references(() => profiles.id, { onDelete: 'cascade' }),
    date: date('date').notNull(),
    // closed = true: no hours that day. Otherwise start/end replace the weekly rules for that date.
    closed: boolean('closed').notNull(),
    startTime: time('start_time'),
    endTime: time('end_time'),
    reason: text('reason').notNull().default(''),
    createdAt: createdAt(),
  },
  (t) => [
    index('availability_exceptions_profile_date_idx').on(t.profileId, t.date),
    check(
      'availability_exceptions_hours',
      sql`(${t.closed} AND ${t.startTime} IS NULL AND ${t.endTime} IS NULL) OR (NOT ${t.closed} AND ${t.startTime} IS NOT NULL AND ${t.endTime} > ${t.startTime})`,
    ),
  ],
);

// The exclusion constraint that keeps one practice's slots from overlapping lives in the
// hand-written migration (drizzle-kit cannot express it): see db/migrations/*_slot_exclusion.sql.
export const timeSlots = pgTable(
  'time_slots',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    profileId: uuid('profile_id')
      .notNull()
      .references(() => profiles.id, { onDelete: 'cascade' }),
    startsAt: tz('starts_at').notNull(),
    endsAt: tz('ends_at').notNull(),
    status: slotStatus('status').notNull().default('available'),
    // Copied from the rule that made the slot: null means any service may start here.
    serviceIds: uuid('service_ids').array(),
    requestId: uuid('request_id').references(() => reservationRequests.id, { onDelete: 'set null' }),
    blockReason: text('block_reason'),
    updatedAt: tz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('time_slots_profile_start_idx').on(t.profileId, t.startsAt),
    index('time_slots_request_idx').on(t.requestId),
    check('time_slots_interval', sql`${t.endsAt} > ${t.startsAt}`),
    check(
      'time_slots_holder',
      sql`(${t.status} IN ('pending_approval', 'reserved')) = (${t.requestId} IS NOT NULL)`,
    ),
  ],
);

// ---------------------------------------------------------------------------
// Patients, requests, reservations
// ---------------------------------------------------------------------------

export const patients = pgTable(
  'patients',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    profileId: uuid('profile_id')
      .notNull()
      .references(() => profiles.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    phone: text('phone').notNull(),
    email: text('email'),
    dateOfBirth: date('date_of_birth'),
    whatsappOptOut: boolean('whatsapp_opt_out').notNull().default(false),
    // When a one-time code (or an integration) last proved each contact; null: never verified.
    phoneVerifiedAt: tz('phone_verified_at'),
    emailVerifiedAt: tz('email_verified_at'),
    createdAt: createdAt(),
  },
  (t) => [
    index('patients_profile_phone_idx').on(t.profileId, t.phone),
    index('patients_profile_email_idx').on(t.profileId, sql`lower(${t.email})`),
    check('patients_phone_e164', sql`${t.phone} ~ '^\\+[1-9][0-9]{6,14}$'`),
  ],
);

export const reservationRequests = pgTable(
  'reservation_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    profileId: uuid('profile_id')
      .notNull()
      .references(() => profiles.id, { onDelete: 'cascade' }),
    serviceId: uuid('service_id')
      .notNull()
      .references(() => medicalServices.id),
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patients.id),
    startsAt: tz('starts_at').notNull(),
    endsAt: tz('ends_at').notNull(),
    reason: text('reason').notNull().default(''),
    consentAt: tz('consent_at').notNull(),
    status: requestStatus('status').notNull().default('pending'),
    expiresAt: tz('expires_at').notNull(),
    decidedAt: tz('decided_at'),
    decidedBy: uuid('decided_by').references(() => users.id),
    decisionReason: text('decision_reason'),
    // SHA-256 of the public token; the token itself is never stored in plain text.
    tokenHash: text('token_hash').notNull().unique(),
    idempotencyKey: text('idempotency_key'),
    idempotencyBodyHash: text('idempotency_body_hash'),
    // When the practice offered other times instead (see request_proposals); null: never.
    proposedAt: tz('proposed_at'),
    // The patient's language ('es', 'en'): every message about this request uses it; null: the practice's.
    locale: text('locale'),
    // How many times the patient moved this request (limited by profiles.max_moves_per_request).
    moveCount: smallint('move_count').notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [
    check('reservation_requests_locale_known', sql`${t.locale} IS NULL OR ${t.locale} IN ('es', 'en')`),
    index('reservation_requests_profile_status_expiry_idx').on(t.profileId, t.status, t.expiresAt),
    index('reservation_requests_status_expiry_idx').on(t.status, t.expiresAt),
    index('reservation_requests_patient_idx').on(t.patientId),
    uniqueIndex('reservation_requests_idempotency_idx')
      .on(t.profileId, t.idempotencyKey)
      .where(sql`${t.idempotencyKey} IS NOT NULL`),
    check('reservation_requests_interval', sql`${t.endsAt} > ${t.startsAt}`),
    check(
      'reservation_requests_decision',
      sql`(${t.status} IN ('approved', 'rejected')) = (${t.decidedAt} IS NOT NULL)`,
    ),
  ],
);

export const reservations = pgTable(
  'reservations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    requestId: uuid('request_id')
      .notNull()
      .unique()
      .references(() => reservationRequests.id),
    profileId: uuid('profile_id')
      .notNull()
      .references(() => profiles.id, { onDelete: 'cascade' }),
    serviceId: uuid('service_id')
      .notNull()
      .references(() => medicalServices.id),
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patients.id),
    startsAt: tz('starts_at').notNull(),
    endsAt: tz('ends_at').notNull(),
    status: reservationStatus('status').notNull().default('confirmed'),
    confirmedAt: tz('confirmed_at').notNull().defaultNow(),
    cancelledAt: tz('cancelled_at'),
    cancelledBy: uuid('cancelled_by').references(() => users.id),
    cancelledByPatient: boolean('cancelled_by_patient').notNull().default(false),
    cancelReason: text('cancel_reason'),
  },
  (t) => [
    index('reservations_profile_start_idx').on(t.profileId, t.startsAt),
    index('reservations_patient_idx').on(t.patientId),
    check('reservations_interval', sql`${t.endsAt} > ${t.startsAt}`),
    check('reservations_cancelled', sql`(${t.status} = 'cancelled') = (${t.cancelledAt} IS NOT NULL)`),
  ],
);

/**
 * offered: held for the patient (its slots are `pending_approval` under the request's id) until the
 * request's deadline; accepted: the request was approved at this time; released: declined,
 * withdrawn, another one accepted, or the request ended.
 */
export const proposalStatus = pgEnum('proposal_status', ['offered', 'accepted', 'released']);

/** Another time the practice offers instead of the one requested ("how about Wednesday at 12:00?"). */
export const requestProposals = pgTable(
  'request_proposals',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    requestId: uuid('request_id')
      .notNull()
      .references(() => reservationRequests.id, { onDelete: 'cascade' }),
    profileId: uuid('profile_id')
      .notNull()
      .references(() => profiles.id, { onDelete: 'cascade' }),
    startsAt: tz('starts_at').notNull(),
    endsAt: tz('ends_at').notNull(),
    status: proposalStatus('status').notNull().default('offered'),
    proposedBy: uuid('proposed_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    decidedAt: tz('decided_at'),
  },
  (t) => [
    uniqueIndex('request_proposals_request_start_idx').on(t.requestId, t.startsAt),
    index('request_proposals_profile_idx').on(t.profileId, t.status),
    check('request_proposals_interval', sql`${t.endsAt} > ${t.startsAt}`),
  ],
);

/**
 * A patient's move of their request to another time. pending: the request was approved, the new
 * time is held (its slots are `pending_approval` under the request's id) and the old one stays
 * reserved until the practice decides; applied: a pending request moved at once (old time released);
 * approved / rejected: the practice's answer to a pending move; withdrawn: the patient cancelled it
 * or the request ended first.
 */
export const requestMoveStatus = pgEnum('request_move_status', ['pending', 'applied', 'approved', 'rejected', 'withdrawn']);

export const requestMoves = pgTable(
  'request_moves',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    requestId: uuid('request_id')
      .notNull()
      .references(() => reservationRequests.id, { onDelete: 'cascade' }),
    profileId: uuid('profile_id')
      .notNull()
      .references(() => profiles.id, { onDelete: 'cascade' }),
    fromStartsAt: tz('from_starts_at').notNull(),
    fromEndsAt: tz('from_ends_at').notNull(),
    toStartsAt: tz('to_starts_at').notNull(),
    toEndsAt: tz('to_ends_at').notNull(),
    status: requestMoveStatus('status').notNull().default('pending'),
    createdAt: createdAt(),
    decidedAt: tz('decided_at'),
    decidedBy: uuid('decided_by').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [
    index('request_moves_request_idx').on(t.requestId),
    index('request_moves_profile_status_idx').on(t.profileId, t.status),
    // At most one move waiting for the practice per request.
    uniqueIndex('request_moves_one_pending_idx').on(t.requestId).where(sql`${t.status} = 'pending'`),
    check('request_moves_interval', sql`${t.toEndsAt} > ${t.toStartsAt} AND ${t.fromEndsAt} > ${t.fromStartsAt}`),
  ],
);

/**
 * "Lost your link?": a single-use link sent to a verified contact, listing that contact's requests
 * at one practice. Opening it spends the token and starts a short patient session whose id is
 * stored hashed in `session_hash`.
 */
export const patientLinks = pgTable(
  'patient_links',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    profileId: uuid('profile_id')
      .notNull()
      .references(() => profiles.id, { onDelete: 'cascade' }),
    channel: notificationChannel('channel').notNull(),
    // Normalized: a lower-case e-mail address or an E.164 phone.
    contact: text('contact').notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    expiresAt: tz('expires_at').notNull(),
    usedAt: tz('used_at'),
    sessionHash: text('session_hash').unique(),
    sessionExpiresAt: tz('session_expires_at'),
    locale: text('locale'),
    createdAt: createdAt(),
  },
  (t) => [index('patient_links_contact_idx').on(t.profileId, t.contact, t.createdAt)],
);

// ---------------------------------------------------------------------------
// Outboxes: messages to people, and events to the workflow engine
// ---------------------------------------------------------------------------

export const notifications = pgTable(
  'notifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    profileId: uuid('profile_id')
      .notNull()
      .references(() => profiles.id, { onDelete: 'cascade' }),
    requestId: uuid('request_id').references(() => reservationRequests.id),
    reservationId: uuid('reservation_id').references(() => reservations.id),
    // One row per message: e.g. `request-{id}-received-email`; makes every send idempotent.
    dedupeKey: text('dedupe_key').notNull().unique(),
    kind: text('kind').notNull(),
    channel: notificationChannel('channel').notNull(),
    recipient: text('recipient').notNull(),
    subject: text('subject'),
    body: text('body').notNull(),
    payload: jsonb('payload'),
    status: notificationStatus('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    dueAt: tz('due_at').notNull().defaultNow(),
    nextAttemptAt: tz('next_attempt_at').notNull().defaultNow(),
    providerId: text('provider_id'),
    sentAt: tz('sent_at'),
    // While `sending`: when the sender's claim runs out (its outcome is then unknown).
    leaseUntil: tz('lease_until'),
    // The provider's error (failed, or pending before its next try).
    lastError: text('last_error'),
    // Why a `skipped` message no longer applies: a code of lib/notifications/kinds.ts (SKIP_REASONS).
    skipReason: text('skip_reason'),
    createdAt: createdAt(),
  },
  (t) => [
    index('notifications_status_due_idx').on(t.status, t.nextAttemptAt),
    index('notifications_reservation_idx').on(t.reservationId),
    index('notifications_request_idx').on(t.requestId),
  ],
);

export const eventOutbox = pgTable(
  'event_outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    // The Inngest event id (e.g. `request-{id}-requested`): a re-sent event is not run twice.
    eventId: text('event_id').notNull().unique(),
    name: text('name').notNull(),
    data: jsonb('data').notNull(),
    status: outboxStatus('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    createdAt: createdAt(),
    sentAt: tz('sent_at'),
  },
  (t) => [index('event_outbox_pending_idx').on(t.status, t.id)],
);

// ---------------------------------------------------------------------------
// Clinical notes, audit trail, rate limits
// ---------------------------------------------------------------------------

export const appointmentNotes = pgTable(
  'appointment_notes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    profileId: uuid('profile_id')
      .notNull()
      .references(() => profiles.id, { onDelete: 'cascade' }),
    reservationId: uuid('reservation_id')
      .notNull()
      .references(() => reservations.id),
    version: integer('version').notNull(),
    subjective: text('subjective').notNull().default(''),
    objective: text('objective').notNull().default(''),
    assessment: text('assessment').notNull().default(''),
    plan: text('plan').notNull().default(''),
    authorId: uuid('author_id')
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('appointment_notes_version_idx').on(t.reservationId, t.version),
    check('appointment_notes_version_positive', sql`${t.version} >= 1`),
  ],
);

/**
 * A note being written: saved as the author types, one per author and appointment, never a
 * version; `base_version` is the version it started from (0: none), to show a conflict.
 */
export const noteDrafts = pgTable(
  'note_drafts',
  {
    reservationId: uuid('reservation_id')
      .notNull()
      .references(() => reservations.id, { onDelete: 'cascade' }),
    authorId: uuid('author_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    profileId: uuid('profile_id')
      .notNull()
      .references(() => profiles.id, { onDelete: 'cascade' }),
    baseVersion: integer('base_version').notNull().default(0),
    subjective: text('subjective').notNull().default(''),
    objective: text('objective').notNull().default(''),
    assessment: text('assessment').notNull().default(''),
    plan: text('plan').notNull().default(''),
    updatedAt: tz('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.reservationId, t.authorId] })],
);

export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    profileId: uuid('profile_id').references(() => profiles.id, { onDelete: 'cascade' }),
    actorUserId: uuid('actor_user_id').references(() => users.id),
    // 'user', 'patient', 'system', 'api'
    actorKind: text('actor_kind').notNull(),
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id'),
    details: jsonb('details'),
    createdAt: createdAt(),
  },
  (t) => [
    index('audit_log_profile_time_idx').on(t.profileId, t.createdAt),
    index('audit_log_entity_idx').on(t.entityType, t.entityId),
  ],
);

/** A count per key and fixed window (rate_limits, call_counts). */
const windowCount = {
  columns: () => ({
    key: text('key').notNull(),
    windowStart: tz('window_start').notNull(),
    count: integer('count').notNull().default(0),
  }),
  keys: (t: { key: AnyPgColumn; windowStart: AnyPgColumn }) => [primaryKey({ columns: [t.key, t.windowStart] })],
};

export const rateLimits = pgTable('rate_limits', windowCount.columns(), windowCount.keys);

/**
 * Calls counted only to limit throughput (an integration key's calls per minute, API.md's 429):
 * an UNLOGGED table (migration 0007; drizzle-kit does not model it), so counting a call writes no
 * WAL and its commit waits for no flush (on Neon, no round trip to the safekeepers): the key's
 * check was 4x faster for it (pgbench, 10 clients). Its rows are lost if Postgres crashes (a
 * limit then starts its window again) and are not on replicas. Counts a secret is guessed against
 * (sign-in, second factor, codes) stay in rate_limits, which is logged.
 */
export const callCounts = pgTable('call_counts', windowCount.columns(), windowCount.keys);

// ---------------------------------------------------------------------------
// Trust: verified contacts, integration keys, staff sessions and accounts
// ---------------------------------------------------------------------------

export const verificationStatus = pgEnum('verification_status', ['pending', 'verified', 'used', 'expired']);

/**
 * A request waiting for its contact to be proved by a one-time code: it holds no time. The code
 * is stored hashed; `payload` is the validated request, claimed in the same transaction that
 * accepts the code.
 */
export const contactVerifications = pgTable(
  'contact_verifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    profileId: uuid('profile_id')
      .notNull()
      .references(() => profiles.id, { onDelete: 'cascade' }),
    channel: notificationChannel('channel').notNull(),
    // Normalized: a lower-case e-mail address or an E.164 phone.
    contact: text('contact').notNull(),
    codeHash: text('code_hash').notNull(),
    attempts: smallint('attempts').notNull().default(0),
    status: verificationStatus('status').notNull().default('pending'),
    payload: jsonb('payload').notNull(),
    idempotencyKey: text('idempotency_key'),
    idempotencyBodyHash: text('idempotency_body_hash'),
    requestId: uuid('request_id').references(() => reservationRequests.id, { onDelete: 'set null' }),
    expiresAt: tz('expires_at').notNull(),
    verifiedAt: tz('verified_at'),
    createdAt: createdAt(),
  },
  (t) => [
    index('contact_verifications_contact_idx').on(t.profileId, t.contact, t.createdAt),
    uniqueIndex('contact_verifications_idempotency_idx')
      .on(t.profileId, t.idempotencyKey)
      .where(sql`${t.idempotencyKey} IS NOT NULL`),
  ],
);

/** A practice's key for a chatbot or partner back end: shown once, stored hashed, revocable. */
export const integrationKeys = pgTable(
  'integration_keys',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    profileId: uuid('profile_id')
      .notNull()
      .references(() => profiles.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    keyHash: text('key_hash').notNull().unique(),
    // The first characters, to tell keys apart in the list.
    prefix: text('prefix').notNull(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    lastUsedAt: tz('last_used_at'),
    revokedAt: tz('revoked_at'),
  },
  (t) => [index('integration_keys_profile_idx').on(t.profileId)],
);

/**
 * A signed-in staff session: the cookie carries a random id whose hash is here, so a session
 * ends for real at sign-out, after the idle timeout or its lifetime, or when it is revoked.
 */
export const staffSessions = pgTable(
  'staff_sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull().unique(),
    createdAt: createdAt(),
    lastSeenAt: tz('last_seen_at').notNull().defaultNow(),
    expiresAt: tz('expires_at').notNull(),
    // Null until the second factor is given, for a user who has two-factor sign-in on.
    secondFactorAt: tz('second_factor_at'),
    userAgent: text('user_agent'),
    clientAddress: text('client_address'),
    revokedAt: tz('revoked_at'),
    revokedReason: text('revoked_reason'),
  },
  (t) => [index('staff_sessions_user_idx').on(t.userId)],
);

/** Single-use recovery codes for two-factor sign-in, stored hashed. */
export const recoveryCodes = pgTable(
  'recovery_codes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    codeHash: text('code_hash').notNull(),
    usedAt: tz('used_at'),
    createdAt: createdAt(),
  },
  (t) => [index('recovery_codes_user_idx').on(t.userId)],
);

/** An invitation to join a practice: a hashed, single-use token valid 7 days. */
export const invitations = pgTable(
  'invitations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    profileId: uuid('profile_id')
      .notNull()
      .references(() => profiles.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    roles: memberRole('roles').array().notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    invitedBy: uuid('invited_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    expiresAt: tz('expires_at').notNull(),
    acceptedAt: tz('accepted_at'),
    acceptedBy: uuid('accepted_by').references(() => users.id, { onDelete: 'set null' }),
    revokedAt: tz('revoked_at'),
  },
  (t) => [index('invitations_profile_idx').on(t.profileId), check('invitations_has_role', sql`cardinality(${t.roles}) > 0`)],
);

export const userTokenKind = pgEnum('user_token_kind', ['password_reset', 'email_verification']);

/** Single-use, hashed tokens sent to a user by e-mail: password reset (1 h), e-mail verification. */
export const userTokens = pgTable(
  'user_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: userTokenKind('kind').notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    expiresAt: tz('expires_at').notNull(),
    usedAt: tz('used_at'),
    createdAt: createdAt(),
  },
  (t) => [index('user_tokens_user_idx').on(t.userId, t.kind)],
);

// ---------------------------------------------------------------------------
// Inferred types
// ---------------------------------------------------------------------------

export type User = typeof users.$inferSelect;
export type Profile = typeof profiles.$inferSelect;
export type ProfileMember = typeof profileMembers.$inferSelect;
export type MemberRole = (typeof memberRole.enumValues)[number];
export type MedicalService = typeof medicalServices.$inferSelect;
export type AvailabilityRule = typeof availabilityRules.$inferSelect;
export type AvailabilityException = typeof availabilityExceptions.$inferSelect;
export type TimeSlot = typeof timeSlots.$inferSelect;
export type SlotStatus = (typeof slotStatus.enumValues)[number];
export type Patient = typeof patients.$inferSelect;
export type ReservationRequest = typeof reservationRequests.$inferSelect;
export type RequestStatus = (typeof requestStatus.enumValues)[number];
export type Reservation = typeof reservations.$inferSelect;
export type Notification = typeof notifications.$inferSelect;
export type OutboxEvent = typeof eventOutbox.$inferSelect;
export type AppointmentNote = typeof appointmentNotes.$inferSelect;
export type NoteDraft = typeof noteDrafts.$inferSelect;
export type RequestProposal = typeof requestProposals.$inferSelect;
export type RequestMove = typeof requestMoves.$inferSelect;
export type PatientLink = typeof patientLinks.$inferSelect;
export type AuditEntry = typeof auditLog.$inferSelect;
export type ContactVerification = typeof contactVerifications.$inferSelect;
export type IntegrationKey = typeof integrationKeys.$inferSelect;
export type StaffSession = typeof staffSessions.$inferSelect;
export type Invitation = typeof invitations.$inferSelect;
