'use client';

import Link from 'next/link';
import { useTranslations } from '@/lib/i18n/use-translations';
import { useActionState, useEffect, useRef } from 'react';
import { moveRequestAction, withdrawMoveAction } from '@/app/(public)/requests/[token]/move/actions';
import { Button } from '@/components/ui/button';

/**
 * The last step of a move (issue 15): from which time to which, what happens next, and the button.
 * Works without JavaScript (a server action form); an error (the time was just taken) shows above.
 */
export function MoveConfirmForm({ token, startsAt, from, to, next, backHref }: { token: string; startsAt: string; from: string; to: string; next: string; backHref: string }) {
  const [state, action, pending] = useActionState(moveRequestAction, undefined);
  const t = useTranslations('requests.moveForms');
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);
  return (
    <form action={action} className="rounded-lg border border-brand-700 bg-white p-4" data-testid="move-confirm">
      <input type="hidden" name="token" value={token} />
      <input type="hidden" name="startsAt" value={startsAt} />
      <h2 ref={headingRef} tabIndex={-1} id="confirm-heading" className="text-xl font-semibold">
        {t('question')}
      </h2>
      <dl className="mt-3 grid gap-x-4 gap-y-1 sm:grid-cols-[auto_1fr]">
        <dt className="font-medium text-slate-700">{t('from')}</dt>
        <dd>
          <s>{from}</s>
        </dd>
        <dt className="font-medium text-slate-700">{t('to')}</dt>
        <dd className="font-semibold">{to}</dd>
      </dl>
      <p className="mt-3 text-slate-700">{next}</p>
      <div role="alert" aria-atomic="true">
        {state?.error && <p className="mt-3 rounded-md border border-red-400 bg-red-50 p-3 text-sm text-red-900">{state.error}</p>}
      </div>
      <div className="mt-4 flex flex-col gap-3 sm:flex-row">
        <Button type="submit" disabled={pending} className="min-h-11">
          {pending ? t('moving') : t('confirm')}
        </Button>
        <Link href={backHref} className="inline-flex min-h-11 items-center justify-center rounded-md border border-slate-300 bg-white px-4 py-2 font-semibold text-slate-900 hover:bg-slate-100">
          {t('other')}
        </Link>
      </div>
    </form>
  );
}

/** "Keep my current time": withdraws a move waiting for the practice. */
export function WithdrawMoveForm({ token }: { token: string }) {
  const [state, action, pending] = useActionState(withdrawMoveAction, undefined);
  const t = useTranslations('requests.moveForms');
  return (
    <form action={action} className="mt-3">
      <input type="hidden" name="token" value={token} />
      <div role="status" aria-atomic="true">
        {(state?.error ?? state?.message) && <p className="mb-2 text-sm">{state?.error ?? state?.message}</p>}
      </div>
      <Button type="submit" variant="secondary" disabled={pending} className="min-h-11">
        {pending ? t('withdrawing') : t('keepCurrent')}
      </Button>
    </form>
  );
}
