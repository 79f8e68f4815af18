'use client';

import Link from 'next/link';
import { useTranslations } from '@/lib/i18n/use-translations';
import { useActionState } from 'react';
import { useFormStatus } from 'react-dom';
import { Button } from '@/components/ui/button';
import { Field, TextAreaField } from '@/components/ui/field';
import type { ActionState } from '@/lib/actions';

type FormAction = (prev: ActionState | undefined, formData: FormData) => Promise<ActionState>;

/** The phone-in booking: one of the day's free times and the patient's details, as told on the phone. */
export function PhoneInForm({
  action,
  profileId,
  serviceId,
  dayLabel,
  options,
  selected,
}: {
  action: FormAction;
  profileId: string;
  serviceId: string;
  dayLabel: string;
  options: { value: string; label: string }[];
  selected?: string;
}) {
  const [state, dispatch] = useActionState<ActionState | undefined, FormData>(action, undefined);
  const errors = state?.fieldErrors ?? {};
  const t = useTranslations('appointments.book');
  const v = state?.ok ? {} : (state?.values ?? {});
  if (state?.ok) {
    return (
      <div role="status" className="space-y-2 rounded-md border border-green-300 bg-green-50 p-4 text-green-900" data-testid="phone-in-booked">
        <p>{state.message}</p>
        <p className="flex flex-wrap gap-4 text-sm">
          <Link href="/dashboard/appointments" className="font-semibold underline">
            {t('booked.back')}
          </Link>
          <Link href="/dashboard/appointments/book" className="font-semibold underline">
            {t('booked.another')}
          </Link>
        </p>
      </div>
    );
  }
  return (
    <form action={dispatch} className="space-y-4 rounded-lg border border-slate-200 bg-white p-4" data-testid="phone-in-form" noValidate>
      {state?.error && (
        <p role="alert" className="rounded-md border border-red-300 bg-red-50 p-2 text-sm text-red-800">
          {state.error}
        </p>
      )}
      <input type="hidden" name="profileId" value={profileId} />
      <input type="hidden" name="serviceId" value={serviceId} />
      <div>
        <label htmlFor="phone-in-start" className="block text-sm font-medium text-slate-800">
          {t('timeOn', { day: dayLabel })}
        </label>
        <select
          id="phone-in-start"
          name="startsAt"
          defaultValue={v.startsAt ?? selected}
          className="mt-1 block rounded-md border border-slate-400 bg-white px-3 py-2 text-base"
          aria-invalid={errors.startsAt ? true : undefined}
        >
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </div>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label={t('name')} name="patient.name" autoComplete="off" defaultValue={v['patient.name']} errors={errors['patient.name']} required />
        <Field
          label={t('phone')}
          name="patient.phone"
          type="tel"
          hint={t('phoneHint')}
          defaultValue={v['patient.phone']}
          errors={errors['patient.phone']}
          required
        />
        <Field label={t('email')} name="patient.email" type="email" defaultValue={v['patient.email']} errors={errors['patient.email']} />
        <Field label={t('dob')} name="patient.dateOfBirth" type="date" defaultValue={v['patient.dateOfBirth']} errors={errors['patient.dateOfBirth']} />
      </div>
      <TextAreaField label={t('reason')} name="reason" rows={2} defaultValue={v.reason} errors={errors.reason} />
      <div>
        <label className="flex items-start gap-2 text-sm">
          <input type="checkbox" name="consent" defaultChecked={v.consent === 'on'} className="mt-1" aria-invalid={errors.consent ? true : undefined} />
          <span>{t('consent')}</span>
        </label>
        {errors.consent && <p className="mt-1 text-sm text-red-700">{errors.consent.join(' ')}</p>}
      </div>
      <p className="text-sm text-slate-700">{t('onYourWord')}</p>
      <Submit />
    </form>
  );
}

function Submit() {
  const { pending } = useFormStatus();
  const t = useTranslations('appointments.book');
  return (
    <Button type="submit" disabled={pending}>
      {pending ? t('booking') : t('submit')}
    </Button>
  );
}
