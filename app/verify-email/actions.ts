'use server';

import { actionLocale, actionTranslator, publicAction } from '@/lib/actions';
import { formatList } from '@/lib/i18n/words';
import { verifyEmail } from '@/lib/accounts';

export const verifyEmailAction = publicAction(
  async (input: Record<string, unknown>) => {
    const r = await verifyEmail(input.token);
    const [t, locale] = await Promise.all([actionTranslator('auth.verify'), actionLocale()]);
    if (!r.activated.length) return t('done');
    return t('doneOnline', { practices: formatList(locale, r.activated.map((p) => p.displayName)) });
  },
  { name: 'accounts.verify_email' },
  (message) => message,
);
