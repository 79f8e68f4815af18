'use client';

import { useTranslations } from '@/lib/i18n/use-translations';
import { blockTimeAction } from '@/app/dashboard/availability/actions';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { errorsFor, FormAlert, useActionForm } from './form-kit';

/** Blocks the free slots of a range of local time; held and reserved slots are reported, not touched. */
export function BlockForm({ profileId, zone }: { profileId: string; zone: string }) {
  const { state, pending, formProps } = useActionForm(blockTimeAction, { resetOnSuccess: true });
  const t = useTranslations('dashboard.availability');
  return (
    <form {...formProps} className="space-y-4">
      <input type="hidden" name="profileId" value={profileId} />
      <FormAlert state={state} />
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label={t('from', { zone })} name="from" type="datetime-local" step={300} required errors={errorsFor(state, 'from')} />
        <Field label={t('until', { zone })} name="to" type="datetime-local" step={300} required errors={errorsFor(state, 'to')} />
      </div>
      <Field label={t('reason')} name="reason" required maxLength={200} hint={t('reasonHint')} errors={errorsFor(state, 'reason')} />
      <Button type="submit" disabled={pending}>
        {pending ? t('blocking') : t('blockSubmit')}
      </Button>
    </form>
  );
}
