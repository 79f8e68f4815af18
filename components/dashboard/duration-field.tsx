'use client';

import { useTranslations } from '@/lib/i18n/use-translations';
import { useId, useState } from 'react';

const UNITS = { minutes: 1, hours: 60, days: 1440 } as const;
type Unit = keyof typeof UNITS;

function bestUnit(minutes: number, allowed: readonly Unit[]): Unit {
  const fits = [...allowed].reverse().find((u) => minutes % UNITS[u] === 0 && (minutes > 0 || u === 'minutes'));
  return fits ?? allowed[0];
}

const CONTROL = 'rounded-md border border-slate-400 bg-white px-3 py-2 text-base';

/**
 * A length of time in the unit a person thinks in ("2 hours", "1 day"); the form posts it in
 * minutes under `name`, as the settings expect.
 */
export function DurationField({
  label,
  name,
  defaultMinutes,
  units = ['minutes', 'hours', 'days'],
  hint,
  errors,
}: {
  label: string;
  name: string;
  defaultMinutes: number;
  units?: readonly Unit[];
  hint?: string;
  errors?: string[];
}) {
  const id = useId();
  const t = useTranslations('settings.duration');
  const [unit, setUnit] = useState<Unit>(() => bestUnit(defaultMinutes, units));
  const [amount, setAmount] = useState(() => String(defaultMinutes / UNITS[bestUnit(defaultMinutes, units)]));
  const minutes = amount.trim() === '' || Number.isNaN(Number(amount)) ? amount : String(Math.round(Number(amount) * UNITS[unit]));
  const described = [hint ? `${id}-hint` : '', errors?.length ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      {hint && (
        <p id={`${id}-hint`} className="mt-0.5 text-xs text-slate-600">
          {hint}
        </p>
      )}
      <div className="mt-1 flex gap-2">
        <input
          id={id}
          type="number"
          inputMode="decimal"
          min={0}
          step="any"
          required
          value={amount}
          onChange={(e) => setAmount(e.target.value)}
          aria-invalid={errors?.length ? true : undefined}
          aria-describedby={described}
          className={`${CONTROL} w-28`}
        />
        <select aria-label={t('unit', { label })} value={unit} onChange={(e) => setUnit(e.target.value as Unit)} className={CONTROL}>
          {units.map((u) => (
            <option key={u} value={u}>
              {t(`units.${u}`)}
            </option>
          ))}
        </select>
      </div>
      <input type="hidden" name={name} value={minutes} />
      {errors?.length ? (
        <p id={`${id}-error`} className="mt-1 text-sm text-red-700">
          {errors.join(' ')}
        </p>
      ) : null}
    </div>
  );
}

/** Reminders as a list of "1 day before", "2 hours before"; posted as minutes joined by commas under `name`. */
export function ReminderList({ name, defaultMinutes, max = 5, errors }: { name: string; defaultMinutes: number[]; max?: number; errors?: string[] }) {
  const id = useId();
  const t = useTranslations('settings.duration');
  const [rows, setRows] = useState(() =>
    defaultMinutes.map((m, i) => {
      const unit = bestUnit(m, ['minutes', 'hours', 'days']);
      return { key: i, amount: String(m / UNITS[unit]), unit };
    }),
  );
  const [next, setNext] = useState(defaultMinutes.length);
  const value = rows
    .filter((r) => r.amount.trim() !== '')
    .map((r) => (Number.isNaN(Number(r.amount)) ? r.amount : String(Math.round(Number(r.amount) * UNITS[r.unit]))))
    .join(', ');
  return (
    <fieldset aria-describedby={errors?.length ? `${id}-error` : undefined}>
      <legend className="block text-sm font-medium text-slate-800">{t('reminders')}</legend>
      <p className="mt-0.5 text-xs text-slate-600">{t('remindersHint', { max })}</p>
      <ul className="mt-1 space-y-2">
        {rows.map((r, i) => (
          <li key={r.key} className="flex flex-wrap items-center gap-2">
            <input
              type="number"
              inputMode="decimal"
              min={0}
              step="any"
              aria-label={t('reminderAmount', { n: i + 1 })}
              value={r.amount}
              onChange={(e) => setRows((all) => all.map((x) => (x.key === r.key ? { ...x, amount: e.target.value } : x)))}
              className={`${CONTROL} w-24`}
            />
            <select
              aria-label={t('reminderUnit', { n: i + 1 })}
              value={r.unit}
              onChange={(e) => setRows((all) => all.map((x) => (x.key === r.key ? { ...x, unit: e.target.value as Unit } : x)))}
              className={CONTROL}
            >
              {(['minutes', 'hours', 'days'] as const).map((u) => (
                <option key={u} value={u}>
                  {t(`units.${u}`)}
                </option>
              ))}
            </select>
            <span className="text-sm">{t('before')}</span>
            <button type="button" onClick={() => setRows((all) => all.filter((x) => x.key !== r.key))} className="rounded px-2 py-1 text-sm text-red-800 underline">
              {t('remove')}
              <span className="sr-only"> {t('removeReminder', { n: i + 1 })}</span>
            </button>
          </li>
        ))}
      </ul>
      {rows.length < max && (
        <button
          type="button"
          onClick={() => {
            setRows((all) => [...all, { key: next, amount: '1', unit: 'hours' }]);
            setNext((n) => n + 1);
          }}
          className="mt-2 rounded border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100"
        >
          {t('add')}
        </button>
      )}
      <input type="hidden" name={name} value={value} />
      {errors?.length ? (
        <p id={`${id}-error`} className="mt-1 text-sm text-red-700">
          {errors.join(' ')}
        </p>
      ) : null}
    </fieldset>
  );
}
