import { sql } from 'drizzle-orm';
import type { Actor } from '@/lib/auth/actor';
import { authorize } from '@/lib/auth/permissions';
import { localDateOf } from '@/lib/availability/time';
import { executor, type CallOptions } from '@/lib/db';
import { parseInput } from '@/lib/validation/fields';
import { agendaSchema, type AgendaInput } from './agenda';

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

type CalendarSlotRow = {
  startsAt: string;
  endsAt: string;
  status: string;
  requestId: string | null;
  reason: string | null;
  requestStatus: string | null;
  proposedAt: string | null;
  patientName: string | null;
};
type CalendarAppointmentRow = { id: string; startsAt: string; endsAt: string; status: string; patientName: string; serviceName: string };
type CalendarExceptionRow = { date: string; closed: boolean; reason: string; startTime: string | null; endTime: string | null };

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

  // One round trip: the range's slots (with the pending request holding each and its patient),
  // its appointments and the dates' exceptions, as three JSON columns of one row.
  const fromIso = from.toISOString();
  const toIso = to.toISOString();
  const read = await db.execute<{ slots: CalendarSlotRow[]; appointments: CalendarAppointmentRow[]; exceptions: CalendarExceptionRow[] }>(sql`
    SELECT
      (SELECT coalesce(json_agg(s ORDER BY s."startsAt"), '[]') FROM (
        SELECT t.starts_at AS "startsAt", t.ends_at AS "endsAt", t.status, t.request_id AS "requestId", t.block_reason AS reason,
               r.status AS "requestStatus", r.proposed_at AS "proposedAt", p.name AS "patientName"
        FROM time_slots t
        LEFT JOIN reservation_requests r ON r.id = t.request_id AND r.profile_id = ${profileId}
        LEFT JOIN patients p ON p.id = r.patient_id AND p.profile_id = ${profileId}
        WHERE t.profile_id = ${profileId} AND t.starts_at >= ${fromIso} AND t.starts_at < ${toIso}
          AND t.status IN ('available', 'pending_approval', 'blocked')
        ORDER BY t.starts_at LIMIT 20000) s) AS slots,
      (SELECT coalesce(json_agg(a ORDER BY a."startsAt"), '[]') FROM (
        SELECT v.id, v.starts_at AS "startsAt", v.ends_at AS "endsAt", v.status, p.name AS "patientName", m.name AS "serviceName"
        FROM reservations v
        JOIN patients p ON p.id = v.patient_id AND p.profile_id = ${profileId}
        JOIN medical_services m ON m.id = v.service_id AND m.profile_id = ${profileId}
        WHERE v.profile_id = ${profileId} AND v.starts_at >= ${fromIso} AND v.starts_at < ${toIso} AND v.status <> 'cancelled') a) AS appointments,
      ${
        dates.length
          ? sql`(SELECT coalesce(json_agg(e), '[]') FROM (
              SELECT x.date::text AS date, x.closed, x.reason, x.start_time::text AS "startTime", x.end_time::text AS "endTime"
              FROM availability_exceptions x WHERE x.profile_id = ${profileId} AND x.date::text IN ${dates}) e)`
          : sql`'[]'::json`
      } AS exceptions`);
  const { slots: slotRows, appointments, exceptions } = read.rows[0];
  const slots = slotRows.map((r) => ({ ...r, startsAt: new Date(r.startsAt), endsAt: new Date(r.endsAt), proposedAt: r.proposedAt === null ? null : new Date(r.proposedAt) }));

  const days = new Map<string, CalendarDay>(dates.map((d) => [d, { date: d, entries: [], exception: null }]));
  for (const e of exceptions) {
    const day = days.get(e.date);
    if (day) day.exception = { closed: e.closed, reason: e.reason, startTime: e.startTime?.slice(0, 5) ?? null, endTime: e.endTime?.slice(0, 5) ?? null };
  }
  const push = (entry: CalendarEntry) => days.get(localDateOf(entry.startsAt, timeZone))?.entries.push(entry);

  for (const a of appointments) {
    push({ kind: 'appointment', startsAt: new Date(a.startsAt), endsAt: new Date(a.endsAt), reservationId: a.id, patientName: a.patientName, serviceName: a.serviceName, status: a.status as 'confirmed' | 'completed' | 'no_show' });
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
