import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import { availabilityRules, medicalServices } from '@/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { authorize } from '@/lib/auth/permissions';
import { scopedRow } from '@/lib/data/scope';
import { executor, type CallOptions, type Executor } from '@/lib/db';
import {
  ruleCreateSchema,
  ruleIdSchema,
  ruleListSchema,
  ruleUpdateSchema,
  type RuleCreateInput,
  type RuleUpdateInput,
} from '@/lib/validation/availability-rules';
import { fieldError, parseInput } from '@/lib/validation/fields';
import { editAvailability, hhmm, type Regenerated } from './edit';
import type { RuleInput } from './generate';
import { ruleHoursColumns } from './materialize';
import { weekdayName } from './time';

/** A practice's weekly hours: one interval on one weekday, optionally for some services and dates. */
export interface Rule extends RuleInput {
  id: string;
  isActive: boolean;
}

/** The practice's rules by weekday and start; removed (inactive) ones only when asked. */
export async function listRules(
  actor: Actor | null,
  profileId: string,
  input: { includeInactive?: boolean } = {},
  opts?: CallOptions,
): Promise<Rule[]> {
  authorize(actor, profileId, 'availability.edit');
  const { includeInactive } = parseInput(ruleListSchema, input);
  const db = await executor(opts);
  const rows = await db
    .select(ruleColumns)
    .from(availabilityRules)
    .where(and(eq(availabilityRules.profileId, profileId), includeInactive ? undefined : eq(availabilityRules.isActive, true)))
    .orderBy(desc(availabilityRules.isActive), asc(availabilityRules.weekday), asc(availabilityRules.startTime), asc(availabilityRules.id));
  return rows.map(toRule);
}

/**
 * One interval on each of the chosen weekdays (one rule per weekday). Refused when it overlaps an
 * active rule of the same weekday whose validity overlaps it from today on.
 */
export function createRules(actor: Actor | null, profileId: string, input: RuleCreateInput, opts?: CallOptions): Promise<{ rules: Rule[] } & Regenerated> {
  return editAvailability(actor, profileId, ruleCreateSchema, input, opts, async (data, { tx, today, record }) => {
    assertNotOver(data.validUntil, today);
    await assertOwnServices(tx, profileId, data.serviceIds);
    await assertNoOverlap(tx, profileId, data.weekdays, data, today, null);
    const { weekdays, ...rest } = data;
    const rows = await tx
      .insert(availabilityRules)
      .values(weekdays.map((weekday) => ({ profileId, weekday, ...rest, serviceIds: restriction(rest.serviceIds) })))
      .returning(ruleColumns);
    const rules = rows.map(toRule);
    for (const rule of rules) await record('availability.rule_created', 'availability_rule', rule.id, describeRule(rule));
    return { rules };
  });
}

/** Changes one active rule (its weekday, hours, services, validity); `slots` is null when nothing changed. */
export function updateRule(actor: Actor | null, profileId: string, input: RuleUpdateInput, opts?: CallOptions): Promise<{ rule: Rule } & Regenerated> {
  return editAvailability(actor, profileId, ruleUpdateSchema, input, opts, async (data, { tx, today, record }) => {
    const before = await activeRule(tx, profileId, data.ruleId);
    const after: Omit<Rule, 'id' | 'isActive'> = {
      weekday: data.weekday,
      startTime: data.startTime,
      endTime: data.endTime,
      serviceIds: restriction(data.serviceIds),
      validFrom: data.validFrom,
      validUntil: data.validUntil,
    };
    const changed = (Object.keys(after) as (keyof typeof after)[]).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
    if (!changed.length) return { rule: before };
    if (changed.includes('validUntil')) assertNotOver(data.validUntil, today);
    await assertOwnServices(tx, profileId, data.serviceIds);
    await assertNoOverlap(tx, profileId, [data.weekday], data, today, before.id);
    const [row] = await tx
      .update(availabilityRules)
      .set(after)
      .where(and(eq(availabilityRules.id, before.id), eq(availabilityRules.profileId, profileId)))
      .returning(ruleColumns);
    const details = Object.fromEntries(changed.map((k) => [k, { from: before[k], to: after[k] }]));
    await record('availability.rule_updated', 'availability_rule', before.id, details);
    return { rule: toRule(row) };
  });
}

/** Removes a rule (kept as inactive for the record); its future free slots go away. */
export function deactivateRule(actor: Actor | null, profileId: string, input: { ruleId: string }, opts?: CallOptions): Promise<Regenerated> {
  return editAvailability(actor, profileId, ruleIdSchema, input, opts, async ({ ruleId }, { tx, record }) => {
    const before = await activeRule(tx, profileId, ruleId);
    await tx
      .update(availabilityRules)
      .set({ isActive: false })
      .where(and(eq(availabilityRules.id, before.id), eq(availabilityRules.profileId, profileId)));
    await record('availability.rule_deactivated', 'availability_rule', before.id, describeRule(before));
    return {};
  });
}

const ruleColumns = { id: availabilityRules.id, ...ruleHoursColumns, isActive: availabilityRules.isActive };

function toRule(r: Rule): Rule {
  return {
    ...r,
    startTime: hhmm(r.startTime),
    endTime: hhmm(r.endTime),
    serviceIds: r.serviceIds && r.serviceIds.length ? [...r.serviceIds].sort() : null,
  };
}

const restriction = (ids: string[]) => (ids.length ? ids : null);

async function activeRule(tx: Executor, profileId: string, ruleId: string): Promise<Rule> {
  const row = await scopedRow(availabilityRules, profileId, ruleId, 'rule', (where) =>
    tx
      .select(ruleColumns)
      .from(availabilityRules)
      .where(and(where, eq(availabilityRules.isActive, true)))
      .for('update'),
  );
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
      .where(and(eq(availabilityRules.profileId, profileId), eq(availabilityRules.isActive, true), inArray(availabilityRules.weekday, weekdays)))
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

function describeRule(r: Omit<Rule, 'id' | 'isActive'>) {
  const { weekday, startTime, endTime, serviceIds, validFrom, validUntil } = r;
  return { weekday, startTime, endTime, serviceIds, validFrom, validUntil };
}
