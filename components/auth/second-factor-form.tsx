'use client';

import { useTranslations } from '@/lib/i18n/use-translations';
import { useActionState } from 'react';
import { verifySecondFactorAction } from '@/app/(auth)/two-factor/actions';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';

export function SecondFactorForm({ next }: { next: string }) {
  const [state, action, pending] = useActionState(verifySecondFactorAction, undefined);
  const t = useTranslations('auth.twoFactor');
  const tForm = useTranslations('auth.form');
  return (
    <form action={action} className="mt-8 space-y-5" noValidate>
      <input type="hidden" name="next" value={next} />
      {state?.error && (
        <p role="alert" className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800">
          {state.error}
        </p>
      )}
      <Field label={t('code')} name="code" autoComplete="one-time-code" inputMode="text" required autoFocus errors={state?.fieldErrors?.code} />
      <Button type="submit" disabled={pending} className="w-full">
        {pending ? t('checking') : tForm('continue')}
      </Button>
    </form>
  );
}
