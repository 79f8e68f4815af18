'use server';

import { actionTranslator, practiceAction } from '@/lib/actions';
import { blockTime, unblockTime } from '@/lib/availability/blocks';
import { createException, deleteException } from '@/lib/availability/exceptions';
import { createRules, deactivateRule, updateRule } from '@/lib/availability/rules';

// lib/availability parses each form as posted and answers with the field errors the forms show.

const revalidate = '/dashboard/availability';

const words = () => actionTranslator('dashboard.availability');

export const createRulesAction = practiceAction(createRules, { name: 'availability.create_rules', revalidate }, async ({ rules }) =>
  (await actionTranslator('dashboard.availability'))('added', { count: rules.length }),
);

export const updateRuleAction = practiceAction(updateRule, { name: 'availability.update_rule', revalidate }, async ({ slots }) =>
  slots ? (await actionTranslator('dashboard.availability'))('saved') : (await actionTranslator('dashboard.availability'))('nothingChanged'),
);

export const deactivateRuleAction = practiceAction(deactivateRule, { name: 'availability.deactivate_rule', revalidate }, async () =>
  (await actionTranslator('dashboard.availability'))('removed'),
);

export const createExceptionAction = practiceAction(createException, { name: 'availability.create_exception', revalidate }, async ({ exception: e }) =>
  e.closed
    ? (await actionTranslator('dashboard.availability'))('dateClosed', { date: e.date })
    : (await actionTranslator('dashboard.availability'))('dateOtherHours', { date: e.date }),
);

export const deleteExceptionAction = practiceAction(deleteException, { name: 'availability.delete_exception', revalidate }, async () =>
  (await actionTranslator('dashboard.availability'))('deleted'),
);

export const blockTimeAction = practiceAction(blockTime, { name: 'availability.block', revalidate }, async (r) => {
  const t = await words();
  const parts = [t('blockedCount', { count: r.blocked })];
  if (r.alreadyBlocked) parts.push(t('alreadyBlocked', { count: r.alreadyBlocked }));
  if (r.held) parts.push(t('held', { count: r.held }));
  return parts.join(' ');
});

export const unblockTimeAction = practiceAction(unblockTime, { name: 'availability.unblock', revalidate }, async ({ unblocked }) =>
  (await actionTranslator('dashboard.availability'))('freed', { count: unblocked }),
);
