import { and, asc, desc, eq, gt, gte, inArray, lte, sql } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { availabilityExceptions, availabilityRules, medicalServices, timeSlots } from '@/db/schema';
import { requireMembership, type Actor, type Membership } from '@/lib/auth/actor';
import { audit } from '@/lib/audit';
import { notFound } from '@/lib/errors';
import { lockPractice } from '@/lib/practice/settings';
import {
  blockInputSchema,
  exceptionInputSchema,
  ruleCreateSchema,
  ruleUpdateSchema,
  unblockInputSchema,
  weekdayName,
  type BlockInput,
  type ExceptionInput,
  type RuleCreateInput,
  type RuleUpdateInput,
  type UnblockInput,
} from '@/lib/validation/availability-rules';
import { fieldError, isUuid, parseInput } from '@/lib/validation/fields';
import { materializeSlots, type MaterializeResult } from './materialize';
import { todayIn, zonedLocalToUtc } from './time';

/**
 * The practice's weekly rules, date exceptions and blocked time, as doctors and admins edit them.
 * Every change runs in one transaction that locks the practice's row (so overlap checks cannot
 * race), writes an audit entry and regenerates the future available slots before it commits.
 */

const EDITORS = ['doctor', 'admin'] as const;

export interface Rule {
  id: string;
  weekday: number;
  /** Local 'HH:MM'. */
  startTime: string;
  endTime: string;
  /** Null: every service. */
  serviceIds: string[] | null;
  validFrom: string | null;
  validUntil: string | null;
  isActive: boolean;
}

export interface AvailabilityException {
  id: string;
  date: string;
  closed: boolean;
  startTime: string | null;
  endTime: string | null;
  reason: string;
}

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

// ---------------------------------------------------------------------------
// Weekly rules
// ---------------------------------------------------------------------------

/** The practice's rules by weekday and start; removed (inactive) ones only when asked. */
export async function listRules(
  db: Executor,
  actor: Actor,
  profileId: string,
  opts: { includeInactive?: boolean } = {},
): Promise<Rule[]> {
  const m = requireMembership(actor, profileId, EDITORS);
  const rows = await db
    .select(ruleColumns)
    .from(availabilityRules)
    .where(and(eq(availabilityRules.profileId, m.profileId), opts.includeInactive ? undefined : eq(availabilityRules.isActive, true)))
    .orderBy(desc(availabilityRules.isActive), asc(availabilityRules.weekday), asc(availabilityRules.startTime), asc(availabilityRules.id));
  return rows.map(toRule);
}

/**
 * One interval on each of the chosen weekdays (one rule per weekday). Refused when it overlaps an
 * active rule of the same weekday whose validity overlaps it from today on.
 */
export async function createRules(
  db: Executor,
  actor: Actor,
  profileId: string,
  input: RuleCreateInput,
  now: Date = new Date(),
): Promise<{ rules: Rule[]; slots: MaterializeResult }> {
  const m = requireMembership(actor, profileId, EDITORS);
  const data = parseInput(ruleCreateSchema, input);
  return db.transaction(async (tx) => {
    const practice = await lockPractice(tx, m.profileId, 'update');
    const today = todayIn(practice.timeZone, now);
    assertNotOver(data.validUntil, today);
    await assertOwnServices(tx, m.profileId, data.serviceIds);
    await assertNoOverlap(tx, m.profileId, data.weekdays, data, today, null);
    const { weekdays, ...rest } = data;
    const rows = await tx
      .insert(availabilityRules)
      .values(weekdays.map((weekday) => ({ profileId: m.profileId, weekday, ...rest, serviceIds: restriction(rest.serviceIds) })))
      .returning(ruleColumns);
    const rules = rows.map(toRule);
    for (const rule of rules) {
      await auditRule(tx, m, actor, 'availability.rule_created', rule.id, describeRule(rule));
    }
    return { rules, slots: await materializeSlots(tx, m.profileId, now) };
  });
}

/** Changes one active rule (its weekday, hours, services, validity). */
export async function updateRule(
  db: Executor,
  actor: Actor,
  profileId: string,
  ruleId: string,
  input: RuleUpdateInput,
  now: Date = new Date(),
): Promise<{ rule: Rule; slots: MaterializeResult | null }> {
  const m = requireMembership(actor, profileId, EDITORS);
  if (!isUuid(ruleId)) throw notFound('No such rule.');
  const data = parseInput(ruleUpdateSchema, input);
  return db.transaction(async (tx) => {
    const practice = await lockPractice(tx, m.profileId, 'update');
    const before = await activeRule(tx, m.profileId, ruleId);
    const after: Omit<Rule, 'id' | 'isActive'> = {
      weekday: data.weekday,
      startTime: data.startTime,
      endTime: data.endTime,
      serviceIds: restriction(data.serviceIds),
      validFrom: data.validFrom,
      validUntil: data.validUntil,
    };
    const changed = (Object.keys(after) as (keyof typeof after)[]).filter(
      (k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]),
    );
    if (!changed.length) return { rule: before, slots: null };
    const today = todayIn(practice.timeZone, now);
    if (changed.includes('validUntil')) assertNotOver(data.validUntil, today);
    await assertOwnServices(tx, m.profileId, data.serviceIds);
    await assertNoOverlap(tx, m.profileId, [data.weekday], data, today, ruleId);
    const [row] = await tx
      .update(availabilityRules)
      .set(after)
      .where(and(eq(availabilityRules.id, ruleId), eq(availabilityRules.profileId, m.profileId)))
      .returning(ruleColumns);
    await auditRule(
      tx,
      m,
      actor,
      'availability.rule_updated',
      ruleId,
      Object.fromEntries(changed.map((k) => [k, { from: before[k], to: after[k] }])),
    );
    return { rule: toRule(row), slots: await materializeSlots(tx, m.profileId, now) };
  });
}

/** Removes a rule (kept as inactive for the record); its future free slots go away. */
export async function deactivateRule(
  db: Executor,
  actor: Actor,
  profileId: string,
  ruleId: string,
  now: Date = new Date(),
): Promise<{ slots: MaterializeResult }> {
  const m = requireMembership(actor, profileId, EDITORS);
  if (!isUuid(ruleId)) throw notFound('No such rule.');
  return db.transaction(async (tx) => {
    await lockPractice(tx, m.profileId, 'update');
    const before = await activeRule(tx, m.profileId, ruleId);
    await tx
      .update(availabilityRules)
      .set({ isActive: false })
      .where(and(eq(availabilityRules.id, ruleId), eq(availabilityRules.profileId, m.profileId)));
    await auditRule(tx, m, actor, 'availability.rule_deactivated', ruleId, describeRule(before));
    return { slots: await materializeSlots(tx, m.profileId, now) };
  });
}

// ---------------------------------------------------------------------------
// Exceptions
// ---------------------------------------------------------------------------

/** Exceptions from today (the practice's local date) on, by date. */
export async function listExceptions(
  db: Executor,
  actor: Actor,
  profileId: string,
  now: Date = new Date(),
): Promise<AvailabilityException[]> {
  const m = requireMembership(actor, profileId, EDITORS);
  const rows = await db
    .select(exceptionColumns)
    .from(availabilityExceptions)
    .where(and(eq(availabilityExceptions.profileId, m.profileId), gte(availabilityExceptions.date, todayIn(m.timeZone, now))))
    .orderBy(asc(availabilityExceptions.date), asc(availabilityExceptions.startTime), asc(availabilityExceptions.id));
  return rows.map(toException);
}

/**
 * Closes a date, or replaces its weekly hours with other hours (several intervals may be added for
 * one date). A date already closed, or other hours that overlap ones already set, are refused.
 */
export async function createException(
  db: Executor,
  actor: Actor,
  profileId: string,
  input: ExceptionInput,
  now: Date = new Date(),
): Promise<{ exception: AvailabilityException; slots: MaterializeResult }> {
  const m = requireMembership(actor, profileId, EDITORS);
  const data = parseInput(exceptionInputSchema, input);
  return db.transaction(async (tx) => {
    const practice = await lockPractice(tx, m.profileId, 'update');
    if (data.date < todayIn(practice.timeZone, now)) throw fieldError('date', 'Choose today or a later date.');
    const sameDay = (
      await tx
        .select(exceptionColumns)
        .from(availabilityExceptions)
        .where(and(eq(availabilityExceptions.profileId, m.profileId), eq(availabilityExceptions.date, data.date)))
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
      .values({ profileId: m.profileId, ...data })
      .returning(exceptionColumns);
    const exception = toException(row);
    await audit(tx, {
      profileId: m.profileId,
      actorUserId: actor.userId,
      actorKind: 'user',
      action: 'availability.exception_created',
      entityType: 'availability_exception',
      entityId: exception.id,
      details: describeException(exception),
    });
    return { exception, slots: await materializeSlots(tx, m.profileId, now) };
  });
}

/** Deletes an exception: the date goes back to its weekly hours. */
export async function deleteException(
  db: Executor,
  actor: Actor,
  profileId: string,
  exceptionId: string,
  now: Date = new Date(),
): Promise<{ slots: MaterializeResult }> {
  const m = requireMembership(actor, profileId, EDITORS);
  if (!isUuid(exceptionId)) throw notFound('No such exception.');
  return db.transaction(async (tx) => {
    await lockPractice(tx, m.profileId, 'update');
    const [row] = await tx
      .delete(availabilityExceptions)
      .where(and(eq(availabilityExceptions.id, exceptionId), eq(availabilityExceptions.profileId, m.profileId)))
      .returning(exceptionColumns);
    if (!row) throw notFound('No such exception.');
    await audit(tx, {
      profileId: m.profileId,
      actorUserId: actor.userId,
      actorKind: 'user',
      action: 'availability.exception_deleted',
      entityType: 'availability_exception',
      entityId: exceptionId,
      details: describeException(toException(row)),
    });
    return { slots: await materializeSlots(tx, m.profileId, now) };
  });
}

// ---------------------------------------------------------------------------
// Blocked time
// ---------------------------------------------------------------------------

/** Future blocked slots, merged into back-to-back ranges with one reason. */
export async function listBlocks(db: Executor, actor: Actor, profileId: string, now: Date = new Date()): Promise<BlockedRange[]> {
  const m = requireMembership(actor, profileId, EDITORS);
  const rows = await db
    .select({ startsAt: timeSlots.startsAt, endsAt: timeSlots.endsAt, reason: timeSlots.blockReason })
    .from(timeSlots)
    .where(and(eq(timeSlots.profileId, m.profileId), eq(timeSlots.status, 'blocked'), gt(timeSlots.endsAt, now)))
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
 * practice's zone ('YYYY-MM-DDTHH:MM') or ISO instants.
 */
export async function blockTime(
  db: Executor,
  actor: Actor,
  profileId: string,
  input: BlockInput,
  now: Date = new Date(),
): Promise<BlockResult> {
  const m = requireMembership(actor, profileId, EDITORS);
  const data = parseInput(blockInputSchema, input);
  return db.transaction(async (tx) => {
    const practice = await lockPractice(tx, m.profileId, 'update');
    const { from, to } = resolveRange(data.from, data.to, practice.timeZone);
    const inRange = and(
      eq(timeSlots.profileId, m.profileId),
      gte(timeSlots.startsAt, from),
      lte(timeSlots.endsAt, to),
      gt(timeSlots.startsAt, now),
    );
    const blocked = await tx
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
      blocked: blocked.length,
      held: Number(counts?.held ?? 0),
      alreadyBlocked: Number(counts?.blocked ?? 0) - blocked.length,
    };
    if (result.blocked > 0) {
      await audit(tx, {
        profileId: m.profileId,
        actorUserId: actor.userId,
        actorKind: 'user',
        action: 'availability.time_blocked',
        entityType: 'time_slots',
        details: { from: from.toISOString(), to: to.toISOString(), reason: data.reason, ...result },
      });
    }
    return result;
  });
}

/**
 * Frees every future blocked slot lying wholly within [from, to], then regenerates: a freed slot
 * that the rules no longer make is removed rather than offered.
 */
export async function unblockTime(
  db: Executor,
  actor: Actor,
  profileId: string,
  input: UnblockInput,
  now: Date = new Date(),
): Promise<{ unblocked: number; slots: MaterializeResult }> {
  const m = requireMembership(actor, profileId, EDITORS);
  const data = parseInput(unblockInputSchema, input);
  return db.transaction(async (tx) => {
    const practice = await lockPractice(tx, m.profileId, 'update');
    const { from, to } = resolveRange(data.from, data.to, practice.timeZone);
    const freed = await tx
      .update(timeSlots)
      .set({ status: 'available', blockReason: null, updatedAt: new Date() })
      .where(
        and(
          eq(timeSlots.profileId, m.profileId),
          eq(timeSlots.status, 'blocked'),
          gte(timeSlots.startsAt, from),
          lte(timeSlots.endsAt, to),
          gt(timeSlots.startsAt, now),
        ),
      )
      .returning({ id: timeSlots.id });
    if (freed.length > 0) {
      await audit(tx, {
        profileId: m.profileId,
        actorUserId: actor.userId,
        actorKind: 'user',
        action: 'availability.time_unblocked',
        entityType: 'time_slots',
        details: { from: from.toISOString(), to: to.toISOString(), unblocked: freed.length },
      });
    }
    return { unblocked: freed.length, slots: await materializeSlots(tx, m.profileId, now) };
  });
}

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

const ruleColumns = {
  id: availabilityRules.id,
  weekday: availabilityRules.weekday,
  startTime: availabilityRules.startTime,
  endTime: availabilityRules.endTime,
  serviceIds: availabilityRules.serviceIds,
  validFrom: availabilityRules.validFrom,
  validUntil: availabilityRules.validUntil,
  isActive: availabilityRules.isActive,
};

const exceptionColumns = {
  id: availabilityExceptions.id,
  date: availabilityExceptions.date,
  closed: availabilityExceptions.closed,
  startTime: availabilityExceptions.startTime,
  endTime: availabilityExceptions.endTime,
  reason: availabilityExceptions.reason,
};

// Postgres returns `time` as 'HH:MM:SS'; the app speaks 'HH:MM'.
const hhmm = (t: string) => t.slice(0, 5);

function toRule(r: {
  id: string;
  weekday: number;
  startTime: string;
  endTime: string;
  serviceIds: string[] | null;
  validFrom: string | null;
  validUntil: string | null;
  isActive: boolean;
}): Rule {
  return {
    ...r,
    startTime: hhmm(r.startTime),
    endTime: hhmm(r.endTime),
    serviceIds: r.serviceIds && r.serviceIds.length ? [...r.serviceIds].sort() : null,
  };
}

function toException(e: {
  id: string;
  date: string;
  closed: boolean;
  startTime: string | null;
  endTime: string | null;
  reason: string;
}): AvailabilityException {
  return { ...e, startTime: e.startTime && hhmm(e.startTime), endTime: e.endTime && hhmm(e.endTime) };
}

const restriction = (ids: string[]) => (ids.length ? ids : null);

async function activeRule(tx: Executor, profileId: string, ruleId: string): Promise<Rule> {
  const [row] = await tx
    .select(ruleColumns)
    .from(availabilityRules)
    .where(and(eq(availabilityRules.id, ruleId), eq(availabilityRules.profileId, profileId), eq(availabilityRules.isActive, true)))
    .for('update');
  if (!row) throw notFound('No such rule.');
  return toRule(row);
}

function assertNotOver(validUntil: string | null, today: string) {
  if (validUntil && validUntil < today) throw fieldError('validUntil', 'The last day has already passed.');
}

async function assertOwnServices(tx: Executor, profileId: string, ids: string[]) {
  if (!ids.length) return;
  const own = await tx
    .select({ id: medicalServices.id })
    .from(medicalServices)
    .where(and(eq(medicalServices.profileId, profileId), inArray(medicalServices.id, ids)));
  if (own.length !== ids.length) throw fieldError('serviceIds', 'Choose services of this practice.');
}

/**
 * Two intervals clash when they share a weekday, their hours overlap and their validity overlaps
 * from today on (a rule that ended in the past cannot clash with anything).
 */
async function assertNoOverlap(
  tx: Executor,
  profileId: string,
  weekdays: number[],
  candidate: { startTime: string; endTime: string; validFrom: string | null; validUntil: string | null },
  today: string,
  exceptId: string | null,
) {
  const existing = (
    await tx
      .select(ruleColumns)
      .from(availabilityRules)
      .where(
        and(eq(availabilityRules.profileId, profileId), eq(availabilityRules.isActive, true), inArray(availabilityRules.weekday, weekdays)),
      )
      .orderBy(asc(availabilityRules.weekday), asc(availabilityRules.startTime))
  ).map(toRule);
  const from = maxDate(candidate.validFrom, today);
  const clashes = existing.filter(
    (r) =>
      r.id !== exceptId &&
      r.startTime < candidate.endTime &&
      candidate.startTime < r.endTime &&
      (r.validUntil === null || r.validUntil >= from) &&
      (candidate.validUntil === null || maxDate(r.validFrom, today) <= candidate.validUntil),
  );
  if (!clashes.length) return;
  const named = clashes.map((r) => `${weekdayName(r.weekday)} ${r.startTime}–${r.endTime}${validityText(r)}`);
  throw fieldError('startTime', `Overlaps ${named.join(', ')}.`, 'conflict');
}

function maxDate(a: string | null, b: string): string {
  return a !== null && a > b ? a : b;
}

function validityText(r: { validFrom: string | null; validUntil: string | null }): string {
  if (r.validFrom && r.validUntil) return ` (${r.validFrom} to ${r.validUntil})`;
  if (r.validFrom) return ` (from ${r.validFrom})`;
  if (r.validUntil) return ` (until ${r.validUntil})`;
  return '';
}

function hoursOf(exceptions: AvailabilityException[]): string {
  return exceptions.map((e) => `${e.startTime}–${e.endTime}`).join(', ');
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

function describeRule(r: Omit<Rule, 'id' | 'isActive'>) {
  return {
    weekday: r.weekday,
    startTime: r.startTime,
    endTime: r.endTime,
    serviceIds: r.serviceIds,
    validFrom: r.validFrom,
    validUntil: r.validUntil,
  };
}

function describeException(e: AvailabilityException) {
  return { date: e.date, closed: e.closed, startTime: e.startTime, endTime: e.endTime, reason: e.reason };
}

async function auditRule(
  tx: Executor,
  m: Membership,
  actor: Actor,
  action: string,
  ruleId: string,
  details: Record<string, unknown>,
) {
  await audit(tx, {
    profileId: m.profileId,
    actorUserId: actor.userId,
    actorKind: 'user',
    action,
    entityType: 'availability_rule',
    entityId: ruleId,
    details,
  });
}
