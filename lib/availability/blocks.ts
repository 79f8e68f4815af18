import { and, asc, eq, gt, gte, lte, sql } from 'drizzle-orm';
import { timeSlots } from '@/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { authorize } from '@/lib/auth/permissions';
import { executor, type CallOptions } from '@/lib/db';
import { blockInputSchema, unblockInputSchema, type BlockInput, type UnblockInput } from '@/lib/validation/availability-rules';
import { fieldError } from '@/lib/validation/fields';
import { editAvailability, type Regenerated } from './edit';
import { zonedLocalToUtc } from './time';

/** Back-to-back blocked slots with one reason. */
export interface BlockedRange {
  startsAt: Date;
  endsAt: Date;
  reason: string;
  slotCount: number;
}

export interface BlockResult {
  /** Slots that were available and are now blocked. */
  blocked: number;
  /** Slots in the range that could not be blocked: a request holds them or they are reserved. */
  held: number;
  alreadyBlocked: number;
}

/** Future blocked slots, merged into back-to-back ranges with one reason. */
export async function listBlocks(actor: Actor | null, profileId: string, _input?: object, opts?: CallOptions): Promise<BlockedRange[]> {
  authorize(actor, profileId, 'availability.edit');
  const db = await executor(opts);
  const rows = await db
    .select({ startsAt: timeSlots.startsAt, endsAt: timeSlots.endsAt, reason: timeSlots.blockReason })
    .from(timeSlots)
    .where(and(eq(timeSlots.profileId, profileId), eq(timeSlots.status, 'blocked'), gt(timeSlots.endsAt, opts?.now ?? new Date())))
    .orderBy(asc(timeSlots.startsAt))
    .limit(10_000);
  const ranges: BlockedRange[] = [];
  for (const r of rows) {
    const last = ranges[ranges.length - 1];
    const reason = r.reason ?? '';
    if (last && last.endsAt.getTime() === r.startsAt.getTime() && last.reason === reason) {
      last.endsAt = r.endsAt;
      last.slotCount++;
    } else {
      ranges.push({ startsAt: r.startsAt, endsAt: r.endsAt, reason, slotCount: 1 });
    }
  }
  return ranges;
}

/**
 * Blocks every future available slot lying wholly within [from, to]. Slots a request holds or a
 * reservation has are left alone and counted in `held`. `from`/`to` are local times in the
 * practice's zone ('YYYY-MM-DDTHH:MM') or ISO instants. Blocking takes slots out of what the
 * rules make without changing the rules, so nothing is regenerated.
 */
export async function blockTime(actor: Actor | null, profileId: string, input: BlockInput, opts?: CallOptions): Promise<BlockResult> {
  const { blocked, held, alreadyBlocked } = await editAvailability(
    actor,
    profileId,
    blockInputSchema,
    input,
    { ...opts, regenerate: false },
    async (data, { tx, practice, now, record }) => {
      const { from, to } = resolveRange(data.from, data.to, practice.timeZone);
      const inRange = and(eq(timeSlots.profileId, profileId), gte(timeSlots.startsAt, from), lte(timeSlots.endsAt, to), gt(timeSlots.startsAt, now));
      const changed = await tx
        .update(timeSlots)
        .set({ status: 'blocked', blockReason: data.reason, updatedAt: new Date() })
        .where(and(inRange, eq(timeSlots.status, 'available')))
        .returning({ id: timeSlots.id });
      const [counts] = await tx
        .select({
          held: sql<number>`count(*) FILTER (WHERE ${timeSlots.status} IN ('pending_approval', 'reserved'))::int`,
          blocked: sql<number>`count(*) FILTER (WHERE ${timeSlots.status} = 'blocked')::int`,
        })
        .from(timeSlots)
        .where(inRange);
      const result: BlockResult = {
        blocked: changed.length,
        held: Number(counts?.held ?? 0),
        alreadyBlocked: Number(counts?.blocked ?? 0) - changed.length,
      };
      if (result.blocked > 0) {
        const details = { from: from.toISOString(), to: to.toISOString(), reason: data.reason, ...result };
        await record('availability.time_blocked', 'time_slots', null, details);
      }
      return result;
    },
  );
  return { blocked, held, alreadyBlocked };
}

/**
 * Frees every future blocked slot lying wholly within [from, to], then regenerates: a freed slot
 * that the rules no longer make is removed rather than offered.
 */
export function unblockTime(actor: Actor | null, profileId: string, input: UnblockInput, opts?: CallOptions): Promise<{ unblocked: number } & Regenerated> {
  return editAvailability(actor, profileId, unblockInputSchema, input, opts, async (data, { tx, practice, now, record }) => {
    const { from, to } = resolveRange(data.from, data.to, practice.timeZone);
    const freed = await tx
      .update(timeSlots)
      .set({ status: 'available', blockReason: null, updatedAt: new Date() })
      .where(
        and(
          eq(timeSlots.profileId, profileId),
          eq(timeSlots.status, 'blocked'),
          gte(timeSlots.startsAt, from),
          lte(timeSlots.endsAt, to),
          gt(timeSlots.startsAt, now),
        ),
      )
      .returning({ id: timeSlots.id });
    if (freed.length > 0) {
      await record('availability.time_unblocked', 'time_slots', null, { from: from.toISOString(), to: to.toISOString(), unblocked: freed.length });
    }
    return { unblocked: freed.length };
  });
}

/** A local time in the practice's zone, or an instant with Z / an offset. */
function resolvePoint(value: string, timeZone: string, field: 'from' | 'to'): Date {
  if (/(Z|[+-]\d{2}:\d{2})$/.test(value)) {
    const d = new Date(value);
    if (Number.isNaN(d.getTime())) throw fieldError(field, 'Enter a date and time.');
    return d;
  }
  const [date, time] = value.split('T');
  let instant: Date | null;
  try {
    instant = zonedLocalToUtc(date, time, timeZone);
  } catch {
    throw fieldError(field, 'Enter a date and time.');
  }
  if (!instant) throw fieldError(field, `That time does not exist in ${timeZone} (the clocks go forward then).`);
  return instant;
}

function resolveRange(fromText: string, toText: string, timeZone: string): { from: Date; to: Date } {
  const from = resolvePoint(fromText, timeZone, 'from');
  const to = resolvePoint(toText, timeZone, 'to');
  if (to <= from) throw fieldError('to', 'The end must be after the start.');
  return { from, to };
}
