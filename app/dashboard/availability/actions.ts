'use server';

import { practiceAction } from '@/lib/actions';
import { blockTime, unblockTime } from '@/lib/availability/blocks';
import { createException, deleteException } from '@/lib/availability/exceptions';
import { createRules, deactivateRule, updateRule } from '@/lib/availability/rules';

// lib/availability parses each form as posted and answers with the field errors the forms show.

const revalidate = '/dashboard/availability';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export const createRulesAction = practiceAction(
  createRules,
  { name: 'availability.create_rules', revalidate },
  ({ rules }) => `Added ${plural(rules.length, 'interval')}; the free times follow.`,
);

export const updateRuleAction = practiceAction(updateRule, { name: 'availability.update_rule', revalidate }, ({ slots }) =>
  slots ? 'Saved; the free times follow.' : 'Nothing changed.',
);

export const deactivateRuleAction = practiceAction(deactivateRule, { name: 'availability.deactivate_rule', revalidate }, () => 'Removed.');

export const createExceptionAction = practiceAction(createException, { name: 'availability.create_exception', revalidate }, ({ exception: e }) =>
  e.closed ? `${e.date} is closed.` : `Other hours set for ${e.date}.`,
);

export const deleteExceptionAction = practiceAction(deleteException, { name: 'availability.delete_exception', revalidate }, () => 'Deleted.');

export const blockTimeAction = practiceAction(blockTime, { name: 'availability.block', revalidate }, (r) => {
  const parts = [`Blocked ${plural(r.blocked, 'slot')}.`];
  if (r.alreadyBlocked) parts.push(`${plural(r.alreadyBlocked, 'slot was', 'slots were')} already blocked.`);
  if (r.held) {
    const them = r.held === 1 ? 'it' : 'them';
    parts.push(`${plural(r.held, 'slot')} could not be blocked: a request or an appointment holds ${them}. Answer or cancel those first.`);
  }
  return parts.join(' ');
});

export const unblockTimeAction = practiceAction(unblockTime, { name: 'availability.unblock', revalidate }, ({ unblocked }) => `Freed ${plural(unblocked, 'slot')}.`);
