'use client';

import { useTranslations } from '@/lib/i18n/use-translations';
import { useEffect, useRef, useState } from 'react';
import { createIntegrationKeyAction } from '@/app/dashboard/integrations/actions';
import { FormAlert, useActionForm } from '@/components/availability/form-kit';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';

/**
 * Creates a key and shows it this once, with a copy button: the server keeps only its hash, so
 * once this panel is closed (or the page reloaded) nobody can see the key again.
 */
export function CreateKeyForm({ profileId }: { profileId: string }) {
  const { state, pending, formProps } = useActionForm(createIntegrationKeyAction, { resetOnSuccess: true });
  // The key stays on screen until the person says it is stored; a new key shows again.
  const [dismissed, setDismissed] = useState<string | null>(null);
  const key = state?.ok ? state.values?.key : undefined;
  const t = useTranslations('dashboard.integrations');

  if (key && key !== dismissed) {
    return (
      <NewKey
        name={state?.values?.name ?? ''}
        value={key}
        onDone={() => {
          setDismissed(key);
          // Back to the name field, so the keyboard does not start over at the top of the page.
          requestAnimationFrame(() => (formProps.ref.current?.elements.namedItem('name') as HTMLInputElement | null)?.focus());
        }}
      />
    );
  }
  return (
    <form {...formProps} className="space-y-4">
      <input type="hidden" name="profileId" value={profileId} />
      {!state?.ok && <FormAlert state={state} />}
      <Field
        label={t('name')}
        name="name"
        required
        maxLength={80}
        autoComplete="off"
        hint={t('nameHint')}
        defaultValue={state?.ok ? undefined : state?.values?.name}
        errors={state?.fieldErrors?.name}
      />
      <Button type="submit" disabled={pending}>
        {pending ? t('creating') : t('createSubmit')}
      </Button>
    </form>
  );
}

/** The new key, once: read-only, selectable, with a copy button and a plain warning. */
function NewKey({ name, value, onDone }: { name: string; value: string; onDone: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  const keyText = useRef<HTMLElement>(null);
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  const t = useTranslations('dashboard.integrations');
  useEffect(() => heading.current?.focus(), []);

  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setCopied('yes');
    } catch {
      // No clipboard permission (or not a secure context): select the text for Ctrl+C / long press.
      if (keyText.current) window.getSelection()?.selectAllChildren(keyText.current);
      setCopied('no');
    }
  }

  return (
    <div className="space-y-3 rounded-md border border-amber-300 bg-amber-50 p-4" data-testid="new-integration-key">
      <h3 ref={heading} tabIndex={-1} className="font-semibold text-slate-900">
        {t('keyFor', { name })}
      </h3>
      <p className="text-sm font-medium text-amber-950">{t('copyNow')}</p>
      <div className="flex flex-col gap-2 sm:flex-row sm:items-end">
        <div className="min-w-0 flex-1">
          <p className="text-sm font-medium text-slate-800">{t('key')}</p>
          <code
            ref={keyText}
            data-testid="new-integration-key-value"
            className="mt-1 block rounded-md border border-slate-400 bg-white px-3 py-2 font-mono text-sm break-all select-all"
          >
            {value}
          </code>
        </div>
        <Button type="button" onClick={copy}>
          {t('copy')}
        </Button>
      </div>
      <p role="status" className="min-h-5 text-sm text-slate-800">
        {copied === 'yes' ? t('copied') : copied === 'no' ? t('notCopied') : ''}
      </p>
      <Button type="button" variant="secondary" onClick={onDone}>
        {t('stored')}
      </Button>
    </div>
  );
}
