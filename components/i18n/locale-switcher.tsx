import { getLocale, getTranslations } from 'next-intl/server';
import { setLocaleAction } from '@/app/i18n/actions';
import { LOCALE_NAMES, LOCALES } from '@/lib/i18n/locales';
import { requestPath } from '@/lib/i18n/resolve';

/**
 * The visible language switcher of public pages (a server component; no JavaScript): one button
 * per language, each named in its own language, posting to setLocaleAction, which remembers the
 * choice in a cookie and comes back to this page (its path and query, checked same-site).
 */
export async function LocaleSwitcher({ className = '' }: { className?: string }) {
  const [locale, t, back] = await Promise.all([getLocale(), getTranslations('common.switcher'), requestPath()]);
  return (
    <form action={setLocaleAction} aria-label={t('label')} className={`flex items-center gap-1 text-sm ${className}`} data-testid="locale-switcher">
      <input type="hidden" name="back" value={back} />
      {LOCALES.map((l) => (
        <button
          key={l}
          type="submit"
          name="locale"
          value={l}
          lang={l}
          aria-pressed={l === locale}
          className={
            l === locale
              ? 'rounded border border-brand-700 bg-brand-50 px-2 py-1 font-semibold text-brand-800'
              : 'rounded border border-slate-300 px-2 py-1 text-slate-800 hover:bg-slate-100'
          }
        >
          {LOCALE_NAMES[l]}
        </button>
      ))}
    </form>
  );
}
