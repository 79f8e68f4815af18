'use client';

import { useTranslations } from '@/lib/i18n/use-translations';
import { createServiceAction, updateServiceAction } from '@/app/dashboard/services/actions';
import { FormAlert, useActionForm } from '@/components/availability/form-kit';
import { Button } from '@/components/ui/button';
import { Field, TextAreaField } from '@/components/ui/field';

export interface ServiceFormValues {
  id: string;
  name: string;
  description: string;
  durationMinutes: number;
  /** In major units, as the form shows it ("45.00"). */
  price: string;
  currency: string;
}

/** Adds a service, or edits one when `service` is given. */
export function ServiceForm({
  profileId,
  slotMinutes,
  defaultCurrency,
  service,
}: {
  profileId: string;
  slotMinutes: number;
  defaultCurrency: string;
  service?: ServiceFormValues;
}) {
  const { state, pending, formProps } = useActionForm(service ? updateServiceAction : createServiceAction, { resetOnSuccess: !service });
  const errors = state?.fieldErrors;
  const t = useTranslations('dashboard.services');
  return (
    <form {...formProps} className="space-y-4">
      <input type="hidden" name="profileId" value={profileId} />
      {service && <input type="hidden" name="serviceId" value={service.id} />}
      <FormAlert state={state} />
      <Field label={t('name')} name="name" required maxLength={120} defaultValue={service?.name} errors={errors?.name} />
      <TextAreaField
        label={t('description')}
        name="description"
        hint={t('descriptionHint')}
        rows={3}
        maxLength={2000}
        defaultValue={service?.description}
        errors={errors?.description}
      />
      <div className="grid gap-4 sm:grid-cols-3">
        <Field
          label={t('duration')}
          name="durationMinutes"
          type="number"
          inputMode="numeric"
          min={5}
          max={480}
          step={slotMinutes}
          required
          hint={t('durationHint', { slot: slotMinutes })}
          defaultValue={service?.durationMinutes ?? slotMinutes * 2}
          errors={errors?.durationMinutes}
        />
        <Field
          label={t('price')}
          name="price"
          inputMode="decimal"
          required
          hint={t('priceHint')}
          defaultValue={service?.price}
          errors={errors?.price ?? errors?.priceAmount}
        />
        <Field
          label={t('currency')}
          name="currency"
          required
          minLength={3}
          maxLength={3}
          autoCapitalize="characters"
          hint={t('currencyHint')}
          defaultValue={service?.currency ?? defaultCurrency}
          errors={errors?.currency}
        />
      </div>
      <Button type="submit" disabled={pending}>
        {pending ? t('saving') : service ? t('save') : t('addSubmit')}
      </Button>
    </form>
  );
}
