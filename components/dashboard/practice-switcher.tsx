'use client';

import { useTranslations } from '@/lib/i18n/use-translations';
import { switchPracticeAction } from '@/app/dashboard/actions';

export function PracticeSwitcher({ current, practices }: { current: string; practices: { slug: string; name: string }[] }) {
  const t = useTranslations('dashboard.layout');
  return (
    <form action={switchPracticeAction} className="flex items-center gap-2">
      <label htmlFor="practice-switcher" className="text-sm text-slate-700">
        {t('practice')}
      </label>
      <select
        id="practice-switcher"
        name="practice"
        defaultValue={current}
        onChange={(e) => e.currentTarget.form?.requestSubmit()}
        className="rounded border border-slate-300 bg-white px-2 py-1 text-sm"
      >
        {practices.map((p) => (
          <option key={p.slug} value={p.slug}>
            {p.name}
          </option>
        ))}
      </select>
      <noscript>
        <button type="submit" className="rounded border px-2 py-1 text-sm">
          {t('switch')}
        </button>
      </noscript>
    </form>
  );
}
