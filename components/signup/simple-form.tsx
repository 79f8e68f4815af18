'use client';

import Link from 'next/link';
import { useActionState, type ReactNode } from 'react';
import type { ActionState } from '@/lib/actions';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';

export interface FormFieldSpec {
  label: string;
  name: string;
  type?: 'text' | 'email' | 'password';
  autoComplete?: string;
  hint?: string;
  required?: boolean;
  defaultValue?: string;
}

export interface SelectSpec {
  label: string;
  name: string;
  options: { value: string; label: string }[];
}

type Action = (prev: ActionState | undefined, formData: FormData) => Promise<ActionState>;

/**
 * One small form on a server action (useActionState): its fields with their errors, a message
 * in an alert on failure and in a status line on success. With `done`, success replaces the form
 * by its message and, when given, a link onwards.
 */
export function SimpleForm({
  action,
  fields = [],
  select,
  hidden = {},
  submit,
  pendingLabel,
  variant = 'primary',
  done,
  className = 'space-y-4',
  inline = false,
  children,
}: {
  action: Action;
  fields?: FormFieldSpec[];
  select?: SelectSpec;
  hidden?: Record<string, string>;
  submit: string;
  pendingLabel?: string;
  variant?: 'primary' | 'secondary' | 'danger';
  done?: { href?: string; label?: string };
  className?: string;
  inline?: boolean;
  children?: ReactNode;
}) {
  const [state, formAction, pending] = useActionState(action, undefined);
  if (state?.ok && done) {
    return (
      <div role="status" className="space-y-4 rounded-lg border border-green-300 bg-green-50 p-4 text-green-950">
        <p>{state.message}</p>
        {done.href && (
          <Link href={done.href} className="inline-block rounded-md bg-brand-700 px-4 py-2 font-semibold text-white hover:bg-brand-800">
            {done.label ?? 'Continue'}
          </Link>
        )}
      </div>
    );
  }
  return (
    <form action={formAction} className={inline ? 'inline-flex flex-wrap items-center gap-2' : className} noValidate>
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {state?.error && (
        <p role="alert" className="w-full rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800">
          {state.error}
        </p>
      )}
      {state?.ok && state.message && (
        <p role="status" className="w-full rounded-md border border-green-300 bg-green-50 p-3 text-sm text-green-900">
          {state.message}
        </p>
      )}
      {fields.map((f) => (
        <Field
          key={f.name}
          label={f.label}
          name={f.name}
          type={f.type ?? 'text'}
          autoComplete={f.autoComplete}
          hint={f.hint}
          required={f.required}
          defaultValue={f.type === 'password' ? undefined : (state?.values?.[f.name] ?? f.defaultValue)}
          errors={state?.fieldErrors?.[f.name]}
        />
      ))}
      {select && (
        <div>
          <label htmlFor={`${select.name}-select`} className="block text-sm font-medium text-slate-800">
            {select.label}
          </label>
          <select
            id={`${select.name}-select`}
            name={select.name}
            defaultValue={state?.values?.[select.name]}
            className="mt-1 block w-full rounded-md border border-slate-400 bg-white px-3 py-2 text-base"
          >
            {select.options.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
          {state?.fieldErrors?.[select.name] && <p className="mt-1 text-sm text-red-700">{state.fieldErrors[select.name].join(' ')}</p>}
        </div>
      )}
      {children}
      <Button type="submit" variant={variant} disabled={pending}>
        {pending ? (pendingLabel ?? `${submit}…`) : submit}
      </Button>
    </form>
  );
}
