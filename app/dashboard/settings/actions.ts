'use server';

import { actionTranslator, practiceAction } from '@/lib/actions';
import { hasMessage } from '@/lib/i18n/translator';
import { updateSettings } from '@/lib/practice/settings';

// i18n-keys: settings.done.field.*

// The time zone shows on every dashboard page. The address, phone and policy also show on the
// public booking and request pages: those are rendered per request (force-dynamic), never cached,
// so a change is there at once (patient-side.spec checks it).
export const updateSettingsAction = practiceAction(updateSettings, { name: 'settings.update', revalidate: '/dashboard' }, async ({ changed, regenerated }) => {
  const t = await actionTranslator('settings.done');
  if (!changed.length) return t('nothing');
  const saved = t('saved', { fields: changed.map((k) => (hasMessage('en', `settings.done.field.${k}`) ? t(`field.${k}`) : k)).join(', ') });
  return regenerated ? `${saved}${t('regenerated')}` : saved;
});
