import { useId, type InputHTMLAttributes } from 'react';

/**
 * A checkbox with its label beside it (the whole label is the tap target) and its errors
 * announced with it. The patient's booking form and the practice's settings use it.
 */
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
