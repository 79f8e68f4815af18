'use client';

import { blockTimeAction } from '@/app/dashboard/availability/actions';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { errorsFor, FormAlert, useActionForm } from './form-kit';

/** Blocks the free slots of a range of local time; held and reserved slots are reported, not touched. */
export function BlockForm({ profileId, timeZone }: { profileId: string; timeZone: string }) {
  const { state, pending, formProps } = useActionForm(blockTimeAction, { resetOnSuccess: true });
  return (
    <form {...formProps} className="space-y-4">
      <input type="hidden" name="profileId" value={profileId} />
      <FormAlert state={state} />
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label={`From (${timeZone})`} name="from" type="datetime-local" step={300} required errors={errorsFor(state, 'from')} />
        <Field label={`Until (${timeZone})`} name="to" type="datetime-local" step={300} required errors={errorsFor(state, 'to')} />
      </div>
      <Field label="Reason" name="reason" required maxLength={200} hint="For the practice; patients do not see it." errors={errorsFor(state, 'reason')} />
      <Button type="submit" disabled={pending}>
        {pending ? 'Blocking…' : 'Block this time'}
      </Button>
    </form>
  );
}
