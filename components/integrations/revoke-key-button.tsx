'use client';

import { useTranslations } from '@/lib/i18n/use-translations';
import { useEffect, useRef, useState } from 'react';
import { revokeIntegrationKeyAction } from '@/app/dashboard/integrations/actions';
import { useActionForm } from '@/components/availability/form-kit';
import { Button } from '@/components/ui/button';

type Step = 'idle' | 'asking' | 'done';

/**
 * Revoke, with a confirm step on the page itself (not a browser dialog): the first button asks,
 * the second revokes, Escape or "Keep it" steps back. Focus follows each step, and after the
 * revoke it rests on the outcome (the row stays where it is, now marked revoked).
 */
export function RevokeKeyButton({ profileId, keyId, name, prefix, revoked }: { profileId: string; keyId: string; name: string; prefix: string; revoked: boolean }) {
  const { state, pending, formProps } = useActionForm(revokeIntegrationKeyAction);
  const [asking, setAsking] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  const step: Step = state?.ok ? 'done' : asking ? 'asking' : 'idle';
  const shownStep = useRef(step);
  const t = useTranslations('dashboard.integrations');

  useEffect(() => {
    // Focus moves only when the step changes (the person acted), never on the first render.
    if (shownStep.current === step) return;
    shownStep.current = step;
    box.current?.querySelector<HTMLElement>(`[data-focus="${step}"]`)?.focus();
  }, [step]);

  if (revoked && step !== 'done') return null;
  return (
    <div ref={box} className="w-full sm:w-auto">
      {step === 'done' && (
        <p data-focus="done" tabIndex={-1} role="status" className="max-w-sm text-sm text-slate-800">
          {state?.message}
        </p>
      )}
      {step === 'idle' && (
        <div className="flex flex-col items-start gap-1 sm:items-end">
          <Button data-focus="idle" type="button" variant="secondary" className="px-3 py-1 text-sm" onClick={() => setAsking(true)}>
            {t('revoke')}
            <span className="sr-only"> {name}</span>
          </Button>
          {state?.error && (
            <p role="alert" className="max-w-xs text-sm text-red-700">
              {state.error}
            </p>
          )}
        </div>
      )}
      {step === 'asking' && (
        <form
          {...formProps}
          onKeyDown={(e) => {
            if (e.key === 'Escape' && !pending) setAsking(false);
          }}
          className="max-w-sm space-y-2 rounded-md border border-red-300 bg-red-50 p-3"
          aria-label={t('revokeName', { name })}
        >
          <input type="hidden" name="profileId" value={profileId} />
          <input type="hidden" name="keyId" value={keyId} />
          <p className="text-sm text-red-900">
            {t('revokeAsk', { name, prefix })}
          </p>
          <div className="flex flex-wrap gap-2">
            <Button data-focus="asking" type="submit" variant="danger" disabled={pending} className="px-3 py-1 text-sm">
              {pending ? t('revoking') : t('revokeKey')}
            </Button>
            <Button type="button" variant="secondary" disabled={pending} className="px-3 py-1 text-sm" onClick={() => setAsking(false)}>
              {t('keep')}
            </Button>
          </div>
          {state?.error && (
            <p role="alert" className="text-sm text-red-700">
              {state.error}
            </p>
          )}
        </form>
      )}
    </div>
  );
}
