import { and, asc, desc, eq, inArray, lt, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { medicalServices, reservations } from '@/db/schema';
import type { Executor } from '@/lib/db';

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

/** A join that also keeps the joined row in the practice: `inPractice(patients, reservations.patientId, profileId)`. */
export function inPractice(table: { id: PgColumn; profileId: PgColumn }, foreignKey: PgColumn, profileId: string): SQL {
  return and(eq(table.id, foreignKey), eq(table.profileId, profileId))!;
}

/** How many earlier appointments each listed patient shows; the total is counted regardless. */
export const EARLIER_SHOWN = 3;

/** A patient row as the dashboard shows it, with the age on the practice's today. */
export function patientSummary(
  r: { patientId: string; patientName: string; phone: string; email: string | null; dateOfBirth: string | null },
  today: string,
): PatientSummary {
  return { id: r.patientId, name: r.patientName, phone: r.phone, email: r.email, dateOfBirth: r.dateOfBirth, age: ageOn(r.dateOfBirth, today) };
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
export async function earlierAppointmentsOf(
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
    .innerJoin(medicalServices, inPractice(medicalServices, reservations.serviceId, profileId))
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
