'use client';

import { useTranslations } from '@/lib/i18n/use-translations';
import { useActionState } from 'react';
import { disableTwoFactorAction } from '@/app/(auth)/two-factor/actions';
import { Field } from '@/components/ui/field';

export function DisableTwoFactorForm() {
  const [state, action, pending] = useActionState(disableTwoFactorAction, undefined);
  const t = useTranslations('dashboard.disableTwoFactor');
  return (
    <form action={action} className="mt-3 flex flex-wrap items-end gap-3" noValidate>
      {state?.error && (
        <p role="alert" className="w-full rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800">
          {state.error}
        </p>
      )}
      <Field label={t('code')} name="code" autoComplete="one-time-code" errors={state?.fieldErrors?.code} />
      <button type="submit" disabled={pending} className="rounded border border-slate-300 px-3 py-2 text-sm hover:bg-slate-100">
        {t('submit')}
      </button>
    </form>
  );
}
