import type { MemberRole } from '@/db/schema';
import { INTL_LOCALE, type Locale } from './locales';
import { translator } from './translator';

/** "a doctor and an admin" / "médico y administrador": a member's roles as a phrase in the reader's language. */
export function describeRolesIn(locale: Locale, roles: readonly MemberRole[]): string {
  const t = translator(locale, 'common.roleWithArticle');
  // i18n-keys: common.roleWithArticle.*
  if (!roles.length) return t('member');
  return new Intl.ListFormat(INTL_LOCALE[locale], { type: 'conjunction' }).format(roles.map((r) => t(r)));
}

/** A list in the reader's language: "A, B and C" / "A, B y C". */
export function formatList(locale: Locale, items: readonly string[]): string {
  return new Intl.ListFormat(INTL_LOCALE[locale], { type: 'conjunction' }).format(items);
}
