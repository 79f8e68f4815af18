'use client';

import Link from 'next/link';
import { useActionState, useEffect, useRef, useState } from 'react';
import { acceptCodeAction, resendCodeAction } from '@/app/(public)/book/[slug]/verify/[id]/actions';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { bookingHref } from './hrefs';
import { TimesIn } from './zone-name';
import type { AlternativeTime, CodeStepState } from './types';

interface CodeStepProps {
  id: string;
  slug: string;
  serviceId: string;
  /** Where the code went, masked (a•••@example.com). */
  sentTo: string;
  channel: 'email' | 'whatsapp';
  timeZone: string;
  /** ISO 8601: when "send a new code" opens. */
  resendAt: string;
  /** The nearest free times, when the chosen one is no longer free. */
  alternatives?: AlternativeTime[];
  /** The step's words in the page's language, made on the server (no catalog in the browser). */
  words: CodeStepWords;
}

export interface CodeStepWords {
  nearest: string;
  noneNear: string;
  otherDay: string;
  label: string;
  hint: string;
  checking: string;
  confirm: string;
  noCode: string;
  spam: string;
  /** "… from {time} (hora de Madrid)." with {time} for the client to fill. */
  from: string;
  /** "… in {seconds} s." */
  in: string;
  now: string;
  sending: string;
  resend: string;
  /** "All times are Madrid time." */
  times: string;
}

const clock = (timeZone: string) => new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZone });

/**
 * The code step: the code (with the nearest free times when the chosen one was taken meanwhile)
 * and "send a new code". Plain forms on server actions, so it works without JavaScript too: the
 * resend button is then always there, with the time it opens, and the server refuses earlier.
 */
export function CodeStep({ id, slug, serviceId, timeZone, resendAt, alternatives: offered, words: w }: CodeStepProps) {
  const [state, accept, accepting] = useActionState<CodeStepState | undefined, FormData>(acceptCodeAction, undefined);
  const [resent, resend, resending] = useActionState<CodeStepState | undefined, FormData>(resendCodeAction, undefined);
  const alternatives = state?.alternatives ?? offered;

  const alertRef = useRef<HTMLDivElement>(null);
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (!state?.error) return;
    if (state.fieldErrors?.code) formRef.current?.querySelector<HTMLInputElement>('input[name="code"]')?.focus();
    else alertRef.current?.focus();
  }, [state]);

  // With JavaScript the button waits for its time; without, the server says how long to wait.
  const opensAt = new Date(resent?.resendAt ?? resendAt).getTime();
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    const tick = () => setNow(Date.now());
    tick();
    const timer = setInterval(tick, 1000);
    return () => clearInterval(timer);
  }, []);
  const wait = now === null ? null : Math.max(0, Math.ceil((opensAt - now) / 1000));

  const values = state?.values ?? {};
  const wrongCode = Boolean(state?.fieldErrors?.code);

  return (
    <div className="space-y-8">
      <form ref={formRef} action={accept} noValidate className="space-y-5">
        <input type="hidden" name="id" value={id} />
        <input type="hidden" name="slug" value={slug} />
        <div ref={alertRef} tabIndex={-1} role="alert" aria-atomic="true" className="rounded-md outline-offset-2">
          {state?.error && (
            <div className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-900">
              <p className="font-semibold">{state.error}</p>
            </div>
          )}
        </div>

        {alternatives && (
          <fieldset className="rounded-lg border border-slate-300 bg-white p-4">
            <legend className="px-1 font-semibold">{w.nearest}</legend>
            <TimesIn timeZone={timeZone} text={w.times} />
            {alternatives.length ? (
              <div className="mt-3 grid gap-2 sm:grid-cols-2">
                {alternatives.map((alt, i) => (
                  <label
                    key={alt.startsAt}
                    className="flex min-h-11 cursor-pointer items-center gap-3 rounded-md border border-slate-300 px-3 py-2 has-checked:border-brand-700 has-checked:bg-brand-50"
                  >
                    <input
                      type="radio"
                      name="startsAt"
                      value={alt.startsAt}
                      required
                      defaultChecked={values.startsAt ? values.startsAt === alt.startsAt : i === 0}
                      className="size-5 accent-brand-700"
                    />
                    <span className="font-medium tabular-nums">{alt.label}</span>
                  </label>
                ))}
              </div>
            ) : (
              <p className="mt-2">
                {w.noneNear}{' '}
                <Link href={bookingHref(slug, { service: serviceId }, 'day')} className="font-semibold text-brand-700 underline">
                  {w.otherDay}
                </Link>
                .
              </p>
            )}
          </fieldset>
        )}

        <Field
          label={w.label}
          name="code"
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={12}
          required
          // A wrong code is cleared for the next try; any other refusal keeps it.
          key={wrongCode ? `wrong-${state?.error}` : 'code'}
          defaultValue={wrongCode ? '' : values.code}
          hint={w.hint}
          errors={state?.fieldErrors?.code}
          className="max-w-xs"
          spellCheck={false}
        />
        <Button type="submit" disabled={accepting} className="min-h-11 w-full text-lg">
          {accepting ? w.checking : w.confirm}
        </Button>
      </form>

      <form action={resend} className="space-y-3 rounded-lg border border-slate-300 bg-white p-4">
        <input type="hidden" name="id" value={id} />
        <input type="hidden" name="slug" value={slug} />
        <p className="font-semibold">{w.noCode}</p>
        <p id="resend-hint" className="text-sm text-slate-700">
          {w.spam}
          {wait === null ? w.from.replace('{time}', clock(timeZone).format(opensAt)) : wait > 0 ? w.in.replace('{seconds}', String(wait)) : w.now}
        </p>
        <div role="status" aria-atomic="true">
          {resent?.message && <p className="rounded-md border border-emerald-300 bg-emerald-50 p-3 text-sm text-emerald-900">{resent.message}</p>}
          {resent?.error && <p className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-900">{resent.error}</p>}
        </div>
        <Button type="submit" variant="secondary" disabled={resending || (wait !== null && wait > 0)} aria-describedby="resend-hint" className="min-h-11">
          {resending ? w.sending : w.resend}
        </Button>
      </form>
    </div>
  );
}
