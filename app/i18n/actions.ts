'use server';

import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { secureCookies } from '@/lib/env';
import { isLocale } from '@/lib/i18n/locales';
import { LOCALE_COOKIE, LOCALE_COOKIE_MAX_AGE, safeBackPath } from '@/lib/i18n/negotiate';

/**
 * The language switcher's form (components/i18n/locale-switcher.tsx): remembers the visitor's
 * choice in a cookie and goes back to the same-site page it came from. Works without JavaScript.
 */
export async function setLocaleAction(formData: FormData): Promise<void> {
  const locale = formData instanceof FormData ? formData.get('locale') : null;
  const back = safeBackPath(formData instanceof FormData ? formData.get('back') : null);
  if (isLocale(locale)) {
    (await cookies()).set(LOCALE_COOKIE, locale, {
      maxAge: LOCALE_COOKIE_MAX_AGE,
      path: '/',
      sameSite: 'lax',
      httpOnly: true,
      secure: secureCookies(),
    });
  }
  redirect(back);
}
