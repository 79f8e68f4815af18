import { and, asc, eq, gte, inArray, lt, ne } from 'drizzle-orm';
import { availabilityExceptions, medicalServices, patients, reservationRequests, reservations, timeSlots } from '@/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { authorize } from '@/lib/auth/permissions';
import { localDateOf } from '@/lib/availability/time';
import { executor, type CallOptions } from '@/lib/db';
import { parseInput } from '@/lib/validation/fields';
import { agendaSchema, type AgendaInput } from './agenda';
import { inPractice } from './patients';

/**
 * The agenda as a calendar: for each local date, what fills its time in order: appointments,
 * times held for a pending request (marked, with whether they were offered by the practice),
 * blocks with their reason, and free times (one entry per slot, to click). Dates with an
 * exception say so. Times are instants; the page places them in the practice's zone.
 */

export type CalendarEntry =
  | { kind: 'appointment'; startsAt: Date; endsAt: Date; reservationId: string; patientName: string; serviceName: string; status: 'confirmed' | 'completed' | 'no_show' }
  | { kind: 'held'; startsAt: Date; endsAt: Date; requestId: string; patientName: string; offered: boolean }
  | { kind: 'blocked'; startsAt: Date; endsAt: Date; reason: string }
  | { kind: 'free'; startsAt: Date; endsAt: Date };

export interface CalendarDay {
  date: string;
  entries: CalendarEntry[];
  exception: { closed: boolean; reason: string; startTime: string | null; endTime: string | null } | null;
}

/** The calendar of the local dates in [from, to): one read of slots, appointments and exceptions. */
export async function listCalendar(actor: Actor | null, profileId: string, input: AgendaInput & { dates: string[] }, opts?: CallOptions): Promise<CalendarDay[]> {
  const { timeZone } = authorize(actor, profileId, 'practice.view');
  const { from, to } = parseInput(agendaSchema, { from: input.from, to: input.to });
  const dates = input.dates.filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d)).slice(0, 31);
  const now = opts?.now ?? new Date();
  const db = await executor(opts);

  const slots = await db
    .select({
      startsAt: timeSlots.startsAt,
      endsAt: timeSlots.endsAt,
      status: timeSlots.status,
      requestId: timeSlots.requestId,
      reason: timeSlots.blockReason,
      requestStatus: reservationRequests.status,
      proposedAt: reservationRequests.proposedAt,
      patientName: patients.name,
    })
    .from(timeSlots)
    .leftJoin(reservationRequests, and(eq(reservationRequests.id, timeSlots.requestId), eq(reservationRequests.profileId, profileId)))
    .leftJoin(patients, and(eq(patients.id, reservationRequests.patientId), eq(patients.profileId, profileId)))
    .where(and(eq(timeSlots.profileId, profileId), gte(timeSlots.startsAt, from), lt(timeSlots.startsAt, to), inArray(timeSlots.status, ['available', 'pending_approval', 'blocked'])))
    .orderBy(asc(timeSlots.startsAt))
    .limit(20_000);

  const appointments = await db
    .select({
      id: reservations.id,
      startsAt: reservations.startsAt,
      endsAt: reservations.endsAt,
      status: reservations.status,
      patientName: patients.name,
      serviceName: medicalServices.name,
    })
    .from(reservations)
    .innerJoin(patients, inPractice(patients, reservations.patientId, profileId))
    .innerJoin(medicalServices, inPractice(medicalServices, reservations.serviceId, profileId))
    .where(and(eq(reservations.profileId, profileId), gte(reservations.startsAt, from), lt(reservations.startsAt, to), ne(reservations.status, 'cancelled')))
    .orderBy(asc(reservations.startsAt));

  const exceptions = dates.length
    ? await db
        .select()
        .from(availabilityExceptions)
        .where(and(eq(availabilityExceptions.profileId, profileId), inArray(availabilityExceptions.date, dates)))
    : [];

  const days = new Map<string, CalendarDay>(dates.map((d) => [d, { date: d, entries: [], exception: null }]));
  for (const e of exceptions) {
    const day = days.get(e.date);
    if (day) day.exception = { closed: e.closed, reason: e.reason, startTime: e.startTime?.slice(0, 5) ?? null, endTime: e.endTime?.slice(0, 5) ?? null };
  }
  const push = (entry: CalendarEntry) => days.get(localDateOf(entry.startsAt, timeZone))?.entries.push(entry);

  for (const a of appointments) {
    push({ kind: 'appointment', startsAt: a.startsAt, endsAt: a.endsAt, reservationId: a.id, patientName: a.patientName, serviceName: a.serviceName, status: a.status as 'confirmed' | 'completed' | 'no_show' });
  }
  let last: CalendarEntry | null = null;
  for (const s of slots) {
    if (s.status === 'available') {
      last = null;
      if (s.startsAt > now) push({ kind: 'free', startsAt: s.startsAt, endsAt: s.endsAt });
      continue;
    }
    if (s.status === 'pending_approval' && s.requestId) {
      // A lapsed request's hold is not shown as held (it frees itself at the next booking or sweep).
      if (s.requestStatus !== 'pending') continue;
      if (last?.kind === 'held' && last.requestId === s.requestId && last.endsAt.getTime() === s.startsAt.getTime()) {
        last.endsAt = s.endsAt;
        continue;
      }
      last = { kind: 'held', startsAt: s.startsAt, endsAt: s.endsAt, requestId: s.requestId, patientName: s.patientName ?? 'A patient', offered: s.proposedAt !== null };
      push(last);
      continue;
    }
    if (s.status === 'blocked') {
      const reason = s.reason ?? '';
      if (last?.kind === 'blocked' && last.reason === reason && last.endsAt.getTime() === s.startsAt.getTime()) {
        last.endsAt = s.endsAt;
        continue;
      }
      last = { kind: 'blocked', startsAt: s.startsAt, endsAt: s.endsAt, reason };
      push(last);
    }
  }
  for (const day of days.values()) day.entries.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
  return [...days.values()];
}
