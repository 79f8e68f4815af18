'use server';

import { revalidatePath } from 'next/cache';
import { practiceAction } from '@/lib/actions';
import {
  blockTime,
  createException,
  createRules,
  deactivateRule,
  deleteException,
  unblockTime,
  updateRule,
} from '@/lib/availability/rules';
import {
  blockFormSchema,
  exceptionFormSchema,
  exceptionIdFormSchema,
  ruleCreateFormSchema,
  ruleIdFormSchema,
  ruleUpdateFormSchema,
  unblockFormSchema,
} from '@/lib/validation/availability-rules';

// The form schemas only shape the posted strings; lib/availability/rules validates every field and
// answers with the field errors the forms show.

const PATH = '/dashboard/availability';
const EDITORS = ['doctor', 'admin'] as const;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export const createRulesAction = practiceAction(ruleCreateFormSchema, EDITORS, async (data, { db, actor }) => {
  const { rules } = await createRules(db, actor, data.profileId, {
    weekdays: data['weekdays[]'],
    startTime: data.startTime,
    endTime: data.endTime,
    serviceIds: data['serviceIds[]'],
    validFrom: data.validFrom,
    validUntil: data.validUntil,
  });
  revalidatePath(PATH);
  return { ok: true, message: `Added ${plural(rules.length, 'interval')}; the free times follow.` };
});

export const updateRuleAction = practiceAction(ruleUpdateFormSchema, EDITORS, async (data, { db, actor }) => {
  const { slots } = await updateRule(db, actor, data.profileId, data.ruleId, {
    weekday: data.weekday,
    startTime: data.startTime,
    endTime: data.endTime,
    serviceIds: data['serviceIds[]'],
    validFrom: data.validFrom,
    validUntil: data.validUntil,
  });
  revalidatePath(PATH);
  return { ok: true, message: slots ? 'Saved; the free times follow.' : 'Nothing changed.' };
});

export const deactivateRuleAction = practiceAction(ruleIdFormSchema, EDITORS, async (data, { db, actor }) => {
  await deactivateRule(db, actor, data.profileId, data.ruleId);
  revalidatePath(PATH);
  return { ok: true, message: 'Removed.' };
});

export const createExceptionAction = practiceAction(exceptionFormSchema, EDITORS, async (data, { db, actor }) => {
  await createException(db, actor, data.profileId, {
    date: data.date,
    closed: data.kind === 'closed',
    startTime: data.startTime,
    endTime: data.endTime,
    reason: data.reason,
  });
  revalidatePath(PATH);
  return { ok: true, message: data.kind === 'closed' ? `${data.date} is closed.` : `Other hours set for ${data.date}.` };
});

export const deleteExceptionAction = practiceAction(exceptionIdFormSchema, EDITORS, async (data, { db, actor }) => {
  await deleteException(db, actor, data.profileId, data.exceptionId);
  revalidatePath(PATH);
  return { ok: true, message: 'Deleted.' };
});

export const blockTimeAction = practiceAction(blockFormSchema, EDITORS, async (data, { db, actor }) => {
  const result = await blockTime(db, actor, data.profileId, { from: data.from, to: data.to, reason: data.reason });
  revalidatePath(PATH);
  const parts = [`Blocked ${plural(result.blocked, 'slot')}.`];
  if (result.alreadyBlocked) parts.push(`${plural(result.alreadyBlocked, 'slot was', 'slots were')} already blocked.`);
  if (result.held) {
    parts.push(
      `${plural(result.held, 'slot', 'slots')} could not be blocked: a request or an appointment holds ${result.held === 1 ? 'it' : 'them'}. Answer or cancel those first.`,
    );
  }
  return { ok: true, message: parts.join(' ') };
});

export const unblockTimeAction = practiceAction(unblockFormSchema, EDITORS, async (data, { db, actor }) => {
  const { unblocked } = await unblockTime(db, actor, data.profileId, { from: data.from, to: data.to });
  revalidatePath(PATH);
  return { ok: true, message: `Freed ${plural(unblocked, 'slot')}.` };
});
