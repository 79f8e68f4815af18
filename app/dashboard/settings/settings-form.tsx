'use client';

import { useId } from 'react';
import { errorsFor, FormAlert, useActionForm } from '@/components/availability/form-kit';
import { Button } from '@/components/ui/button';
import { CheckboxField } from '@/components/ui/checkbox-field';
import { DurationField, ReminderList } from '@/components/dashboard/duration-field';
import { Field, SelectField, TextAreaField } from '@/components/ui/field';
import { updateSettingsAction } from './actions';

export interface SettingsFormValues {
  timeZone: string;
  slotMinutes: number;
  minNoticeMinutes: number;
  horizonDays: number;
  approvalWindowMinutes: number;
  reminderOffsetsMinutes: number[];
  contactPhone: string | null;
  contactEmail: string | null;
  address: string | null;
  whatsappEnabled: boolean;
  requireTwoFactor: boolean;
  frontDeskDecides: boolean;
  idleTimeoutMinutes: number;
  country: string;
  defaultLocale: string;
  cancellationPolicy: string;
  moveCutoffMinutes: number;
  maxMovesPerRequest: number;
}

const LANGUAGES = [
  { value: 'en', label: 'English' },
  { value: 'es', label: 'Español (Spanish)' },
];

export function SettingsForm({
  profileId,
  settings,
  timeZones,
  countries,
}: {
  profileId: string;
  settings: SettingsFormValues;
  timeZones: string[];
  /** ISO 3166-1 alpha-2 codes with their names, sorted by name. */
  countries: { value: string; label: string }[];
}) {
  const { state, pending, formProps } = useActionForm(updateSettingsAction);
  const zonesId = useId();
  const e = (name: string) => errorsFor(state, name);
  return (
    <form {...formProps} className="space-y-6">
      <input type="hidden" name="profileId" value={profileId} />
      <FormAlert state={state} />

      <fieldset className="space-y-4">
        <legend className="font-semibold">Time and slots</legend>
        <Field
          label="Time zone"
          name="timeZone"
          list={zonesId}
          required
          autoComplete="off"
          hint="An IANA zone such as Europe/Madrid. Every time on the dashboard and the booking page is shown in it."
          defaultValue={settings.timeZone}
          errors={e('timeZone')}
        />
        <datalist id={zonesId}>
          {timeZones.map((z) => (
            <option key={z} value={z} />
          ))}
        </datalist>
        <div className="grid gap-4 sm:grid-cols-2">
          <Field
            label="Slot length (minutes)"
            name="slotMinutes"
            type="number"
            inputMode="numeric"
            min={5}
            max={240}
            required
            hint="5–240. Every active service's duration must be a multiple of it."
            defaultValue={settings.slotMinutes}
            errors={e('slotMinutes')}
          />
          <Field
            label="Booking horizon (days)"
            name="horizonDays"
            type="number"
            inputMode="numeric"
            min={1}
            max={366}
            required
            hint="How far ahead patients can book: 1–366 days."
            defaultValue={settings.horizonDays}
            errors={e('horizonDays')}
          />
        </div>
      </fieldset>

      <fieldset className="space-y-4">
        <legend className="font-semibold">Requests and reminders</legend>
        <div className="grid gap-4 sm:grid-cols-2">
          <DurationField
            label="Minimum notice"
            name="minNoticeMinutes"
            hint="How soon before the start a time can still be requested (up to 7 days)."
            defaultMinutes={settings.minNoticeMinutes}
            errors={e('minNoticeMinutes')}
          />
          <DurationField
            label="Approval window"
            name="approvalWindowMinutes"
            units={['minutes', 'hours', 'days']}
            hint="How long the practice has to answer a request before it expires (5 minutes to 7 days)."
            defaultMinutes={settings.approvalWindowMinutes}
            errors={e('approvalWindowMinutes')}
          />
        </div>
        <ReminderList name="reminderOffsetsMinutes" defaultMinutes={settings.reminderOffsetsMinutes} errors={e('reminderOffsetsMinutes')} />
      </fieldset>

      <fieldset className="space-y-4">
        <legend className="font-semibold">Practice and contact</legend>
        <div className="grid gap-4 sm:grid-cols-2">
          <SelectField
            label="Country"
            name="country"
            options={countries}
            hint="Phone numbers typed without a country code are read as numbers of this country, and shown nationally."
            defaultValue={settings.country}
            errors={e('country')}
          />
          <SelectField
            label="Language of public pages and messages"
            name="defaultLocale"
            options={LANGUAGES}
            hint="For patients whose language is not known."
            defaultValue={settings.defaultLocale}
            errors={e('defaultLocale')}
          />
        </div>
        <div className="grid gap-4 sm:grid-cols-2">
          <Field
            label="Phone"
            name="contactPhone"
            type="tel"
            autoComplete="tel"
            hint="As you would write it, e.g. 910 00 00 00, or with the country code. Optional."
            defaultValue={settings.contactPhone ?? ''}
            errors={e('contactPhone')}
          />
          <Field
            label="E-mail"
            name="contactEmail"
            type="email"
            autoComplete="email"
            hint="Optional."
            defaultValue={settings.contactEmail ?? ''}
            errors={e('contactEmail')}
          />
        </div>
        <Field
          label="Address"
          name="address"
          maxLength={300}
          hint="Shown to patients with a map link on the booking and request pages. Optional."
          defaultValue={settings.address ?? ''}
          errors={e('address')}
        />
        <CheckboxField
          label="Send confirmations and reminders by WhatsApp too (patients can opt out)"
          name="whatsappEnabled"
          defaultChecked={settings.whatsappEnabled}
        />
      </fieldset>

      <fieldset className="space-y-4">
        <legend className="font-semibold">Cancelling and moving</legend>
        <TextAreaField
          label="Cancellation policy"
          name="cancellationPolicy"
          rows={3}
          maxLength={2000}
          hint="Shown to patients before they send a request and on their request page. Optional."
          defaultValue={settings.cancellationPolicy}
          errors={e('cancellationPolicy')}
        />
        <div className="grid gap-4 sm:grid-cols-2">
          <DurationField
            label="Patients may move a request until"
            name="moveCutoffMinutes"
            units={['hours', 'days']}
            hint="How long before the start a patient can still move to another time (up to 30 days)."
            defaultMinutes={settings.moveCutoffMinutes}
            errors={e('moveCutoffMinutes')}
          />
          <Field
            label="Moves per request"
            name="maxMovesPerRequest"
            type="number"
            inputMode="numeric"
            min={0}
            max={10}
            required
            hint="How many times a patient may move the same request: 0 (never) to 10."
            defaultValue={settings.maxMovesPerRequest}
            errors={e('maxMovesPerRequest')}
          />
        </div>
      </fieldset>

      <fieldset className="space-y-4">
        <legend className="font-semibold">Front desk</legend>
        <CheckboxField
          label="Front-desk members may approve, reject and propose other times (they always book phone-in patients and move or cancel appointments; they never read notes)"
          name="frontDeskDecides"
          defaultChecked={settings.frontDeskDecides}
        />
      </fieldset>

      <fieldset className="space-y-4">
        <legend className="font-semibold">Sign-in</legend>
        <CheckboxField
          label="Require two-factor sign-in for every member (members without it are asked to turn it on when they next sign in)"
          name="requireTwoFactor"
          defaultChecked={settings.requireTwoFactor}
        />
        <Field
          label="Idle timeout (minutes)"
          name="idleTimeoutMinutes"
          type="number"
          inputMode="numeric"
          min={5}
          max={720}
          required
          hint="A member's session ends after this long without activity: 5–720. A warning shows a minute before."
          defaultValue={settings.idleTimeoutMinutes}
          errors={e('idleTimeoutMinutes')}
        />
      </fieldset>

      <Button type="submit" disabled={pending}>
        {pending ? 'Saving…' : 'Save settings'}
      </Button>
    </form>
  );
}
