import { useId, type InputHTMLAttributes, type TextareaHTMLAttributes } from 'react';

/** A labelled textarea with its hint and errors, like components/ui/field.tsx for inputs. */
export function TextAreaField({
  label,
  name,
  hint,
  errors,
  className,
  ...textarea
}: TextareaHTMLAttributes<HTMLTextAreaElement> & { label: string; name: string; hint?: string; errors?: string[] }) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = errors?.length ? `${id}-error` : undefined;
  return (
    <div className={className}>
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      {hint && (
        <p id={hintId} className="mt-0.5 text-xs text-slate-600">
          {hint}
        </p>
      )}
      <textarea
        id={id}
        name={name}
        aria-invalid={errorId ? true : undefined}
        aria-describedby={[hintId, errorId].filter(Boolean).join(' ') || undefined}
        className="mt-1 block w-full rounded-md border border-slate-400 bg-white px-3 py-2 text-base shadow-sm focus:border-brand-600 aria-invalid:border-red-600"
        {...textarea}
      />
      {errorId && (
        <p id={errorId} className="mt-1 text-sm text-red-700">
          {errors!.join(' ')}
        </p>
      )}
    </div>
  );
}

/** A checkbox with its label beside it (the whole label is the tap target) and its errors. */
export function CheckboxField({
  label,
  name,
  errors,
  className,
  ...input
}: Omit<InputHTMLAttributes<HTMLInputElement>, 'type'> & { label: string; name: string; errors?: string[] }) {
  const id = useId();
  const errorId = errors?.length ? `${id}-error` : undefined;
  return (
    <div className={className}>
      <div className="flex items-start gap-3">
        <input
          id={id}
          name={name}
          type="checkbox"
          aria-invalid={errorId ? true : undefined}
          aria-describedby={errorId}
          className="mt-0.5 size-5 shrink-0 accent-brand-700"
          {...input}
        />
        <label htmlFor={id} className="text-base text-slate-900">
          {label}
        </label>
      </div>
      {errorId && (
        <p id={errorId} className="mt-1 text-sm text-red-700">
          {errors!.join(' ')}
        </p>
      )}
    </div>
  );
}
