'use client';

import Link from 'next/link';
import { useTranslations } from '@/lib/i18n/use-translations';
import { useActionState } from 'react';
import { acceptProposalAction } from '@/app/(public)/requests/[token]/actions';

/** The offered times' forms (words from requests.offered; see offered-times.tsx). */
export function OfferedTimesForm({ token, times, deadline }: { token: string; times: { id: string; label: string }[]; deadline: string }) {
  const [state, action, pending] = useActionState(acceptProposalAction, undefined);
  const t = useTranslations('requests.offered');
  return (
    <section aria-labelledby="offered-heading" className="mt-6 rounded-lg border-2 border-brand-700 bg-white p-4" data-testid="offered-times">
      <h2 id="offered-heading" className="text-xl font-semibold">
        {t('heading')}
      </h2>
      <p className="mt-1 text-slate-700">
        {t.rich('intro', { deadline, strong: (chunks) => <strong>{chunks}</strong> })}
      </p>
      <div role="alert" aria-atomic="true">
        {state?.error && <p className="mt-3 rounded-md border border-red-400 bg-red-50 p-3 text-sm text-red-900">{state.error}</p>}
      </div>
      <ul className="mt-3 space-y-2">
        {times.map((time) => (
          <li key={time.id}>
            <form action={action}>
              <input type="hidden" name="token" value={token} />
              <input type="hidden" name="proposalId" value={time.id} />
              <button
                type="submit"
                disabled={pending}
                className="flex min-h-11 w-full items-center justify-between rounded-md bg-brand-700 px-4 py-2 text-left font-semibold text-white hover:bg-brand-800 disabled:bg-slate-400"
              >
                <span>{time.label}</span>
                <span aria-hidden="true" className="hidden shrink-0 pl-3 sm:inline">
                  {t('take')}
                </span>
              </button>
            </form>
          </li>
        ))}
      </ul>
      <p className="mt-3 text-sm">
        {t('noneSuit')}{' '}
        <Link href={`/requests/${token}?cancel=1#cancel`} scroll={false} className="font-semibold text-brand-700 underline">
          {t('decline')}
        </Link>
        .
      </p>
    </section>
  );
}
