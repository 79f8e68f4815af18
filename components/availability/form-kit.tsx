'use client';

import { useTranslations } from '@/lib/i18n/use-translations';
import { startTransition, useActionState, useEffect, useId, useRef, type FormEvent, type ReactNode } from 'react';
import type { ActionState } from '@/lib/actions';
import { Button } from '@/components/ui/button';

/**
 * Pieces shared by the dashboard's catalog, availability and settings forms.
 *
 * Forms submit through onSubmit + startTransition rather than React's automatic form action, so
 * the browser keeps every value the person typed (checkbox groups included) when the server
 * answers with errors; a create form is cleared only after a success.
 */

export type FormAction = (prev: ActionState | undefined, formData: FormData) => Promise<ActionState>;

export function useActionForm(action: FormAction, opts: { resetOnSuccess?: boolean } = {}) {
  const [state, dispatch, pending] = useActionState(action, undefined);
  const formRef = useRef<HTMLFormElement>(null);
  // A double click must not send the form twice (a second service, a second rule).
  const inFlight = useRef(false);
  const resetOnSuccess = opts.resetOnSuccess ?? false;
  useEffect(() => {
    inFlight.current = false;
    if (state?.ok && resetOnSuccess) formRef.current?.reset();
  }, [state, resetOnSuccess]);
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (inFlight.current) return;
    inFlight.current = true;
    const formData = new FormData(event.currentTarget);
    startTransition(() => dispatch(formData));
  };
  return { state, pending, formProps: { ref: formRef, action: dispatch, onSubmit, noValidate: true } };
}

/** A field's errors, under its name or its checkbox group's (`name[]`). */
export function errorsFor(state: ActionState | undefined, name: string): string[] | undefined {
  return state?.fieldErrors?.[name] ?? state?.fieldErrors?.[`${name}[]`];
}

/** The form's outcome: the error, or the success message. */
export function FormAlert({ state }: { state: ActionState | undefined }) {
  const t = useTranslations('dashboard.availability');
  if (state?.error) {
    // A message already shown next to its field is not repeated at the top.
    const onAField = Object.values(state.fieldErrors ?? {}).some((messages) => messages?.includes(state.error!));
    return (
      <p role="alert" className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800">
        {onAField ? t('nothingSaved') : state.error}
      </p>
    );
  }
  if (state?.ok && state.message) {
    return (
      <p role="status" className="rounded-md border border-green-300 bg-green-50 p-3 text-sm text-green-900">
        {state.message}
      </p>
    );
  }
  return null;
}

/** A group of checkboxes (or radios) with a legend, a hint and the group's errors. */
export function ChoiceGroup({
  legend,
  hint,
  errors,
  children,
  className = '',
}: {
  legend: string;
  hint?: string;
  errors?: string[];
  children: ReactNode;
  className?: string;
}) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = errors?.length ? `${id}-error` : undefined;
  return (
    <fieldset
      className={className}
      aria-invalid={errorId ? true : undefined}
      aria-describedby={[hintId, errorId].filter(Boolean).join(' ') || undefined}
    >
      <legend className="text-sm font-medium text-slate-800">{legend}</legend>
      {hint && (
        <p id={hintId} className="mt-0.5 text-xs text-slate-600">
          {hint}
        </p>
      )}
      <div className="mt-1 flex flex-wrap gap-x-4 gap-y-2">{children}</div>
      {errorId && (
        <p id={errorId} className="mt-1 text-sm text-red-700">
          {errors!.join(' ')}
        </p>
      )}
    </fieldset>
  );
}

export function Choice({
  type = 'checkbox',
  name,
  value,
  label,
  defaultChecked,
}: {
  type?: 'checkbox' | 'radio';
  name: string;
  value: string;
  label: string;
  defaultChecked?: boolean;
}) {
  return (
    <label className="inline-flex items-center gap-2 text-sm text-slate-800">
      <input type={type} name={name} value={value} defaultChecked={defaultChecked} className="h-4 w-4 accent-brand-700" />
      {label}
    </label>
  );
}

/**
 * A one-button form (deactivate, delete, unblock) with its hidden fields and its outcome.
 * `confirm` asks before sending.
 */
export function ActionButton({
  action,
  fields,
  label,
  pendingLabel,
  variant = 'secondary',
  confirm,
}: {
  action: FormAction;
  fields: Record<string, string>;
  label: string;
  pendingLabel?: string;
  variant?: 'primary' | 'secondary' | 'danger';
  confirm?: string;
}) {
  const { state, pending, formProps } = useActionForm(action);
  return (
    <form
      {...formProps}
      onSubmit={(event) => {
        if (confirm && !window.confirm(confirm)) {
          event.preventDefault();
          return;
        }
        formProps.onSubmit(event);
      }}
      className="inline-flex flex-col items-end gap-1"
    >
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <Button type="submit" variant={variant} disabled={pending} className="px-3 py-1 text-sm">
        {pending ? (pendingLabel ?? label) : label}
      </Button>
      {state?.error && (
        <p role="alert" className="max-w-xs text-right text-sm text-red-700">
          {state.error}
        </p>
      )}
    </form>
  );
}
