'use client';

import { useActionState } from 'react';
import { openPatientLinkAction } from '@/app/(public)/my/actions';
import { Button } from '@/components/ui/button';

/** Opens the single-use link with a button (mail scanners that fetch links cannot spend it). */
export function OpenLinkForm({ token, words }: { token: string; words?: { opening: string; show: string } }) {
  const [state, action, pending] = useActionState(openPatientLinkAction, undefined);
  return (
    <form action={action} className="space-y-3">
      <input type="hidden" name="token" value={token} />
      <div role="alert" aria-atomic="true">
        {state?.error && <p className="rounded-md border border-red-400 bg-red-50 p-3 text-sm text-red-900">{state.error}</p>}
      </div>
      <Button type="submit" disabled={pending} className="min-h-11 w-full sm:w-auto">
        {pending ? (words?.opening ?? 'Opening…') : (words?.show ?? 'Show my appointments')}
      </Button>
    </form>
  );
}
