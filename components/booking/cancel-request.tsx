'use client';

import Link from 'next/link';
import { useActionState, useEffect, useRef } from 'react';
import { cancelRequestAction } from '@/app/(public)/requests/[token]/actions';
import { Button } from '@/components/ui/button';

/**
 * The confirm step of a cancel (the page shows it at ?cancel=1, so it works without JavaScript):
 * the question, the button that cancels, and the way back.
 */
export function CancelConfirm({
  token,
  what,
  words,
}: {
  token: string;
  what: 'request' | 'appointment';
  /** The words in the page's language (made on the server); English without them. */
  words?: { question: string; yes: string; cancelling: string; keep: string };
}) {
  const [state, action, pending] = useActionState(cancelRequestAction, undefined);
  const questionRef = useRef<HTMLParagraphElement>(null);
  useEffect(() => questionRef.current?.focus(), []);

  return (
    <form action={action} className="rounded-lg border border-red-300 bg-red-50 p-4">
      <input type="hidden" name="token" value={token} />
      <div role="alert" aria-atomic="true">
        {state?.error && <p className="mb-3 rounded-md border border-red-400 bg-white p-3 text-sm text-red-900">{state.error}</p>}
      </div>
      <p ref={questionRef} tabIndex={-1} className="rounded font-semibold text-red-950">
        {words?.question ?? `Cancel this ${what}? The time will be offered to other patients, and this can’t be undone.`}
      </p>
      <div className="mt-4 flex flex-col gap-3 sm:flex-row">
        <Button type="submit" variant="danger" disabled={pending} className="min-h-11">
          {pending ? (words?.cancelling ?? 'Cancelling…') : (words?.yes ?? `Yes, cancel the ${what}`)}
        </Button>
        <Link
          href={`/requests/${token}`}
          scroll={false}
          className="inline-flex min-h-11 items-center justify-center rounded-md border border-slate-300 bg-white px-4 py-2 font-semibold text-slate-900 hover:bg-slate-100"
        >
          {words?.keep ?? 'No, keep it'}
        </Link>
      </div>
    </form>
  );
}
