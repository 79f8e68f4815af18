import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { can } from '@/lib/auth/permissions';
import { currentPractice, requireActor } from '@/lib/auth/session';
import { zoneName } from '@/lib/i18n/format';
import { INTL_LOCALE, type Locale } from '@/lib/i18n/locales';
import { pageLocale } from '@/lib/i18n/page-locale';
import { PHONE_COUNTRIES } from '@/lib/phone';
import { editableSettings, getSettings } from '@/lib/practice/settings';
import { SettingsForm } from './settings-form';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('settings.page'))('title') };
}

export default async function SettingsPage() {
  const actor = await requireActor();
  const practice = await currentPractice(actor);
  if (!practice) return null;
  const [t, locale] = await Promise.all([getTranslations('settings.page'), pageLocale()]);
  if (!can(practice.roles, 'settings.edit')) {
    return (
      <div className="space-y-2">
        <h1 className="text-2xl font-bold">{t('title')}</h1>
        <p role="status" className="rounded-md border border-slate-300 bg-white p-4 text-slate-800">
          {t('adminsOnly', { practice: practice.displayName })}
        </p>
      </div>
    );
  }
  const current = await getSettings(actor, practice.profileId);
  const settings = editableSettings(current);
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold">{t('title')}</h1>
        <p className="text-slate-700">{t('intro', { practice: current.displayName, zone: zoneName(locale, settings.timeZone) })}</p>
      </div>
      <section className="max-w-3xl rounded-lg border border-slate-200 bg-white p-4">
        <SettingsForm profileId={current.profileId} settings={settings} timeZones={Intl.supportedValuesOf('timeZone')} countries={countryOptions(locale)} />
      </section>
    </div>
  );
}

/** The countries phone numbers can belong to, by their name in the page's language. */
function countryOptions(locale: Locale): { value: string; label: string }[] {
  const names = new Intl.DisplayNames([INTL_LOCALE[locale]], { type: 'region' });
  return PHONE_COUNTRIES.map((code) => ({ value: code, label: names.of(code) ?? code })).sort((a, b) => a.label.localeCompare(b.label, INTL_LOCALE[locale]));
}
