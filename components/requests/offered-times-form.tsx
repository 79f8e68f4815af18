'use client';

import Link from 'next/link';
import { useActionState } from 'react';
import { acceptProposalAction } from '@/app/(public)/requests/[token]/actions';

/**
 * On the patient's status page: the times the practice offered instead, each taken with one tap
 * (the appointment is confirmed at once), and the way to decline (cancel the request).
 */
export function OfferedTimes({ token, times, deadline }: { token: string; times: { id: string; label: string }[]; deadline: string }) {
  const [state, action, pending] = useActionState(acceptProposalAction, undefined);
  return (
    <section aria-labelledby="offered-heading" className="mt-6 rounded-lg border-2 border-brand-700 bg-white p-4" data-testid="offered-times">
      <h2 id="offered-heading" className="text-xl font-semibold">
        Choose another time
      </h2>
      <p className="mt-1 text-slate-700">
        The practice cannot see you at the time you asked for, but holds these for you until <strong>{deadline}</strong>. Tap one to confirm it.
      </p>
      <div role="alert" aria-atomic="true">
        {state?.error && <p className="mt-3 rounded-md border border-red-400 bg-red-50 p-3 text-sm text-red-900">{state.error}</p>}
      </div>
      <ul className="mt-3 space-y-2">
        {times.map((t) => (
          <li key={t.id}>
            <form action={action}>
              <input type="hidden" name="token" value={token} />
              <input type="hidden" name="proposalId" value={t.id} />
              <button
                type="submit"
                disabled={pending}
                className="flex min-h-11 w-full items-center justify-between rounded-md bg-brand-700 px-4 py-2 text-left font-semibold text-white hover:bg-brand-800 disabled:bg-slate-400"
              >
                <span>{t.label}</span>
                <span aria-hidden="true" className="hidden shrink-0 pl-3 sm:inline">
                  Take this time →
                </span>
              </button>
            </form>
          </li>
        ))}
      </ul>
      <p className="mt-3 text-sm">
        None of these suit you?{' '}
        <Link href={`/requests/${token}?cancel=1#cancel`} scroll={false} className="font-semibold text-brand-700 underline">
          Decline and cancel the request
        </Link>
        .
      </p>
    </section>
  );
}
