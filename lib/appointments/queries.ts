import { and, asc, count, desc, eq, gt, gte, inArray, lt, lte, min, ne, or } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Executor } from '@/db/client';
import {
  medicalServices,
  patients,
  reservationRequests,
  reservations,
  users,
  type RequestStatus,
} from '@/db/schema';
import { requireMembership, type Actor } from '@/lib/auth/actor';
import { todayIn, zonedLocalToUtc } from '@/lib/availability/time';
import { DomainError } from '@/lib/errors';
import { isUuid } from '@/lib/validation/fields';

/**
 * What the dashboard reads about a practice's requests and appointments. Every function takes the
 * actor and the practice, checks the membership first and puts the practice in every WHERE: a row
 * of another practice is "not found", never shown.
 */

export type ReservationStatus = (typeof reservations.$inferSelect)['status'];

export interface PatientSummary {
  id: string;
  name: string;
  phone: string;
  email: string | null;
  dateOfBirth: string | null;
  /** Whole years on today's date in the practice's time zone; null when no birth date was given. */
  age: number | null;
}

export interface EarlierAppointment {
  id: string;
  startsAt: Date;
  endsAt: Date;
  status: ReservationStatus;
  serviceName: string;
}

/** A patient's appointments in this practice before a moment: the most recent few and how many in all. */
export interface EarlierAppointments {
  total: number;
  recent: EarlierAppointment[];
}

export interface PendingRequest {
  id: string;
  startsAt: Date;
  endsAt: Date;
  expiresAt: Date;
  createdAt: Date;
  reason: string;
  service: { id: string; name: string; durationMinutes: number };
  patient: PatientSummary;
  earlier: EarlierAppointments;
}

export interface HistoryEntry {
  id: string;
  /** As the patient reads it: a pending request past its deadline is expired. */
  status: Exclude<RequestStatus, 'pending'>;
  startsAt: Date;
  endsAt: Date;
  createdAt: Date;
  expiresAt: Date;
  decidedAt: Date | null;
  decidedByName: string | null;
  decisionReason: string | null;
  service: { id: string; name: string };
  patient: { id: string; name: string; phone: string };
  reservation: { id: string; status: ReservationStatus } | null;
}

export interface AgendaItem {
  id: string;
  startsAt: Date;
  endsAt: Date;
  status: ReservationStatus;
  service: { id: string; name: string };
  patient: { id: string; name: string; phone: string };
}

export interface AppointmentDetail {
  id: string;
  requestId: string;
  startsAt: Date;
  endsAt: Date;
  status: ReservationStatus;
  confirmedAt: Date;
  cancelledAt: Date | null;
  cancelReason: string | null;
  cancelledByPatient: boolean;
  cancelledByName: string | null;
  /** The patient's reason for the visit, from the request. */
  reason: string;
  requestedAt: Date;
  service: { id: string; name: string; durationMinutes: number; priceAmount: number; currency: string };
  patient: PatientSummary;
  earlier: EarlierAppointments;
}

export interface RequestSummary {
  id: string;
  status: RequestStatus;
  startsAt: Date;
  endsAt: Date;
  expiresAt: Date;
  serviceName: string;
  patientName: string;
}

/** How many earlier appointments each listed patient shows; the total is counted regardless. */
export const EARLIER_SHOWN = 3;
/**
 * The requests page shows the nearest deadlines first, this many at a time (the list re-renders
 * every few seconds; 500 full cards each time would be a megabyte), and never more than
 * PENDING_LIMIT.
 */
export const PENDING_PAGE_SIZE = 50;
export const PENDING_LIMIT = 1000;
export const HISTORY_PAGE_SIZE = 50;

/**
 * Pending requests not past their deadline, nearest deadline first, with the patient, the service
 * and the patient's earlier appointments in this practice (one query for all listed patients).
 */
export async function listPendingRequests(
  db: Executor,
  actor: Actor,
  profileId: string,
  opts: { now?: Date; limit?: number } = {},
): Promise<PendingRequest[]> {
  const membership = requireMembership(actor, profileId);
  const now = opts.now ?? new Date();
  const rows = await db
    .select({
      id: reservationRequests.id,
      startsAt: reservationRequests.startsAt,
      endsAt: reservationRequests.endsAt,
      expiresAt: reservationRequests.expiresAt,
      createdAt: reservationRequests.createdAt,
      reason: reservationRequests.reason,
      serviceId: medicalServices.id,
      serviceName: medicalServices.name,
      durationMinutes: medicalServices.durationMinutes,
      patientId: patients.id,
      patientName: patients.name,
      phone: patients.phone,
      email: patients.email,
      dateOfBirth: patients.dateOfBirth,
    })
    .from(reservationRequests)
    .innerJoin(patients, and(eq(patients.id, reservationRequests.patientId), eq(patients.profileId, profileId)))
    .innerJoin(medicalServices, and(eq(medicalServices.id, reservationRequests.serviceId), eq(medicalServices.profileId, profileId)))
    .where(and(eq(reservationRequests.profileId, profileId), eq(reservationRequests.status, 'pending'), gt(reservationRequests.expiresAt, now)))
    .orderBy(asc(reservationRequests.expiresAt), asc(reservationRequests.startsAt), asc(reservationRequests.id))
    .limit(Math.min(opts.limit ?? PENDING_LIMIT, PENDING_LIMIT));

  const today = todayIn(membership.timeZone, now);
  const earlier = await earlierAppointmentsOf(db, profileId, [...new Set(rows.map((r) => r.patientId))], now);
  return rows.map((r) => ({
    id: r.id,
    startsAt: r.startsAt,
    endsAt: r.endsAt,
    expiresAt: r.expiresAt,
    createdAt: r.createdAt,
    reason: r.reason,
    service: { id: r.serviceId, name: r.serviceName, durationMinutes: r.durationMinutes },
    patient: {
      id: r.patientId,
      name: r.patientName,
      phone: r.phone,
      email: r.email,
      dateOfBirth: r.dateOfBirth,
      age: ageOn(r.dateOfBirth, today),
    },
    earlier: earlier.get(r.patientId) ?? { total: 0, recent: [] },
  }));
}

/**
 * Requests that are no longer waiting: approved, rejected, cancelled and expired (a pending one
 * past its deadline counts as expired even before a sweep ran), most recently received first.
 */
export async function listRequestHistory(
  db: Executor,
  actor: Actor,
  profileId: string,
  opts: { now?: Date; page?: number; pageSize?: number } = {},
): Promise<{ entries: HistoryEntry[]; page: number; hasMore: boolean }> {
  requireMembership(actor, profileId);
  const now = opts.now ?? new Date();
  const pageSize = Math.max(1, Math.min(opts.pageSize ?? HISTORY_PAGE_SIZE, 200));
  const page = Math.max(1, Math.floor(opts.page ?? 1));
  const decider = alias(users, 'decider');
  const rows = await db
    .select({
      id: reservationRequests.id,
      status: reservationRequests.status,
      startsAt: reservationRequests.startsAt,
      endsAt: reservationRequests.endsAt,
      createdAt: reservationRequests.createdAt,
      expiresAt: reservationRequests.expiresAt,
      decidedAt: reservationRequests.decidedAt,
      decisionReason: reservationRequests.decisionReason,
      decidedByName: decider.name,
      decidedByEmail: decider.email,
      serviceId: medicalServices.id,
      serviceName: medicalServices.name,
      patientId: patients.id,
      patientName: patients.name,
      phone: patients.phone,
      reservationId: reservations.id,
      reservationStatus: reservations.status,
    })
    .from(reservationRequests)
    .innerJoin(patients, and(eq(patients.id, reservationRequests.patientId), eq(patients.profileId, profileId)))
    .innerJoin(medicalServices, and(eq(medicalServices.id, reservationRequests.serviceId), eq(medicalServices.profileId, profileId)))
    .leftJoin(reservations, and(eq(reservations.requestId, reservationRequests.id), eq(reservations.profileId, profileId)))
    .leftJoin(decider, eq(decider.id, reservationRequests.decidedBy))
    .where(
      and(
        eq(reservationRequests.profileId, profileId),
        or(ne(reservationRequests.status, 'pending'), lte(reservationRequests.expiresAt, now)),
      ),
    )
    .orderBy(desc(reservationRequests.createdAt), desc(reservationRequests.id))
    .limit(pageSize + 1)
    .offset((page - 1) * pageSize);
  return {
    page,
    hasMore: rows.length > pageSize,
    entries: rows.slice(0, pageSize).map((r) => ({
      id: r.id,
      status: r.status === 'pending' ? 'expired' : r.status,
      startsAt: r.startsAt,
      endsAt: r.endsAt,
      createdAt: r.createdAt,
      expiresAt: r.expiresAt,
      decidedAt: r.decidedAt,
      decidedByName: r.decidedByName ?? r.decidedByEmail ?? null,
      decisionReason: r.decisionReason,
      service: { id: r.serviceId, name: r.serviceName },
      patient: { id: r.patientId, name: r.patientName, phone: r.phone },
      reservation: r.reservationId && r.reservationStatus ? { id: r.reservationId, status: r.reservationStatus } : null,
    })),
  };
}

/** How many requests wait for an answer, and the nearest deadline among them. */
export async function pendingSummary(
  db: Executor,
  actor: Actor,
  profileId: string,
  now: Date = new Date(),
): Promise<{ count: number; nearestDeadline: Date | null }> {
  requireMembership(actor, profileId);
  const [row] = await db
    .select({ n: count(), nearest: min(reservationRequests.expiresAt) })
    .from(reservationRequests)
    .where(and(eq(reservationRequests.profileId, profileId), eq(reservationRequests.status, 'pending'), gt(reservationRequests.expiresAt, now)));
  return { count: Number(row?.n ?? 0), nearestDeadline: row?.nearest ? new Date(row.nearest) : null };
}

/** How many requests wait for an answer (pending and not past their deadline). */
export async function countPending(db: Executor, actor: Actor, profileId: string, now: Date = new Date()): Promise<number> {
  return (await pendingSummary(db, actor, profileId, now)).count;
}

/** The practice's appointments starting in [from, to), every status, in start order. */
export async function listAgenda(db: Executor, actor: Actor, profileId: string, from: Date, to: Date): Promise<AgendaItem[]> {
  requireMembership(actor, profileId);
  const rows = await db
    .select({
      id: reservations.id,
      startsAt: reservations.startsAt,
      endsAt: reservations.endsAt,
      status: reservations.status,
      serviceId: medicalServices.id,
      serviceName: medicalServices.name,
      patientId: patients.id,
      patientName: patients.name,
      phone: patients.phone,
    })
    .from(reservations)
    .innerJoin(patients, and(eq(patients.id, reservations.patientId), eq(patients.profileId, profileId)))
    .innerJoin(medicalServices, and(eq(medicalServices.id, reservations.serviceId), eq(medicalServices.profileId, profileId)))
    .where(and(eq(reservations.profileId, profileId), gte(reservations.startsAt, from), lt(reservations.startsAt, to)))
    .orderBy(asc(reservations.startsAt), asc(reservations.id));
  return rows.map((r) => ({
    id: r.id,
    startsAt: r.startsAt,
    endsAt: r.endsAt,
    status: r.status,
    service: { id: r.serviceId, name: r.serviceName },
    patient: { id: r.patientId, name: r.patientName, phone: r.phone },
  }));
}

/** One appointment of the practice with the patient and their earlier appointments; not_found otherwise. */
export async function getAppointment(
  db: Executor,
  actor: Actor,
  profileId: string,
  reservationId: string,
  now: Date = new Date(),
): Promise<AppointmentDetail> {
  const membership = requireMembership(actor, profileId);
  if (!isUuid(reservationId)) throw new DomainError('not_found', 'No such appointment.');
  const canceller = alias(users, 'canceller');
  const [row] = await db
    .select({
      id: reservations.id,
      requestId: reservations.requestId,
      startsAt: reservations.startsAt,
      endsAt: reservations.endsAt,
      status: reservations.status,
      confirmedAt: reservations.confirmedAt,
      cancelledAt: reservations.cancelledAt,
      cancelReason: reservations.cancelReason,
      cancelledByPatient: reservations.cancelledByPatient,
      cancelledByName: canceller.name,
      cancelledByEmail: canceller.email,
      reason: reservationRequests.reason,
      requestedAt: reservationRequests.createdAt,
      serviceId: medicalServices.id,
      serviceName: medicalServices.name,
      durationMinutes: medicalServices.durationMinutes,
      priceAmount: medicalServices.priceAmount,
      currency: medicalServices.currency,
      patientId: patients.id,
      patientName: patients.name,
      phone: patients.phone,
      email: patients.email,
      dateOfBirth: patients.dateOfBirth,
    })
    .from(reservations)
    .innerJoin(reservationRequests, and(eq(reservationRequests.id, reservations.requestId), eq(reservationRequests.profileId, profileId)))
    .innerJoin(patients, and(eq(patients.id, reservations.patientId), eq(patients.profileId, profileId)))
    .innerJoin(medicalServices, and(eq(medicalServices.id, reservations.serviceId), eq(medicalServices.profileId, profileId)))
    .leftJoin(canceller, eq(canceller.id, reservations.cancelledBy))
    .where(and(eq(reservations.id, reservationId), eq(reservations.profileId, profileId)))
    .limit(1);
  if (!row) throw new DomainError('not_found', 'No such appointment.');
  const earlier = await earlierAppointmentsOf(db, profileId, [row.patientId], row.startsAt, 20);
  return {
    id: row.id,
    requestId: row.requestId,
    startsAt: row.startsAt,
    endsAt: row.endsAt,
    status: row.status,
    confirmedAt: row.confirmedAt,
    cancelledAt: row.cancelledAt,
    cancelReason: row.cancelReason,
    cancelledByPatient: row.cancelledByPatient,
    cancelledByName: row.cancelledByName ?? row.cancelledByEmail ?? null,
    reason: row.reason,
    requestedAt: row.requestedAt,
    service: { id: row.serviceId, name: row.serviceName, durationMinutes: row.durationMinutes, priceAmount: row.priceAmount, currency: row.currency },
    patient: {
      id: row.patientId,
      name: row.patientName,
      phone: row.phone,
      email: row.email,
      dateOfBirth: row.dateOfBirth,
      age: ageOn(row.dateOfBirth, todayIn(membership.timeZone, now)),
    },
    earlier: earlier.get(row.patientId) ?? { total: 0, recent: [] },
  };
}

/** One request of the practice, in a few words (for a decision's confirmation); not_found otherwise. */
export async function getRequestSummary(db: Executor, actor: Actor, profileId: string, requestId: string): Promise<RequestSummary> {
  requireMembership(actor, profileId);
  if (!isUuid(requestId)) throw new DomainError('not_found', 'No such request.');
  const [row] = await db
    .select({
      id: reservationRequests.id,
      status: reservationRequests.status,
      startsAt: reservationRequests.startsAt,
      endsAt: reservationRequests.endsAt,
      expiresAt: reservationRequests.expiresAt,
      serviceName: medicalServices.name,
      patientName: patients.name,
    })
    .from(reservationRequests)
    .innerJoin(patients, and(eq(patients.id, reservationRequests.patientId), eq(patients.profileId, profileId)))
    .innerJoin(medicalServices, and(eq(medicalServices.id, reservationRequests.serviceId), eq(medicalServices.profileId, profileId)))
    .where(and(eq(reservationRequests.id, requestId), eq(reservationRequests.profileId, profileId)))
    .limit(1);
  if (!row) throw new DomainError('not_found', 'No such request.');
  return row;
}

/**
 * The first instant of a local date in a time zone. Where midnight does not exist (a zone that
 * springs forward at 00:00) the day starts at the first wall-clock time that does.
 */
export function startOfLocalDay(date: string, timeZone: string): Date {
  for (const time of ['00:00', '00:30', '01:00', '02:00']) {
    const instant = zonedLocalToUtc(date, time, timeZone);
    if (instant) return instant;
  }
  throw new RangeError(`No start of ${date} in ${timeZone}`);
}

/** Whole years between a birth date and a local date (both 'YYYY-MM-DD'); null without a birth date. */
export function ageOn(dateOfBirth: string | null, today: string): number | null {
  if (!dateOfBirth) return null;
  const [by, bm, bd] = dateOfBirth.split('-').map(Number);
  const [ty, tm, td] = today.split('-').map(Number);
  const age = ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
  return age >= 0 ? age : null;
}

/**
 * The appointments of several patients of one practice that started before `before`, newest first:
 * one query however many patients are listed (no query per patient).
 */
async function earlierAppointmentsOf(
  db: Executor,
  profileId: string,
  patientIds: string[],
  before: Date,
  shown = EARLIER_SHOWN,
): Promise<Map<string, EarlierAppointments>> {
  const out = new Map<string, EarlierAppointments>();
  if (!patientIds.length) return out;
  const rows = await db
    .select({
      id: reservations.id,
      patientId: reservations.patientId,
      startsAt: reservations.startsAt,
      endsAt: reservations.endsAt,
      status: reservations.status,
      serviceName: medicalServices.name,
    })
    .from(reservations)
    .innerJoin(medicalServices, and(eq(medicalServices.id, reservations.serviceId), eq(medicalServices.profileId, profileId)))
    .where(and(eq(reservations.profileId, profileId), inArray(reservations.patientId, patientIds), lt(reservations.startsAt, before)))
    .orderBy(asc(reservations.patientId), desc(reservations.startsAt));
  for (const r of rows) {
    let entry = out.get(r.patientId);
    if (!entry) out.set(r.patientId, (entry = { total: 0, recent: [] }));
    entry.total++;
    if (entry.recent.length < shown) entry.recent.push({ id: r.id, startsAt: r.startsAt, endsAt: r.endsAt, status: r.status, serviceName: r.serviceName });
  }
  return out;
}
