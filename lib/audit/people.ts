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
  action: string;
  words: string;
  subject: { label: string; href: string | null } | null;
  details: { label: string; value: string }[];
}

const FOLD_MS = 60 * 60 * 1000;

/** The audit page's lines for admins: the same filters and pages as listAuditEntries. */
export async function listAuditLines(actor: Actor | null, profileId: string, input: AuditFilters = {}, opts?: CallOptions): Promise<{ lines: AuditLine[]; oldestId: number | null; full: boolean }> {
  authorize(actor, profileId, 'audit.read');
  const rows = await listAuditEntries(actor, profileId, input, opts);
  const subjects = await subjectsOf(profileId, rows, opts);
  const lines: AuditLine[] = [];
  for (const r of rows) {
    const who = r.actorName ?? r.actorEmail ?? (r.actorKind === 'patient' ? 'The patient' : r.actorKind === 'system' ? 'The system' : r.actorKind === 'api' ? 'An integration' : r.actorKind);
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
      action: r.action,
      words: actionInWords(r.action),
      subject: r.entityId ? (subjects.get(`${r.entityType}:${r.entityId}`) ?? null) : null,
      details: detailsOf(r, subjects),
    });
  }
  return { lines, oldestId: rows.length ? rows[rows.length - 1].id : null, full: rows.length === AUDIT_PAGE_SIZE };
}

function detailsOf(r: AuditRow, subjects: Map<string, { label: string; href: string | null }>): { label: string; value: string }[] {
  if (!r.details) return [];
  return Object.entries(r.details).map(([key, value]) => {
    const label = KEY_WORDS[key] ?? key.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase());
    if (key === 'reservationId' && typeof value === 'string') return { label, value: subjects.get(`reservation:${value}`)?.label ?? 'an appointment' };
    if (key === 'serviceId' && typeof value === 'string') return { label, value: subjects.get(`medical_service:${value}`)?.label ?? 'a service' };
    if (typeof value === 'boolean') return { label, value: value ? 'yes' : 'no' };
    if (Array.isArray(value)) return { label, value: value.map(String).join(', ') };
    if (value && typeof value === 'object') return { label, value: JSON.stringify(value) };
    return { label, value: String(value ?? '') };
  });
}

/** Names and links for the requests, appointments and services the rows mention (one query each). */
async function subjectsOf(profileId: string, rows: AuditRow[], opts?: CallOptions): Promise<Map<string, { label: string; href: string | null }>> {
  const db = await executor(opts);
  const out = new Map<string, { label: string; href: string | null }>();
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
      out.set(`reservation_request:${f.id}`, { label: `${f.name}’s request`, href: f.reservationId ? `/dashboard/appointments/${f.reservationId}` : '/dashboard/requests?tab=history' });
    }
  }
  if (reservationIds.size) {
    const found = await db
      .select({ id: reservations.id, name: patients.name })
      .from(reservations)
      .innerJoin(patients, eq(patients.id, reservations.patientId))
      .where(and(eq(reservations.profileId, profileId), inArray(reservations.id, [...reservationIds])));
    for (const f of found) out.set(`reservation:${f.id}`, { label: `${f.name}’s appointment`, href: `/dashboard/appointments/${f.id}` });
  }
  if (serviceIds.size) {
    const found = await db
      .select({ id: medicalServices.id, name: medicalServices.name })
      .from(medicalServices)
      .where(and(eq(medicalServices.profileId, profileId), inArray(medicalServices.id, [...serviceIds])));
    for (const f of found) out.set(`medical_service:${f.id}`, { label: f.name, href: '/dashboard/services' });
  }
  if (userIds.size) {
    const found = await db.select({ id: users.id, name: users.name, email: users.email }).from(users).where(inArray(users.id, [...userIds]));
    for (const f of found) {
      out.set(`user:${f.id}`, { label: f.name ?? f.email, href: '/dashboard/members' });
      out.set(`member:${f.id}`, { label: f.name ?? f.email, href: '/dashboard/members' });
    }
  }
  return out;
}
