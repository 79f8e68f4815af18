'use client';

import { useTranslations } from '@/lib/i18n/use-translations';
import { useId } from 'react';
import { errorsFor, FormAlert, useActionForm } from '@/components/availability/form-kit';
import { Button } from '@/components/ui/button';
import { CheckboxField } from '@/components/ui/checkbox-field';
import { DurationField, ReminderList } from '@/components/dashboard/duration-field';
import { Field, SelectField, TextAreaField } from '@/components/ui/field';
import { LOCALE_NAMES, LOCALES } from '@/lib/i18n/locales';
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

/** Each language by its own name (lib/i18n/locales.ts). */
const LANGUAGES = LOCALES.map((l) => ({ value: l, label: LOCALE_NAMES[l] }));

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
  const t = useTranslations('settings.form');
  return (
    <form {...formProps} className="space-y-6">
      <input type="hidden" name="profileId" value={profileId} />
      <FormAlert state={state} />

      <fieldset className="space-y-4">
        <legend className="font-semibold">{t('timeAndSlots')}</legend>
        <Field
          label={t('timeZone')}
          name="timeZone"
          list={zonesId}
          required
          autoComplete="off"
          hint={t('timeZoneHint')}
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
            label={t('slot')}
            name="slotMinutes"
            type="number"
            inputMode="numeric"
            min={5}
            max={240}
            required
            hint={t('slotHint')}
            defaultValue={settings.slotMinutes}
            errors={e('slotMinutes')}
          />
          <Field
            label={t('horizon')}
            name="horizonDays"
            type="number"
            inputMode="numeric"
            min={1}
            max={366}
            required
            hint={t('horizonHint')}
            defaultValue={settings.horizonDays}
            errors={e('horizonDays')}
          />
        </div>
      </fieldset>

      <fieldset className="space-y-4">
        <legend className="font-semibold">{t('requests')}</legend>
        <div className="grid gap-4 sm:grid-cols-2">
          <DurationField
            label={t('notice')}
            name="minNoticeMinutes"
            hint={t('noticeHint')}
            defaultMinutes={settings.minNoticeMinutes}
            errors={e('minNoticeMinutes')}
          />
          <DurationField
            label={t('approval')}
            name="approvalWindowMinutes"
            units={['minutes', 'hours', 'days']}
            hint={t('approvalHint')}
            defaultMinutes={settings.approvalWindowMinutes}
            errors={e('approvalWindowMinutes')}
          />
        </div>
        <ReminderList name="reminderOffsetsMinutes" defaultMinutes={settings.reminderOffsetsMinutes} errors={e('reminderOffsetsMinutes')} />
      </fieldset>

      <fieldset className="space-y-4">
        <legend className="font-semibold">{t('contact')}</legend>
        <div className="grid gap-4 sm:grid-cols-2">
          <SelectField
            label={t('country')}
            name="country"
            options={countries}
            hint={t('countryHint')}
            defaultValue={settings.country}
            errors={e('country')}
          />
          <SelectField
            label={t('language')}
            name="defaultLocale"
            options={LANGUAGES}
            hint={t('languageHint')}
            defaultValue={settings.defaultLocale}
            errors={e('defaultLocale')}
          />
        </div>
        <div className="grid gap-4 sm:grid-cols-2">
          <Field
            label={t('phone')}
            name="contactPhone"
            type="tel"
            autoComplete="tel"
            hint={t('phoneHint')}
            defaultValue={settings.contactPhone ?? ''}
            errors={e('contactPhone')}
          />
          <Field
            label={t('email')}
            name="contactEmail"
            type="email"
            autoComplete="email"
            hint={t('optional')}
            defaultValue={settings.contactEmail ?? ''}
            errors={e('contactEmail')}
          />
        </div>
        <Field
          label={t('address')}
          name="address"
          maxLength={300}
          hint={t('addressHint')}
          defaultValue={settings.address ?? ''}
          errors={e('address')}
        />
        <CheckboxField
          label={t('whatsapp')}
          name="whatsappEnabled"
          defaultChecked={settings.whatsappEnabled}
        />
      </fieldset>

      <fieldset className="space-y-4">
        <legend className="font-semibold">{t('moving')}</legend>
        <TextAreaField
          label={t('policy')}
          name="cancellationPolicy"
          rows={3}
          maxLength={2000}
          hint={t('policyHint')}
          defaultValue={settings.cancellationPolicy}
          errors={e('cancellationPolicy')}
        />
        <div className="grid gap-4 sm:grid-cols-2">
          <DurationField
            label={t('moveCutoff')}
            name="moveCutoffMinutes"
            units={['hours', 'days']}
            hint={t('moveCutoffHint')}
            defaultMinutes={settings.moveCutoffMinutes}
            errors={e('moveCutoffMinutes')}
          />
          <Field
            label={t('moves')}
            name="maxMovesPerRequest"
            type="number"
            inputMode="numeric"
            min={0}
            max={10}
            required
            hint={t('movesHint')}
            defaultValue={settings.maxMovesPerRequest}
            errors={e('maxMovesPerRequest')}
          />
        </div>
      </fieldset>

      <fieldset className="space-y-4">
        <legend className="font-semibold">{t('frontDesk')}</legend>
        <CheckboxField
          label={t('frontDeskDecides')}
          name="frontDeskDecides"
          defaultChecked={settings.frontDeskDecides}
        />
      </fieldset>

      <fieldset className="space-y-4">
        <legend className="font-semibold">{t('signIn')}</legend>
        <CheckboxField
          label={t('requireTwoFactor')}
          name="requireTwoFactor"
          defaultChecked={settings.requireTwoFactor}
        />
        <Field
          label={t('idle')}
          name="idleTimeoutMinutes"
          type="number"
          inputMode="numeric"
          min={5}
          max={720}
          required
          hint={t('idleHint')}
          defaultValue={settings.idleTimeoutMinutes}
          errors={e('idleTimeoutMinutes')}
        />
      </fieldset>

      <Button type="submit" disabled={pending}>
        {pending ? t('saving') : t('save')}
      </Button>
    </form>
  );
}
