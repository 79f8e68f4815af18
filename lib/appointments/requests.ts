import { and, asc, count, desc, eq, gt, lte, min, ne, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import { medicalServices, patients, reservationRequests, reservations, users, type RequestStatus } from '@/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { authorize } from '@/lib/auth/permissions';
import { todayIn } from '@/lib/availability/time';
import { executor, type CallOptions } from '@/lib/db';
import { formInt, MAX_PAGE, parseInput } from '@/lib/validation/fields';
import { EARLIER_SHOWN, inPractice, patientSummary, type EarlierAppointments, type PatientSummary, type ReservationStatus } from './patients';

/**
 * What the dashboard reads about a practice's requests: the pending ones (nearest deadline first)
 * and the history. The practice is in every WHERE: another practice's row is never shown.
 */

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
  /** Other times offered to the patient (held until the deadline); empty when none. */
  offered: { id: string; startsAt: Date; endsAt: Date }[];
  /** Issue 15 (moves): the time asked for before the patient's latest move ("was Tue 10:00"); null when never moved. */
  movedFrom: { startsAt: Date; endsAt: Date } | null;
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

/**
 * The requests page shows the nearest deadlines first, this many at a time (the list re-renders
 * every few seconds; 500 full cards each time would be a megabyte), and never more than
 * PENDING_LIMIT.
 */
export const PENDING_PAGE_SIZE = 50;
export const PENDING_LIMIT = 1000;
export const HISTORY_PAGE_SIZE = 50;

const pendingSchema = z.object({ limit: formInt(1, PENDING_LIMIT, 'The number of requests').optional() });
const historySchema = z.object({
  page: formInt(1, MAX_PAGE, 'The page').optional(),
  pageSize: formInt(1, 200, 'The page size').optional(),
});
const noInput = z.object({});

export type PendingInput = z.input<typeof pendingSchema>;
export type HistoryInput = z.input<typeof historySchema>;

/**
 * Pending requests not past their deadline, nearest deadline first, with the patient, the service,
 * the patient's earlier appointments in this practice (the EARLIER_SHOWN most recent and how many
 * in all), the times offered instead, and the time a move came from: one query, one round trip
 * (each row's extras are JSON subqueries, not a query per item or per kind).
 */
export async function listPendingRequests(actor: Actor | null, profileId: string, input: PendingInput = {}, opts?: CallOptions): Promise<PendingRequest[]> {
  return (await pendingRequestsPage(actor, profileId, input, opts)).requests;
}

/**
 * The requests page's list and how many are pending in all (countPending's number), in the same
 * round trip: the count is a window over the list's own rows before its LIMIT.
 */
export async function pendingRequestsPage(
  actor: Actor | null,
  profileId: string,
  input: PendingInput = {},
  opts?: CallOptions,
): Promise<{ count: number; requests: PendingRequest[] }> {
  const membership = authorize(actor, profileId, 'practice.view');
  const { limit } = parseInput(pendingSchema, input);
  const now = opts?.now ?? new Date();
  const nowIso = now.toISOString();
  const db = await executor(opts);
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
      // The patient's appointments here before now (as earlierAppointmentsOf counts them).
      earlierTotal: sql<number>`(SELECT count(*)::int FROM reservations v JOIN medical_services vs ON vs.id = v.service_id AND vs.profile_id = ${profileId}
        WHERE v.profile_id = ${profileId} AND v.patient_id = ${patients.id} AND v.starts_at < ${nowIso})`,
      earlierRecent: sql<JsonTimes<{ id: string; status: ReservationStatus; serviceName: string }>>`(SELECT coalesce(json_agg(e), '[]') FROM (
        SELECT v.id, v.starts_at AS "startsAt", v.ends_at AS "endsAt", v.status, vs.name AS "serviceName"
        FROM reservations v JOIN medical_services vs ON vs.id = v.service_id AND vs.profile_id = ${profileId}
        WHERE v.profile_id = ${profileId} AND v.patient_id = ${patients.id} AND v.starts_at < ${nowIso}
        ORDER BY v.starts_at DESC LIMIT ${EARLIER_SHOWN}) e)`,
      // Other times offered to the patient (lib/proposals).
      offered: sql<JsonTimes<{ id: string }>>`(SELECT coalesce(json_agg(json_build_object('id', o.id, 'startsAt', o.starts_at, 'endsAt', o.ends_at) ORDER BY o.starts_at), '[]')
        FROM request_proposals o WHERE o.profile_id = ${profileId} AND o.request_id = ${reservationRequests.id} AND o.status = 'offered')`,
      // Where the patient's last move came from (lib/booking/move.ts).
      movedFrom: sql<JsonTimes<object>[number] | null>`(SELECT json_build_object('startsAt', m.from_starts_at, 'endsAt', m.from_ends_at)
        FROM request_moves m WHERE m.profile_id = ${profileId} AND m.request_id = ${reservationRequests.id} AND m.status = 'applied'
        ORDER BY m.created_at DESC LIMIT 1)`,
      total: sql<number>`(count(*) OVER ())::int`,
    })
    .from(reservationRequests)
    .innerJoin(patients, inPractice(patients, reservationRequests.patientId, profileId))
    .innerJoin(medicalServices, inPractice(medicalServices, reservationRequests.serviceId, profileId))
    .where(and(eq(reservationRequests.profileId, profileId), eq(reservationRequests.status, 'pending'), gt(reservationRequests.expiresAt, now)))
    .orderBy(asc(reservationRequests.expiresAt), asc(reservationRequests.startsAt), asc(reservationRequests.id))
    .limit(limit ?? PENDING_LIMIT);

  const today = todayIn(membership.timeZone, now);
  const times = <T extends { startsAt: string; endsAt: string }>(t: T) => ({ ...t, startsAt: new Date(t.startsAt), endsAt: new Date(t.endsAt) });
  const requests = rows.map((r) => ({
    id: r.id,
    startsAt: r.startsAt,
    endsAt: r.endsAt,
    expiresAt: r.expiresAt,
    createdAt: r.createdAt,
    reason: r.reason,
    service: { id: r.serviceId, name: r.serviceName, durationMinutes: r.durationMinutes },
    patient: patientSummary(r, today),
    earlier: { total: Number(r.earlierTotal), recent: r.earlierRecent.map(times) },
    offered: r.offered.map(times),
    movedFrom: r.movedFrom ? { startsAt: new Date(r.movedFrom.startsAt), endsAt: new Date(r.movedFrom.endsAt) } : null,
  }));
  return { count: Number(rows[0]?.total ?? 0), requests };
}

/** Rows of a JSON subquery with their times as JSON has them (strings). */
type JsonTimes<T> = (T & { startsAt: string; endsAt: string })[];

/**
 * Requests that are no longer waiting: approved, rejected, cancelled and expired (a pending one
 * past its deadline counts as expired even before a sweep ran), most recently received first.
 */
export async function listRequestHistory(
  actor: Actor | null,
  profileId: string,
  input: HistoryInput = {},
  opts?: CallOptions,
): Promise<{ entries: HistoryEntry[]; page: number; hasMore: boolean }> {
  authorize(actor, profileId, 'practice.view');
  const { page = 1, pageSize = HISTORY_PAGE_SIZE } = parseInput(historySchema, input);
  const now = opts?.now ?? new Date();
  const decider = alias(users, 'decider');
  const rows = await (await executor(opts))
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
    .innerJoin(patients, inPractice(patients, reservationRequests.patientId, profileId))
    .innerJoin(medicalServices, inPractice(medicalServices, reservationRequests.serviceId, profileId))
    .leftJoin(reservations, and(eq(reservations.requestId, reservationRequests.id), eq(reservations.profileId, profileId)))
    .leftJoin(decider, eq(decider.id, reservationRequests.decidedBy))
    .where(and(eq(reservationRequests.profileId, profileId), or(ne(reservationRequests.status, 'pending'), lte(reservationRequests.expiresAt, now))))
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

/** How many requests wait for an answer (pending, not past their deadline), and the nearest deadline. */
export async function pendingSummary(
  actor: Actor | null,
  profileId: string,
  input: Record<string, never> = {},
  opts?: CallOptions,
): Promise<{ count: number; nearestDeadline: Date | null }> {
  authorize(actor, profileId, 'practice.view');
  parseInput(noInput, input);
  const now = opts?.now ?? new Date();
  const [row] = await (await executor(opts))
    .select({ n: count(), nearest: min(reservationRequests.expiresAt) })
    .from(reservationRequests)
    .where(and(eq(reservationRequests.profileId, profileId), eq(reservationRequests.status, 'pending'), gt(reservationRequests.expiresAt, now)));
  return { count: Number(row?.n ?? 0), nearestDeadline: row?.nearest ? new Date(row.nearest) : null };
}

/** How many requests wait for an answer. */
export async function countPending(actor: Actor | null, profileId: string, input: Record<string, never> = {}, opts?: CallOptions): Promise<number> {
  return (await pendingSummary(actor, profileId, input, opts)).count;
}
