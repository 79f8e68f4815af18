'use client';

import { useTranslations } from '@/lib/i18n/use-translations';
import { useActionState } from 'react';
import { signInAction } from '@/app/(auth)/login/actions';
import { Field } from '@/components/ui/field';
import { Button } from '@/components/ui/button';

export function LoginForm({ next }: { next: string }) {
  const [state, action, pending] = useActionState(signInAction, undefined);
  const t = useTranslations('auth.login');
  const tForm = useTranslations('auth.form');
  return (
    <form action={action} className="mt-8 space-y-5" noValidate>
      <input type="hidden" name="next" value={next} />
      {state?.error && (
        <p role="alert" className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800">
          {state.error}
        </p>
      )}
      <Field
        label={tForm('email')}
        name="email"
        type="email"
        autoComplete="username"
        required
        defaultValue={state?.values?.email}
        errors={state?.fieldErrors?.email}
      />
      <Field label={tForm('password')} name="password" type="password" autoComplete="current-password" required errors={state?.fieldErrors?.password} />
      <Button type="submit" disabled={pending} className="w-full">
        {pending ? t('pending') : t('submit')}
      </Button>
    </form>
  );
}
