'use client';

import Link from 'next/link';
import { useActionState, useEffect, useRef, useState } from 'react';
import { requestAppointmentAction } from '@/app/(public)/book/[slug]/actions';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { CheckboxField, TextAreaField } from './form-controls';
import { bookingHref } from './hrefs';
import { TimesIn } from './zone-name';
import type { AlternativeTime, BookingFormState } from './types';

import type { FormWords } from './form-words';

interface RequestFormProps {
  slug: string;
  serviceId: string;
  /** The chosen start, ISO 8601 UTC. */
  startsAt: string;
  timeZone: string;
  /** Today in the practice's time zone: the latest date of birth. */
  today: string;
  /** What was typed before the code step, put back ("use another e-mail", an expired code). */
  initial?: Record<string, string>;
  /** Where the one-time code goes: the e-mail is then required. */
  codeBy?: 'email' | 'whatsapp';
  /** Whether to offer the WhatsApp opt-out (only where the practice sends WhatsApp messages). */
  whatsappOptOut?: boolean;
  /** Every word of the form in the page's language (form-words.ts, made on the server). */
  words: FormWords;
}

/**
 * Step 4: the patient's details. Posts to a server action that validates with the API's schema;
 * it then opens the code step (or, for a contact this browser proved before, the status page).
 * Everything typed comes back in the action's state, so a rejected submission keeps it.
 */
export function RequestForm({
  slug,
  serviceId,
  startsAt,
  timeZone,
  today,
  initial,
  codeBy = 'email',
  whatsappOptOut = false,
  words: w,
}: RequestFormProps) {
  const [state, action, pending] = useActionState<BookingFormState | undefined, FormData>(requestAppointmentAction, undefined);
  // The nearest free times stay on offer until the server offers others.
  const [alternatives, setAlternatives] = useState<AlternativeTime[] | undefined>(state?.alternatives);
  const [shownState, setShownState] = useState(state);
  if (state !== shownState) {
    setShownState(state);
    if (state?.alternatives) setAlternatives(state.alternatives);
  }

  const formRef = useRef<HTMLFormElement>(null);
  const alertRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!state?.error) return;
    const invalid = formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
    if (invalid && !state.alternatives) invalid.focus();
    else alertRef.current?.focus();
  }, [state]);

  // Back from the code step to change the e-mail: the cursor waits there.
  useEffect(() => {
    if (initial && codeBy === 'email') formRef.current?.querySelector<HTMLInputElement>('input[name="patient.email"]')?.focus();
  }, [initial, codeBy]);

  const values = state?.values ?? initial ?? {};
  const errors = state?.fieldErrors ?? {};
  const invalidLabels = Object.keys(errors).map((k) => w.fields[k] ?? null);
  const otherErrors = Object.entries(errors)
    .filter(([k]) => !(k in w.fields))
    .flatMap(([, messages]) => messages);

  return (
    <form ref={formRef} action={action} noValidate className="space-y-5" aria-describedby="request-note">
      <input type="hidden" name="slug" value={slug} />
      <input type="hidden" name="serviceId" value={serviceId} />
      {!alternatives && <input type="hidden" name="startsAt" value={values.startsAt ?? startsAt} />}

      <div ref={alertRef} tabIndex={-1} role="alert" aria-atomic="true" className="rounded-md outline-offset-2">
        {state?.error && (
          <div className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-900">
            <p className="font-semibold">{state.error}</p>
            {invalidLabels.some(Boolean) && <p className="mt-1">{w.check.replace('{fields}', invalidLabels.filter(Boolean).join(', '))}</p>}
            {otherErrors.map((message) => (
              <p key={message} className="mt-1">
                {message}
              </p>
            ))}
          </div>
        )}
      </div>

      {alternatives && (
        <fieldset className="rounded-lg border border-slate-300 bg-white p-4" aria-describedby={errors.startsAt ? 'alternatives-error' : undefined}>
          <legend className="px-1 font-semibold">{w.nearest}</legend>
          <TimesIn timeZone={timeZone} text={w.times} />
          {alternatives.length ? (
            <div className="mt-3 grid gap-2 sm:grid-cols-2">
              {alternatives.map((alt) => (
                <label
                  key={alt.startsAt}
                  className="flex min-h-11 cursor-pointer items-center gap-3 rounded-md border border-slate-300 px-3 py-2 has-checked:border-brand-700 has-checked:bg-brand-50"
                >
                  <input type="radio" name="startsAt" value={alt.startsAt} required defaultChecked={values.startsAt === alt.startsAt} className="size-5 accent-brand-700" />
                  <span className="font-medium tabular-nums">{alt.label}</span>
                </label>
              ))}
            </div>
          ) : (
            <p className="mt-2">
              {w.noneNear}{' '}
              <Link href={bookingHref(slug, { service: serviceId }, 'day')} className="font-semibold text-brand-700 underline">
                {w.otherDay}
              </Link>
              .
            </p>
          )}
          {errors.startsAt && (
            <p id="alternatives-error" className="mt-2 text-sm text-red-700">
              {errors.startsAt.join(' ')}
            </p>
          )}
        </fieldset>
      )}

      <Field label={w.name} name="patient.name" autoComplete="name" required maxLength={120} defaultValue={values['patient.name']} errors={errors['patient.name']} />
      <Field
        label={w.phone}
        name="patient.phone"
        type="tel"
        inputMode="tel"
        autoComplete="tel"
        required
        hint={w.phoneHint}
        defaultValue={values['patient.phone']}
        errors={errors['patient.phone']}
      />
      <Field
        label={w.email}
        name="patient.email"
        type="email"
        autoComplete="email"
        required={codeBy === 'email'}
        hint={w.emailHint}
        defaultValue={values['patient.email']}
        errors={errors['patient.email']}
      />
      <Field
        label={w.dateOfBirth}
        name="patient.dateOfBirth"
        type="date"
        autoComplete="bday"
        min="1900-01-01"
        max={today}
        hint={w.dateOfBirthHint}
        defaultValue={values['patient.dateOfBirth']}
        errors={errors['patient.dateOfBirth']}
      />
      <TextAreaField
        label={w.reason}
        name="reason"
        rows={4}
        maxLength={2000}
        hint={w.reasonHint}
        defaultValue={values.reason}
        errors={errors.reason}
      />
      <CheckboxField
        label={w.consent}
        name="consent"
        required
        defaultChecked={values.consent === 'on'}
        errors={errors.consent}
      />
      {whatsappOptOut && (
        <CheckboxField label={w.whatsappOptOut} name="whatsappOptOut" defaultChecked={values.whatsappOptOut === 'on'} errors={errors.whatsappOptOut} />
      )}

      <p id="request-note" className="text-sm text-slate-700">
        {w.note}
      </p>
      <Button type="submit" disabled={pending} className="min-h-11 w-full text-lg">
        {pending ? w.sending : w.send}
      </Button>
    </form>
  );
}
