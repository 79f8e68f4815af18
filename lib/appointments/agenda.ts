import { and, asc, eq, gte, lt } from 'drizzle-orm';
import { z } from 'zod';
import { medicalServices, patients, reservations } from '@/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { authorize } from '@/lib/auth/permissions';
import { localDateOf } from '@/lib/availability/time';
import { executor, type CallOptions } from '@/lib/db';
import { MAX_YEAR, MIN_YEAR, parseInput } from '@/lib/validation/fields';
import { inPractice, type ReservationStatus } from './patients';

export interface AgendaItem {
  id: string;
  startsAt: Date;
  endsAt: Date;
  status: ReservationStatus;
  service: { id: string; name: string };
  patient: { id: string; name: string; phone: string };
}

export interface AgendaDay {
  date: string;
  items: AgendaItem[];
}

/** Puts appointments on the local dates they start on (practice's time zone), one entry per date. */
export function groupByDay(dates: string[], items: AgendaItem[], timeZone: string): AgendaDay[] {
  const days = dates.map((date) => ({ date, items: [] as AgendaItem[] }));
  const byDate = new Map(days.map((d) => [d.date, d]));
  for (const item of items) byDate.get(localDateOf(item.startsAt, timeZone))?.items.push(item);
  return days;
}

/** The longest range one agenda read covers. */
export const MAX_AGENDA_DAYS = 400;

const instant = (what: string) =>
  z.coerce
    .date({ error: `Give ${what} as a date and time.` })
    .refine((d) => d.getUTCFullYear() >= MIN_YEAR && d.getUTCFullYear() <= MAX_YEAR + 1, `Give ${what} between ${MIN_YEAR} and ${MAX_YEAR}.`);

export const agendaSchema = z
  .object({ from: instant('the start'), to: instant('the end') })
  .refine((r) => r.to > r.from && r.to.getTime() - r.from.getTime() <= MAX_AGENDA_DAYS * 86_400_000, {
    message: `The end must come after the start, at most ${MAX_AGENDA_DAYS} days later.`,
    path: ['to'],
  });

export type AgendaInput = z.input<typeof agendaSchema>;

/** The practice's appointments starting in [from, to), every status, in start order. */
export async function listAgenda(actor: Actor | null, profileId: string, input: AgendaInput, opts?: CallOptions): Promise<AgendaItem[]> {
  authorize(actor, profileId, 'practice.view');
  const { from, to } = parseInput(agendaSchema, input);
  const rows = await (await executor(opts))
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
    .innerJoin(patients, inPractice(patients, reservations.patientId, profileId))
    .innerJoin(medicalServices, inPractice(medicalServices, reservations.serviceId, profileId))
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
