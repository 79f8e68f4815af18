'use client';

import { createExceptionAction } from '@/app/dashboard/availability/actions';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Choice, ChoiceGroup, errorsFor, FormAlert, useActionForm } from './form-kit';

/** Closes a date, or gives it other hours than its weekday's. */
export function ExceptionForm({ profileId, timeZone, today }: { profileId: string; timeZone: string; today: string }) {
  const { state, pending, formProps } = useActionForm(createExceptionAction, { resetOnSuccess: true });
  return (
    <form {...formProps} className="space-y-4">
      <input type="hidden" name="profileId" value={profileId} />
      <FormAlert state={state} />
      <Field label="Date" name="date" type="date" min={today} required errors={errorsFor(state, 'date')} />
      <ChoiceGroup legend="On that date" errors={errorsFor(state, 'kind')}>
        <Choice type="radio" name="kind" value="closed" label="Closed all day" defaultChecked />
        <Choice type="radio" name="kind" value="hours" label="Open only during other hours" />
      </ChoiceGroup>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          label={`Other hours from (${timeZone})`}
          name="startTime"
          type="time"
          step={300}
          hint="Only for other hours."
          errors={errorsFor(state, 'startTime')}
        />
        <Field
          label={`Other hours until (${timeZone})`}
          name="endTime"
          type="time"
          step={300}
          hint="Only for other hours."
          errors={errorsFor(state, 'endTime')}
        />
      </div>
      <Field label="Reason" name="reason" required maxLength={200} hint="For the practice; patients do not see it." errors={errorsFor(state, 'reason')} />
      <Button type="submit" disabled={pending}>
        {pending ? 'Saving…' : 'Save exception'}
      </Button>
    </form>
  );
}
