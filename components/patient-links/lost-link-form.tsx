'use client';

import { useActionState, useId } from 'react';
import { askPatientLinkAction } from '@/app/(public)/book/[slug]/lost-link/actions';
import { Button } from '@/components/ui/button';

/** The one field of "Lost your link?": an e-mail or a phone, answered the same way whatever it is. */
export function LostLinkForm({ slug, words }: { slug: string; words?: { label: string; hint: string; sending: string; send: string } }) {
  const [state, action, pending] = useActionState(askPatientLinkAction, undefined);
  const id = useId();
  const errors = state?.fieldErrors?.contact;
  return (
    <form action={action} className="space-y-3" data-testid="lost-link-form">
      <input type="hidden" name="slug" value={slug} />
      <div aria-live="polite" aria-atomic="true">
        {state?.ok && (
          <p role="status" className="rounded-md border border-green-600 bg-green-50 p-3 text-green-950" data-testid="lost-link-sent">
            {state.message}
          </p>
        )}
        {state?.error && !errors && <p className="rounded-md border border-red-400 bg-red-50 p-3 text-sm text-red-900">{state.error}</p>}
      </div>
      <div>
        <label htmlFor={`${id}-contact`} className="block font-medium">
          {words?.label ?? 'Your e-mail address or phone number'}
        </label>
        <p id={`${id}-hint`} className="text-sm text-slate-700">
          {words?.hint ?? 'The one you confirmed with a code when you sent your request.'}
        </p>
        <input
          id={`${id}-contact`}
          name="contact"
          type="text"
          inputMode="email"
          autoComplete="email"
          required
          maxLength={254}
          defaultValue={state?.ok ? '' : state?.values?.contact}
          aria-invalid={errors ? true : undefined}
          aria-describedby={errors ? `${id}-hint ${id}-error` : `${id}-hint`}
          className="mt-1 block w-full rounded-md border border-slate-400 bg-white px-3 py-2 text-base aria-invalid:border-red-600"
        />
        {errors && (
          <p id={`${id}-error`} className="mt-1 text-sm text-red-700">
            {errors.join(' ')}
          </p>
        )}
      </div>
      <Button type="submit" disabled={pending} className="min-h-11 w-full sm:w-auto">
        {pending ? (words?.sending ?? 'Sending…') : (words?.send ?? 'Send me a link')}
      </Button>
    </form>
  );
}
