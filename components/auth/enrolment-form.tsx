'use client';

import Link from 'next/link';
import { useTranslations } from '@/lib/i18n/use-translations';
import { useActionState } from 'react';
import { confirmEnrolmentAction } from '@/app/(auth)/two-factor/actions';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';

export function EnrolmentForm() {
  const [state, action, pending] = useActionState(confirmEnrolmentAction, undefined);
  const t = useTranslations('auth.enrol');
  const tTwoFactor = useTranslations('auth.twoFactor');
  if (state?.recoveryCodes) {
    return (
      <section className="mt-8 rounded-lg border border-green-300 bg-green-50 p-4" aria-labelledby="recovery-heading">
        <h2 id="recovery-heading" className="text-lg font-semibold text-green-900">
          {t('doneTitle')}
        </h2>
        <p className="mt-2 text-sm text-green-950">
          {t('doneText')}
        </p>
        <ul data-testid="recovery-codes" className="mt-3 grid grid-cols-2 gap-2 font-mono text-sm">
          {state.recoveryCodes.map((c) => (
            <li key={c}>{c}</li>
          ))}
        </ul>
        <Link href="/dashboard" className="mt-4 inline-block rounded bg-brand-700 px-4 py-2 text-sm font-medium text-white">
          {t('toDashboard')}
        </Link>
      </section>
    );
  }
  return (
    <form action={action} className="mt-6 space-y-4" noValidate>
      {state?.error && (
        <p role="alert" className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800">
          {state.error}
        </p>
      )}
      <Field label={t('codeLabel')} name="code" autoComplete="one-time-code" inputMode="numeric" required errors={state?.fieldErrors?.code} />
      <Button type="submit" disabled={pending}>
        {pending ? tTwoFactor('checking') : t('submit')}
      </Button>
    </form>
  );
}
