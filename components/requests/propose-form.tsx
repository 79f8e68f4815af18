'use client';

import Link from 'next/link';
import { useTranslations } from '@/lib/i18n/use-translations';
import { useActionState, useState } from 'react';
import { useFormStatus } from 'react-dom';
import { Button } from '@/components/ui/button';
import type { ActionState } from '@/lib/actions';

type FormAction = (prev: ActionState | undefined, formData: FormData) => Promise<ActionState>;

/** Checkboxes of free times by day; at most `max` can be ticked. */
export function ProposeForm({
  action,
  profileId,
  requestId,
  max,
  days,
}: {
  action: FormAction;
  profileId: string;
  requestId: string;
  max: number;
  days: { date: string; label: string; times: { value: string; label: string }[] }[];
}) {
  const [state, dispatch] = useActionState<ActionState | undefined, FormData>(action, undefined);
  const [chosen, setChosen] = useState<string[]>([]);
  const t = useTranslations('requests.propose');
  if (state?.ok) {
    return (
      <div role="status" className="space-y-2 rounded-md border border-green-300 bg-green-50 p-4 text-green-900" data-testid="proposal-sent">
        <p>{state.message}</p>
        <Link href="/dashboard/requests" className="font-semibold underline">
          {t('back')}
        </Link>
      </div>
    );
  }
  const full = chosen.length >= max;
  return (
    <form action={dispatch} className="space-y-4" data-testid="propose-form">
      {state?.error && (
        <p role="alert" className="rounded-md border border-red-300 bg-red-50 p-2 text-sm text-red-800">
          {state.error}
          {state.fieldErrors?.startsAt && ` ${state.fieldErrors.startsAt.join(' ')}`}
        </p>
      )}
      <input type="hidden" name="profileId" value={profileId} />
      <input type="hidden" name="requestId" value={requestId} />
      <div className="grid gap-3 md:grid-cols-3">
        {days.map((d) => (
          <fieldset key={d.date} className="rounded-lg border border-slate-200 bg-white p-3">
            <legend className="px-1 font-semibold">{d.label}</legend>
            {d.times.length === 0 ? (
              <p className="text-sm text-slate-600">{t('noFree')}</p>
            ) : (
              <ul className="grid grid-cols-3 gap-1">
                {d.times.map((time) => {
                  const on = chosen.includes(time.value);
                  return (
                    <li key={time.value}>
                      <label className={`flex min-h-11 items-center gap-1 rounded border px-2 text-sm ${on ? 'border-brand-700 bg-brand-50' : 'border-slate-300'}`}>
                        <input
                          type="checkbox"
                          name="startsAt[]"
                          value={time.value}
                          checked={on}
                          disabled={!on && full}
                          onChange={(e) => setChosen((c) => (e.target.checked ? [...c, time.value] : c.filter((x) => x !== time.value)))}
                        />
                        {time.label}
                      </label>
                    </li>
                  );
                })}
              </ul>
            )}
          </fieldset>
        ))}
      </div>
      <p className="text-sm text-slate-700" aria-live="polite">
        {t('chosen', { count: chosen.length, max })}
      </p>
      <Submit disabled={chosen.length === 0} count={chosen.length} />
    </form>
  );
}

function Submit({ disabled, count }: { disabled: boolean; count: number }) {
  const { pending } = useFormStatus();
  const t = useTranslations('requests.propose');
  return (
    <Button type="submit" disabled={disabled || pending}>
      {pending ? t('offering') : t('offer', { count })}
    </Button>
  );
}
