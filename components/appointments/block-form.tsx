'use client';

import { useTranslations } from '@/lib/i18n/use-translations';
import { useActionState } from 'react';
import { useFormStatus } from 'react-dom';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import type { ActionState } from '@/lib/actions';

type FormAction = (prev: ActionState | undefined, formData: FormData) => Promise<ActionState>;

/** Blocks the clicked free time instead of booking it: how long, and why. */
export function BlockForm({ action, profileId, from, label, ends }: { action: FormAction; profileId: string; from: string; label: string; ends: { value: string; label: string }[] }) {
  const [state, dispatch] = useActionState<ActionState | undefined, FormData>(action, undefined);
  const t = useTranslations('appointments.book.block');
  return (
    <form action={dispatch} className="space-y-3 rounded-lg border border-slate-200 bg-white p-4" data-testid="block-form">
      <h2 className="text-lg font-semibold">{t('title')}</h2>
      <div aria-live="polite">
        {state?.ok && (
          <p role="status" className="rounded-md border border-green-300 bg-green-50 p-2 text-sm text-green-900">
            {state.message}
          </p>
        )}
        {state?.error && (
          <p role="alert" className="rounded-md border border-red-300 bg-red-50 p-2 text-sm text-red-800">
            {state.error}
          </p>
        )}
      </div>
      <input type="hidden" name="profileId" value={profileId} />
      <input type="hidden" name="from" value={from} />
      <div className="flex flex-wrap items-end gap-3">
        <div>
          <label htmlFor="block-to" className="block text-sm font-medium text-slate-800">
            {t('until', { time: label })}
          </label>
          <select id="block-to" name="to" className="mt-1 block rounded-md border border-slate-400 bg-white px-3 py-2 text-base">
            {ends.map((e) => (
              <option key={e.value} value={e.value}>
                {e.label}
              </option>
            ))}
          </select>
        </div>
        <Field label={t('reason')} name="reason" className="min-w-48 flex-1" errors={state?.fieldErrors?.reason} />
      </div>
      <Submit />
    </form>
  );
}

function Submit() {
  const { pending } = useFormStatus();
  const t = useTranslations('appointments.book.block');
  return (
    <Button type="submit" variant="secondary" disabled={pending}>
      {pending ? t('blocking') : t('submit')}
    </Button>
  );
}
