import type { Metadata } from 'next';
import { can } from '@/lib/auth/permissions';
import { currentPractice, requireActor } from '@/lib/auth/session';
import { PHONE_COUNTRIES } from '@/lib/phone';
import { editableSettings, getSettings } from '@/lib/practice/settings';
import { SettingsForm } from './settings-form';

export const metadata: Metadata = { title: 'Settings' };

export default async function SettingsPage() {
  const actor = await requireActor();
  const practice = await currentPractice(actor);
  if (!practice) return null;
  if (!can(practice.roles, 'settings.edit')) {
    return (
      <div className="space-y-2">
        <h1 className="text-2xl font-bold">Settings</h1>
        <p role="status" className="rounded-md border border-slate-300 bg-white p-4 text-slate-800">
          Only admins of {practice.displayName} can change its settings. Ask an admin of the practice if something needs to change.
        </p>
      </div>
    );
  }
  const current = await getSettings(actor, practice.profileId);
  const settings = editableSettings(current);
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold">Settings</h1>
        <p className="text-slate-700">
          How {current.displayName} takes requests. Times are in {settings.timeZone}. Changing the time zone, the slot length or the horizon
          regenerates the free times; requested and booked times never move.
        </p>
      </div>
      <section className="max-w-3xl rounded-lg border border-slate-200 bg-white p-4">
        <SettingsForm profileId={current.profileId} settings={settings} timeZones={Intl.supportedValuesOf('timeZone')} countries={countryOptions()} />
      </section>
    </div>
  );
}

/** The countries phone numbers can belong to, by their English name. */
function countryOptions(): { value: string; label: string }[] {
  const names = new Intl.DisplayNames(['en'], { type: 'region' });
  return PHONE_COUNTRIES.map((code) => ({ value: code, label: names.of(code) ?? code })).sort((a, b) => a.label.localeCompare(b.label, 'en'));
}
