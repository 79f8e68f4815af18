import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';

interface Labelled {
  label: string;
  name: string;
  hint?: string;
  errors?: string[];
  className?: string;
}

const CONTROL = 'mt-1 block w-full rounded-md border border-slate-400 bg-white px-3 py-2 text-base shadow-sm focus:border-brand-600 aria-invalid:border-red-600';

/** The label, hint and errors around one control, wired for screen readers. */
function FieldShell({ label, hint, errors, className, control }: Omit<Labelled, 'name'> & { control: (aria: Record<string, string | boolean | undefined>) => ReactNode }) {
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
      {control({ id, 'aria-invalid': errorId ? true : undefined, 'aria-describedby': [hintId, errorId].filter(Boolean).join(' ') || undefined })}
      {errorId && (
        <p id={errorId} className="mt-1 text-sm text-red-700">
          {errors!.join(' ')}
        </p>
      )}
    </div>
  );
}

/** A labelled input with its hint and its errors announced to screen readers. */
export function Field({ label, name, hint, errors, className, ...input }: Labelled & InputHTMLAttributes<HTMLInputElement>) {
  return <FieldShell label={label} hint={hint} errors={errors} className={className} control={(aria) => <input name={name} {...aria} className={CONTROL} {...input} />} />;
}

/** Field's twin for longer text. */
export function TextAreaField({ label, name, hint, errors, className, ...textarea }: Labelled & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return <FieldShell label={label} hint={hint} errors={errors} className={className} control={(aria) => <textarea name={name} {...aria} className={CONTROL} {...textarea} />} />;
}

/** Field's twin for a choice from a list (`options` as value and label). */
export function SelectField({
  label,
  name,
  hint,
  errors,
  className,
  options,
  ...select
}: Labelled & SelectHTMLAttributes<HTMLSelectElement> & { options: readonly { value: string; label: string }[] }) {
  return (
    <FieldShell
      label={label}
      hint={hint}
      errors={errors}
      className={className}
      control={(aria) => (
        <select name={name} {...aria} className={CONTROL} {...select}>
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    />
  );
}
