'use server';

import { getLocale, getTranslations } from 'next-intl/server';
import { publicAction } from '@/lib/actions';
import { isLocale } from '@/lib/i18n/locales';
import { formatList } from '@/lib/i18n/words';
import { verifyEmail } from '@/lib/accounts';

export const verifyEmailAction = publicAction(
  async (input: Record<string, unknown>) => {
    const r = await verifyEmail(input.token);
    const [t, locale] = await Promise.all([getTranslations('auth.verify'), getLocale()]);
    if (!r.activated.length) return t('done');
    return t('doneOnline', { practices: formatList(isLocale(locale) ? locale : 'en', r.activated.map((p) => p.displayName)) });
  },
  { name: 'accounts.verify_email' },
  (message) => message,
);
