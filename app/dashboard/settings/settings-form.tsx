'use client';

import { useId } from 'react';
import { errorsFor, FormAlert, useActionForm } from '@/components/availability/form-kit';
import { Button } from '@/components/ui/button';
import { DurationField, ReminderList } from '@/components/dashboard/duration-field';
import { Field } from '@/components/ui/field';
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
}

export function SettingsForm({ profileId, settings, timeZones }: { profileId: string; settings: SettingsFormValues; timeZones: string[] }) {
  const { state, pending, formProps } = useActionForm(updateSettingsAction);
  const zonesId = useId();
  const whatsappId = useId();
  const twoFactorId = useId();
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
        <legend className="font-semibold">Contact</legend>
        <div className="grid gap-4 sm:grid-cols-2">
          <Field
            label="Phone"
            name="contactPhone"
            type="tel"
            autoComplete="tel"
            hint="International form, e.g. +34910000000. Optional."
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
        <Field label="Address" name="address" maxLength={300} hint="Optional." defaultValue={settings.address ?? ''} errors={e('address')} />
        <div className="flex items-start gap-2">
          <input
            id={whatsappId}
            type="checkbox"
            name="whatsappEnabled"
            defaultChecked={settings.whatsappEnabled}
            className="mt-1 h-4 w-4 accent-brand-700"
          />
          <label htmlFor={whatsappId} className="text-sm text-slate-800">
            Send confirmations and reminders by WhatsApp too (patients can opt out)
          </label>
        </div>
      </fieldset>

      <fieldset className="space-y-4">
        <legend className="font-semibold">Front desk</legend>
        <div className="flex items-start gap-2">
          <input
            id={`${twoFactorId}-front-desk`}
            type="checkbox"
            name="frontDeskDecides"
            defaultChecked={settings.frontDeskDecides}
            className="mt-1 h-4 w-4 accent-brand-700"
          />
          <label htmlFor={`${twoFactorId}-front-desk`} className="text-sm text-slate-800">
            Front-desk members may approve, reject and propose other times (they always book phone-in patients and move or cancel appointments; they never read notes)
          </label>
        </div>
      </fieldset>

      <fieldset className="space-y-4">
        <legend className="font-semibold">Sign-in</legend>
        <div className="flex items-start gap-2">
          <input
            id={twoFactorId}
            type="checkbox"
            name="requireTwoFactor"
            defaultChecked={settings.requireTwoFactor}
            className="mt-1 h-4 w-4 accent-brand-700"
          />
          <label htmlFor={twoFactorId} className="text-sm text-slate-800">
            Require two-factor sign-in for every member (members without it are asked to turn it on when they next sign in)
          </label>
        </div>
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
