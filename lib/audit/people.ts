import { and, eq, inArray } from 'drizzle-orm';
import { medicalServices, patients, reservationRequests, reservations, users } from '@/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { authorize } from '@/lib/auth/permissions';
import { executor, type CallOptions } from '@/lib/db';
import { isUuid } from '@/lib/validation/fields';
import { AUDIT_PAGE_SIZE, listAuditEntries, type AuditFilters, type AuditRow } from './query';

/**
 * The audit trail as people read it: actions in words, the patient, service or member named with
 * a link instead of an id, details as labelled values, and repeated reads of the same note by the
 * same person within an hour folded into one line (every read stays stored).
 */

const WORDS: Record<string, string> = {
  'request.created': 'Request received',
  'request.approved': 'Approved a request',
  'request.rejected': 'Rejected a request',
  'request.expired': 'Request expired unanswered',
  'request.cancelled': 'Request cancelled',
  'request.decision_undone': 'Undid a decision',
  'request.times_proposed': 'Offered other times',
  'request.proposal_accepted': 'Patient took an offered time',
  'request.moved': 'Patient moved a pending request',
  'request.move_asked': 'Patient asked to move an appointment',
  'request.move_withdrawn': 'Patient kept the original time',
  'request.move_expired': 'Move ended unanswered',
  'request.move_approved': 'Approved a move',
  'request.move_rejected': 'Kept the original time of a move',
  'appointment.booked_by_phone': 'Booked a phone-in patient',
  'reservation.cancelled': 'Cancelled an appointment',
  'reservation.completed': 'Marked an appointment completed',
  'reservation.no_show': 'Marked a no-show',
  'note.read': 'Read a clinical note',
  'note.written': 'Wrote a clinical note',
  'note.amended': 'Amended a clinical note',
  'practice.settings_updated': 'Changed the practice settings',
  'service.created': 'Added a service',
  'service.updated': 'Changed a service',
  'service.deactivated': 'Deactivated a service',
  'availability.time_blocked': 'Blocked time',
  'availability.time_unblocked': 'Freed blocked time',
  'auth.sign_in': 'Signed in',
  'auth.sign_out': 'Signed out',
};

const KEY_WORDS: Record<string, string> = {
  reservationId: 'Appointment',
  requestId: 'Request',
  serviceId: 'Service',
  startsAt: 'Time',
  from: 'From',
  to: 'Until',
  reason: 'Reason',
  version: 'Version',
  changed: 'Sections changed',
  versions: 'Versions',
  verifiedBy: 'Contact proved by',
  onPatientsWord: 'On the patient’s word',
  undone: 'Undone',
  instead: 'Instead of',
  slots: 'Slots',
  by: 'By',
};

/** An action code in words: known ones by name, others from the code ("practice.settings_updated" → "Practice: settings updated"). */
export function actionInWords(action: string): string {
  if (WORDS[action]) return WORDS[action];
  const [family, ...rest] = action.split('.');
  const what = rest.join(' ').replace(/_/g, ' ');
  return `${family.charAt(0).toUpperCase()}${family.slice(1).replace(/_/g, ' ')}${what ? `: ${what}` : ''}`;
}

export interface AuditLine {
  id: number;
  /** The newest of the folded entries. */
  createdAt: Date;
  /** The oldest, when several entries were folded into this line. */
  since: Date | null;
  count: number;
  who: string;
  /** Who acted when no person is named ('patient', 'system', 'api'): the page says it in its language. */
  whoKind: string | null;
  action: string;
  words: string;
  subject: Subject | null;
  details: AuditDetail[];
}

/**
 * A request, appointment, service or member named for people. `label` is English (the API and
 * tests read it); `kind` and `name` let a page say "{name}'s request" in its own language.
 */
export interface Subject {
  label: string;
  href: string | null;
  kind: 'request' | 'appointment' | 'service' | 'member';
  name: string;
}

/**
 * One labelled value of an entry's details, in English; `key` is the stored detail's name, and
 * `subject` / `flag` / `unknown` what the value was made from, for a page in another language.
 */
export interface AuditDetail {
  label: string;
  value: string;
  key: string;
  subject?: Subject;
  flag?: boolean;
  /** The appointment or service named was not found (value: "an appointment" / "a service"). */
  unknown?: 'appointment' | 'service';
}

const FOLD_MS = 60 * 60 * 1000;

/** The audit page's lines for admins: the same filters and pages as listAuditEntries. */
export async function listAuditLines(actor: Actor | null, profileId: string, input: AuditFilters = {}, opts?: CallOptions): Promise<{ lines: AuditLine[]; oldestId: number | null; full: boolean }> {
  authorize(actor, profileId, 'audit.read');
  const rows = await listAuditEntries(actor, profileId, input, opts);
  const subjects = await subjectsOf(profileId, rows, opts);
  const lines: AuditLine[] = [];
  for (const r of rows) {
    const named = r.actorName ?? r.actorEmail;
    const who = named ?? (r.actorKind === 'patient' ? 'The patient' : r.actorKind === 'system' ? 'The system' : r.actorKind === 'api' ? 'An integration' : r.actorKind);
    const previous = lines[lines.length - 1];
    // Newest first: a read folds into the line above when it is the same person, the same note, within the hour.
    if (
      previous &&
      r.action === 'note.read' &&
      previous.action === 'note.read' &&
      previous.who === who &&
      rows.find((x) => x.id === previous.id)?.entityId === r.entityId &&
      previous.createdAt.getTime() - r.createdAt.getTime() <= FOLD_MS
    ) {
      previous.count++;
      previous.since = r.createdAt;
      continue;
    }
    lines.push({
      id: r.id,
      createdAt: r.createdAt,
      since: null,
      count: 1,
      who,
      whoKind: named ? null : r.actorKind,
      action: r.action,
      words: actionInWords(r.action),
      subject: r.entityId ? (subjects.get(`${r.entityType}:${r.entityId}`) ?? null) : null,
      details: detailsOf(r, subjects),
    });
  }
  return { lines, oldestId: rows.length ? rows[rows.length - 1].id : null, full: rows.length === AUDIT_PAGE_SIZE };
}

function detailsOf(r: AuditRow, subjects: Map<string, Subject>): AuditDetail[] {
  if (!r.details) return [];
  return Object.entries(r.details).map(([key, value]) => {
    const label = KEY_WORDS[key] ?? key.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase());
    const named = (subject: Subject | undefined, unknown: 'appointment' | 'service'): AuditDetail =>
      subject ? { label, key, value: subject.label, subject } : { label, key, value: unknown === 'appointment' ? 'an appointment' : 'a service', unknown };
    if (key === 'reservationId' && typeof value === 'string') return named(subjects.get(`reservation:${value}`), 'appointment');
    if (key === 'serviceId' && typeof value === 'string') return named(subjects.get(`medical_service:${value}`), 'service');
    if (typeof value === 'boolean') return { label, key, value: value ? 'yes' : 'no', flag: value };
    if (Array.isArray(value)) return { label, key, value: value.map(String).join(', ') };
    if (value && typeof value === 'object') return { label, key, value: JSON.stringify(value) };
    return { label, key, value: String(value ?? '') };
  });
}

/** Names and links for the requests, appointments and services the rows mention (one query each). */
async function subjectsOf(profileId: string, rows: AuditRow[], opts?: CallOptions): Promise<Map<string, Subject>> {
  const db = await executor(opts);
  const out = new Map<string, Subject>();
  const requestIds = new Set<string>();
  const reservationIds = new Set<string>();
  const serviceIds = new Set<string>();
  const userIds = new Set<string>();
  for (const r of rows) {
    if (r.entityId && isUuid(r.entityId)) {
      if (r.entityType === 'reservation_request') requestIds.add(r.entityId);
      if (r.entityType === 'reservation') reservationIds.add(r.entityId);
      if (r.entityType === 'medical_service') serviceIds.add(r.entityId);
      if (r.entityType === 'user' || r.entityType === 'member') userIds.add(r.entityId);
    }
    const d = r.details ?? {};
    if (typeof d.reservationId === 'string' && isUuid(d.reservationId)) reservationIds.add(d.reservationId);
    if (typeof d.serviceId === 'string' && isUuid(d.serviceId)) serviceIds.add(d.serviceId);
  }
  if (requestIds.size) {
    const found = await db
      .select({ id: reservationRequests.id, name: patients.name, reservationId: reservations.id })
      .from(reservationRequests)
      .innerJoin(patients, eq(patients.id, reservationRequests.patientId))
      .leftJoin(reservations, eq(reservations.requestId, reservationRequests.id))
      .where(and(eq(reservationRequests.profileId, profileId), inArray(reservationRequests.id, [...requestIds])));
    for (const f of found) {
      out.set(`reservation_request:${f.id}`, { label: `${f.name}’s request`, kind: 'request', name: f.name, href: f.reservationId ? `/dashboard/appointments/${f.reservationId}` : '/dashboard/requests?tab=history' });
    }
  }
  if (reservationIds.size) {
    const found = await db
      .select({ id: reservations.id, name: patients.name })
      .from(reservations)
      .innerJoin(patients, eq(patients.id, reservations.patientId))
      .where(and(eq(reservations.profileId, profileId), inArray(reservations.id, [...reservationIds])));
    for (const f of found) out.set(`reservation:${f.id}`, { label: `${f.name}’s appointment`, kind: 'appointment', name: f.name, href: `/dashboard/appointments/${f.id}` });
  }
  if (serviceIds.size) {
    const found = await db
      .select({ id: medicalServices.id, name: medicalServices.name })
      .from(medicalServices)
      .where(and(eq(medicalServices.profileId, profileId), inArray(medicalServices.id, [...serviceIds])));
    for (const f of found) out.set(`medical_service:${f.id}`, { label: f.name, kind: 'service', name: f.name, href: '/dashboard/services' });
  }
  if (userIds.size) {
    const found = await db.select({ id: users.id, name: users.name, email: users.email }).from(users).where(inArray(users.id, [...userIds]));
    for (const f of found) {
      const member: Subject = { label: f.name ?? f.email, kind: 'member', name: f.name ?? f.email, href: '/dashboard/members' };
      out.set(`user:${f.id}`, member);
      out.set(`member:${f.id}`, member);
    }
  }
  return out;
}
