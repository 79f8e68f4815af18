'use client';

import Link from 'next/link';
import { useActionState, useEffect, useRef, useState } from 'react';
import { acceptCodeAction, resendCodeAction } from '@/app/(public)/book/[slug]/verify/[id]/actions';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { bookingHref } from './hrefs';
import { TimesIn, zoneLabel } from './zone-name';
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
}

const clock = (timeZone: string) => new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZone });

/**
 * The code step: the code (with the nearest free times when the chosen one was taken meanwhile)
 * and "send a new code". Plain forms on server actions, so it works without JavaScript too: the
 * resend button is then always there, with the time it opens, and the server refuses earlier.
 */
export function CodeStep({ id, slug, serviceId, sentTo, channel, timeZone, resendAt, alternatives: offered }: CodeStepProps) {
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
  const where = channel === 'whatsapp' ? `the WhatsApp message we sent to ${sentTo}` : `the e-mail we sent to ${sentTo}`;

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
            <legend className="px-1 font-semibold">Nearest free times</legend>
            <TimesIn timeZone={timeZone} />
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
                There are no free times close to that one.{' '}
                <Link href={bookingHref(slug, { service: serviceId }, 'day')} className="font-semibold text-brand-700 underline">
                  Choose another day
                </Link>
                .
              </p>
            )}
          </fieldset>
        )}

        <Field
          label="6-digit code"
          name="code"
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={12}
          required
          // A wrong code is cleared for the next try; any other refusal keeps it.
          key={wrongCode ? `wrong-${state?.error}` : 'code'}
          defaultValue={wrongCode ? '' : values.code}
          hint={`From ${where}. It works for 10 minutes.`}
          errors={state?.fieldErrors?.code}
          className="max-w-xs"
          spellCheck={false}
        />
        <Button type="submit" disabled={accepting} className="min-h-11 w-full text-lg">
          {accepting ? 'Checking the code…' : 'Confirm and send request'}
        </Button>
      </form>

      <form action={resend} className="space-y-3 rounded-lg border border-slate-300 bg-white p-4">
        <input type="hidden" name="id" value={id} />
        <input type="hidden" name="slug" value={slug} />
        <p className="font-semibold">No code?</p>
        <p id="resend-hint" className="text-sm text-slate-700">
          {channel === 'email' ? 'It can take a minute; check your spam folder too. ' : ''}
          {wait === null
            ? `You can ask for a new code from ${clock(timeZone).format(opensAt)} (${zoneLabel(timeZone)}).`
            : wait > 0
              ? `You can ask for a new code in ${wait} s.`
              : 'You can ask for a new code now.'}
        </p>
        <div role="status" aria-atomic="true">
          {resent?.message && <p className="rounded-md border border-emerald-300 bg-emerald-50 p-3 text-sm text-emerald-900">{resent.message}</p>}
          {resent?.error && <p className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-900">{resent.error}</p>}
        </div>
        <Button type="submit" variant="secondary" disabled={resending || (wait !== null && wait > 0)} aria-describedby="resend-hint" className="min-h-11">
          {resending ? 'Sending…' : 'Send a new code'}
        </Button>
      </form>
    </div>
  );
}
