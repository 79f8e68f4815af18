'use server';

import { practiceAction } from '@/lib/actions';
import { createIntegrationKey, revokeIntegrationKey } from '@/lib/integrations';

const revalidate = '/dashboard/integrations';

// The new key goes back to the form in this one answer (the page shows it once, with a copy
// button); it is never stored, and the list only ever shows its first characters.
export const createIntegrationKeyAction = practiceAction(createIntegrationKey, { name: 'integrations.create', revalidate }, (k) => ({
  ok: true,
  message: `${k.name} was created.`,
  values: { key: k.key, name: k.name, prefix: k.prefix },
}));

export const revokeIntegrationKeyAction = practiceAction(revokeIntegrationKey, { name: 'integrations.revoke', revalidate }, (k) =>
  k.changed ? `${k.name} (${k.prefix}…) was revoked: calls with it are refused from now on.` : `${k.name} (${k.prefix}…) was already revoked.`,
);
