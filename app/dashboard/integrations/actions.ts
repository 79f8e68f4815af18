'use server';

import { actionTranslator, practiceAction } from '@/lib/actions';
import { createIntegrationKey, revokeIntegrationKey } from '@/lib/integrations';

const revalidate = '/dashboard/integrations';

// The new key goes back to the form in this one answer (the page shows it once, with a copy
// button); it is never stored, and the list only ever shows its first characters.
export const createIntegrationKeyAction = practiceAction(createIntegrationKey, { name: 'integrations.create', revalidate }, async (k) => ({
  ok: true,
  message: (await actionTranslator('dashboard.integrations'))('createdDone', { name: k.name }),
  values: { key: k.key, name: k.name, prefix: k.prefix },
}));

export const revokeIntegrationKeyAction = practiceAction(revokeIntegrationKey, { name: 'integrations.revoke', revalidate }, async (k) =>
  k.changed
    ? (await actionTranslator('dashboard.integrations'))('revokedDone', { name: k.name, prefix: k.prefix })
    : (await actionTranslator('dashboard.integrations'))('alreadyRevoked', { name: k.name, prefix: k.prefix }),
);
