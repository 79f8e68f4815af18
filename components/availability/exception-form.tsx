'use client';

import { useTranslations } from '@/lib/i18n/use-translations';
import { createExceptionAction } from '@/app/dashboard/availability/actions';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Choice, ChoiceGroup, errorsFor, FormAlert, useActionForm } from './form-kit';

/** Closes a date, or gives it other hours than its weekday's. */
export function ExceptionForm({ profileId, zone, today }: { profileId: string; zone: string; today: string }) {
  const { state, pending, formProps } = useActionForm(createExceptionAction, { resetOnSuccess: true });
  const t = useTranslations('dashboard.availability');
  return (
    <form {...formProps} className="space-y-4">
      <input type="hidden" name="profileId" value={profileId} />
      <FormAlert state={state} />
      <Field label={t('date')} name="date" type="date" min={today} required errors={errorsFor(state, 'date')} />
      <ChoiceGroup legend={t('onThatDate')} errors={errorsFor(state, 'kind')}>
        <Choice type="radio" name="kind" value="closed" label={t('closedAllDay')} defaultChecked />
        <Choice type="radio" name="kind" value="hours" label={t('otherHours')} />
      </ChoiceGroup>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          label={t('otherFrom', { zone })}
          name="startTime"
          type="time"
          step={300}
          hint={t('otherHint')}
          errors={errorsFor(state, 'startTime')}
        />
        <Field
          label={t('otherUntil', { zone })}
          name="endTime"
          type="time"
          step={300}
          hint={t('otherHint')}
          errors={errorsFor(state, 'endTime')}
        />
      </div>
      <Field label={t('reason')} name="reason" required maxLength={200} hint={t('reasonHint')} errors={errorsFor(state, 'reason')} />
      <Button type="submit" disabled={pending}>
        {pending ? t('saving') : t('saveException')}
      </Button>
    </form>
  );
}
