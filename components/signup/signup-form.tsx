'use client';

import { useTranslations } from '@/lib/i18n/use-translations';
import { useActionState, useEffect, useRef, useState } from 'react';
import type { ActionState } from '@/lib/actions';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';

type Action = (prev: ActionState | undefined, formData: FormData) => Promise<ActionState>;
interface SlugCheck {
  slug: string;
  available: boolean;
  message?: string;
}

/** A booking address from a practice's name: "Clínica Sol" → "clinica-sol". */
function slugify(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64)
    .replace(/-+$/g, '');
}

/**
 * The sign-up form: the practice (name, booking address checked as it is typed, specialty, time
 * zone guessed from the browser and shown to confirm) and the owner's account.
 */
export function SignUpForm({ action, checkSlug, zones }: { action: Action; checkSlug: (slug: string) => Promise<SlugCheck>; zones: string[] }) {
  const [state, formAction, pending] = useActionState(action, undefined);
  const t = useTranslations('auth.signup');
  const tForm = useTranslations('auth.form');
  const [slug, setSlug] = useState(state?.values?.slug ?? '');
  const [slugTouched, setSlugTouched] = useState(Boolean(state?.values?.slug));
  const [check, setCheck] = useState<SlugCheck | null>(null);
  const zoneBox = useRef<HTMLDivElement>(null);
  const seq = useRef(0);

  useEffect(() => {
    // The browser's own zone, filled in to confirm or change (the server cannot know it).
    const input = zoneBox.current?.querySelector('input');
    if (input && !input.value) input.value = Intl.DateTimeFormat().resolvedOptions().timeZone || 'Europe/Madrid';
  }, []);

  useEffect(() => {
    if (!slug) return;
    const n = ++seq.current;
    const timer = setTimeout(async () => {
      const result = await checkSlug(slug).catch(() => null);
      if (n === seq.current) setCheck(result);
    }, 300);
    return () => clearTimeout(timer);
  }, [slug, checkSlug]);

  if (state?.ok) {
    return (
      <div role="status" className="space-y-3 rounded-lg border border-green-300 bg-green-50 p-4 text-green-950">
        <h2 className="text-lg font-semibold">{t('checkMail')}</h2>
        <p>{state.message}</p>
        <p className="text-sm">{t('goesOnline')}</p>
      </div>
    );
  }
  const err = (name: string) => state?.fieldErrors?.[name];
  const slugErrors = err('slug') ?? (check && !check.available && check.slug === slug.trim().toLowerCase() && check.message ? [check.message] : undefined);
  return (
    <form action={formAction} className="space-y-6" noValidate>
      {state?.error && (
        <p role="alert" className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800">
          {state.error}
        </p>
      )}
      <fieldset className="space-y-4 rounded-lg border border-slate-200 bg-white p-4">
        <legend className="px-1 font-semibold">{t('practice')}</legend>
        <Field
          label={t('practiceName')}
          name="practiceName"
          required
          autoComplete="organization"
          defaultValue={state?.values?.practiceName}
          errors={err('practiceName')}
          onChange={(e) => {
            if (!slugTouched) setSlug(slugify(e.target.value));
          }}
        />
        <div>
          <Field
            label={t('slug')}
            name="slug"
            required
            autoCapitalize="none"
            spellCheck={false}
            hint={t('slugHint')}
            value={slug}
            onChange={(e) => {
              setSlugTouched(true);
              setSlug(e.target.value);
            }}
            errors={slugErrors}
          />
          <p aria-live="polite" className="mt-1 text-sm text-green-800" data-testid="slug-check">
            {check?.available && check.slug === slug.trim().toLowerCase() ? t('slugFree', { slug: check.slug }) : ''}
          </p>
        </div>
        <Field label={t('specialty')} name="specialty" hint={t('specialtyHint')} defaultValue={state?.values?.specialty} errors={err('specialty')} />
        <div ref={zoneBox}>
          <Field
            label={t('timeZone')}
            name="timeZone"
            required
            list="time-zones"
            hint={t('timeZoneHint')}
            defaultValue={state?.values?.timeZone}
            errors={err('timeZone')}
          />
        </div>
        <datalist id="time-zones">
          {zones.map((z) => (
            <option key={z} value={z} />
          ))}
        </datalist>
      </fieldset>
      <fieldset className="space-y-4 rounded-lg border border-slate-200 bg-white p-4">
        <legend className="px-1 font-semibold">{t('you')}</legend>
        <Field label={tForm('yourName')} name="name" required autoComplete="name" defaultValue={state?.values?.name} errors={err('name')} />
        <Field label={tForm('email')} name="email" type="email" required autoComplete="email" defaultValue={state?.values?.email} errors={err('email')} />
        <Field label={tForm('password')} name="password" type="password" required autoComplete="new-password" hint={tForm('passwordHint')} errors={err('password')} />
        <label className="flex items-start gap-2">
          <input type="checkbox" name="isDoctor" defaultChecked={state?.values?.isDoctor === 'on'} className="mt-1 h-4 w-4" />
          <span>
            {t('isDoctor')}
            <span className="block text-sm text-slate-600">{t('isDoctorHint')}</span>
          </span>
        </label>
      </fieldset>
      <Button type="submit" disabled={pending} className="w-full">
        {pending ? t('pending') : t('submit')}
      </Button>
    </form>
  );
}
