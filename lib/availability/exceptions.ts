import { and, asc, eq, gte } from 'drizzle-orm';
import { availabilityExceptions } from '@/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { authorize } from '@/lib/auth/permissions';
import { scopedRow } from '@/lib/data/scope';
import { executor, type CallOptions } from '@/lib/db';
import { exceptionIdSchema, exceptionInputSchema, type ExceptionInput } from '@/lib/validation/availability-rules';
import { fieldError } from '@/lib/validation/fields';
import { editAvailability, hhmm, type Regenerated } from './edit';
import { todayIn } from './time';

/** A date closed all day, or open only during other hours than its weekday's. */
export interface AvailabilityException {
  id: string;
  date: string;
  closed: boolean;
  startTime: string | null;
  endTime: string | null;
  reason: string;
}

/** Exceptions from today (the practice's local date) on, by date. */
export async function listExceptions(actor: Actor | null, profileId: string, _input?: object, opts?: CallOptions): Promise<AvailabilityException[]> {
  const { timeZone } = authorize(actor, profileId, 'availability.edit');
  const db = await executor(opts);
  const rows = await db
    .select(exceptionColumns)
    .from(availabilityExceptions)
    .where(and(eq(availabilityExceptions.profileId, profileId), gte(availabilityExceptions.date, todayIn(timeZone, opts?.now))))
    .orderBy(asc(availabilityExceptions.date), asc(availabilityExceptions.startTime), asc(availabilityExceptions.id));
  return rows.map(toException);
}

/**
 * Closes a date, or replaces its weekly hours with other hours (several intervals may be added for
 * one date). A date already closed, or other hours that overlap ones already set, are refused.
 */
export function createException(
  actor: Actor | null,
  profileId: string,
  input: ExceptionInput,
  opts?: CallOptions,
): Promise<{ exception: AvailabilityException } & Regenerated> {
  return editAvailability(actor, profileId, exceptionInputSchema, input, opts, async (data, { tx, today, record }) => {
    if (data.date < today) throw fieldError('date', 'Choose today or a later date.');
    const sameDay = (
      await tx
        .select(exceptionColumns)
        .from(availabilityExceptions)
        .where(and(eq(availabilityExceptions.profileId, profileId), eq(availabilityExceptions.date, data.date)))
        .orderBy(asc(availabilityExceptions.startTime))
    ).map(toException);
    const closed = sameDay.find((e) => e.closed);
    if (closed) throw fieldError('date', `That date is already closed (${closed.reason}).`, 'conflict');
    if (data.closed && sameDay.length) {
      throw fieldError('date', `That date already has other hours ${hoursOf(sameDay)}: delete them first.`, 'conflict');
    }
    const clash = sameDay.find((e) => e.startTime! < data.endTime! && data.startTime! < e.endTime!);
    if (clash) throw fieldError('startTime', `Overlaps the other hours ${clash.startTime}–${clash.endTime} on that date.`, 'conflict');

    const [row] = await tx
      .insert(availabilityExceptions)
      .values({ profileId, ...data })
      .returning(exceptionColumns);
    const exception = toException(row);
    await record('availability.exception_created', 'availability_exception', exception.id, describeException(exception));
    return { exception };
  });
}

/** Deletes an exception: the date goes back to its weekly hours. */
export function deleteException(actor: Actor | null, profileId: string, input: { exceptionId: string }, opts?: CallOptions): Promise<Regenerated> {
  return editAvailability(actor, profileId, exceptionIdSchema, input, opts, async ({ exceptionId }, { tx, record }) => {
    const row = await scopedRow(availabilityExceptions, profileId, exceptionId, 'exception', (where) =>
      tx.delete(availabilityExceptions).where(where).returning(exceptionColumns),
    );
    await record('availability.exception_deleted', 'availability_exception', row.id, describeException(toException(row)));
    return {};
  });
}

const exceptionColumns = {
  id: availabilityExceptions.id,
  date: availabilityExceptions.date,
  closed: availabilityExceptions.closed,
  startTime: availabilityExceptions.startTime,
  endTime: availabilityExceptions.endTime,
  reason: availabilityExceptions.reason,
};

function toException(e: AvailabilityException): AvailabilityException {
  return { ...e, startTime: e.startTime && hhmm(e.startTime), endTime: e.endTime && hhmm(e.endTime) };
}

function hoursOf(exceptions: AvailabilityException[]): string {
  return exceptions.map((e) => `${e.startTime}–${e.endTime}`).join(', ');
}

function describeException(e: AvailabilityException) {
  const { date, closed, startTime, endTime, reason } = e;
  return { date, closed, startTime, endTime, reason };
}
