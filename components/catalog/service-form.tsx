'use client';

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
  return (
    <form {...formProps} className="space-y-4">
      <input type="hidden" name="profileId" value={profileId} />
      {service && <input type="hidden" name="serviceId" value={service.id} />}
      <FormAlert state={state} />
      <Field label="Name" name="name" required maxLength={120} defaultValue={service?.name} errors={errors?.name} />
      <TextAreaField
        label="Description"
        name="description"
        hint="Optional. Patients see it on the booking page."
        rows={3}
        maxLength={2000}
        defaultValue={service?.description}
        errors={errors?.description}
      />
      <div className="grid gap-4 sm:grid-cols-3">
        <Field
          label="Duration (minutes)"
          name="durationMinutes"
          type="number"
          inputMode="numeric"
          min={5}
          max={480}
          step={slotMinutes}
          required
          hint={`A multiple of the ${slotMinutes}-minute slot length.`}
          defaultValue={service?.durationMinutes ?? slotMinutes * 2}
          errors={errors?.durationMinutes}
        />
        <Field
          label="Price"
          name="price"
          inputMode="decimal"
          required
          hint="For example 45.00; 0 for free."
          defaultValue={service?.price}
          errors={errors?.price ?? errors?.priceAmount}
        />
        <Field
          label="Currency"
          name="currency"
          required
          minLength={3}
          maxLength={3}
          autoCapitalize="characters"
          hint="ISO 4217 code, e.g. EUR."
          defaultValue={service?.currency ?? defaultCurrency}
          errors={errors?.currency}
        />
      </div>
      <Button type="submit" disabled={pending}>
        {pending ? 'Saving…' : service ? 'Save changes' : 'Add service'}
      </Button>
    </form>
  );
}
