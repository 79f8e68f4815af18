import { and, asc, count, desc, eq, gt, lte, min, ne, or } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import { medicalServices, patients, reservationRequests, reservations, users, type RequestStatus } from '@/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { authorize } from '@/lib/auth/permissions';
import { todayIn } from '@/lib/availability/time';
import { executor, type CallOptions } from '@/lib/db';
import { appliedMovesByRequest } from '@/lib/booking/move-decide';
import { offersByRequest } from '@/lib/proposals';
import { formInt, MAX_PAGE, parseInput } from '@/lib/validation/fields';
import { earlierAppointmentsOf, inPractice, patientSummary, type EarlierAppointments, type PatientSummary, type ReservationStatus } from './patients';

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
 * Pending requests not past their deadline, nearest deadline first, with the patient, the service
 * and the patient's earlier appointments in this practice (one query for all listed patients).
 */
export async function listPendingRequests(actor: Actor | null, profileId: string, input: PendingInput = {}, opts?: CallOptions): Promise<PendingRequest[]> {
  const membership = authorize(actor, profileId, 'practice.view');
  const { limit } = parseInput(pendingSchema, input);
  const now = opts?.now ?? new Date();
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
    })
    .from(reservationRequests)
    .innerJoin(patients, inPractice(patients, reservationRequests.patientId, profileId))
    .innerJoin(medicalServices, inPractice(medicalServices, reservationRequests.serviceId, profileId))
    .where(and(eq(reservationRequests.profileId, profileId), eq(reservationRequests.status, 'pending'), gt(reservationRequests.expiresAt, now)))
    .orderBy(asc(reservationRequests.expiresAt), asc(reservationRequests.startsAt), asc(reservationRequests.id))
    .limit(limit ?? PENDING_LIMIT);

  const today = todayIn(membership.timeZone, now);
  const earlier = await earlierAppointmentsOf(db, profileId, [...new Set(rows.map((r) => r.patientId))], now);
  const offers = await offersByRequest(db, profileId, rows.map((r) => r.id));
  // Issue 15 (moves): one read for every listed request.
  const moves = await appliedMovesByRequest(db, profileId, rows.map((r) => r.id));
  return rows.map((r) => ({
    id: r.id,
    startsAt: r.startsAt,
    endsAt: r.endsAt,
    expiresAt: r.expiresAt,
    createdAt: r.createdAt,
    reason: r.reason,
    service: { id: r.serviceId, name: r.serviceName, durationMinutes: r.durationMinutes },
    patient: patientSummary(r, today),
    earlier: earlier.get(r.patientId) ?? { total: 0, recent: [] },
    offered: offers.get(r.id) ?? [],
    movedFrom: moves.has(r.id) ? { startsAt: moves.get(r.id)!.fromStartsAt, endsAt: moves.get(r.id)!.fromEndsAt } : null,
  }));
}

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
