'use client';

import { useId } from 'react';
import { createRulesAction, updateRuleAction } from '@/app/dashboard/availability/actions';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import type { Rule } from '@/lib/availability/rules';
import { WEEKDAY_NAMES } from '@/lib/availability/time';
import { Choice, ChoiceGroup, errorsFor, FormAlert, useActionForm } from './form-kit';

/** The rule being edited: local 'HH:MM' times; null services mean every service. */
export type RuleFormValues = Omit<Rule, 'isActive'>;

/**
 * Adds one interval on one or more weekdays, or edits one rule when `rule` is given. Times are the
 * practice's local wall-clock times.
 */
export function RuleForm({
  profileId,
  timeZone,
  services,
  rule,
}: {
  profileId: string;
  timeZone: string;
  services: { id: string; name: string; isActive: boolean }[];
  rule?: RuleFormValues;
}) {
  const { state, pending, formProps } = useActionForm(rule ? updateRuleAction : createRulesAction, { resetOnSuccess: !rule });
  const weekdayId = useId();
  const weekdayErrors = errorsFor(state, rule ? 'weekday' : 'weekdays');
  return (
    <form {...formProps} className="space-y-4">
      <input type="hidden" name="profileId" value={profileId} />
      {rule && <input type="hidden" name="ruleId" value={rule.id} />}
      <FormAlert state={state} />
      {rule ? (
        <div>
          <label htmlFor={weekdayId} className="block text-sm font-medium text-slate-800">
            Weekday
          </label>
          <select
            id={weekdayId}
            name="weekday"
            defaultValue={rule.weekday}
            aria-invalid={weekdayErrors ? true : undefined}
            className="mt-1 block rounded-md border border-slate-400 bg-white px-3 py-2 text-base shadow-sm"
          >
            {WEEKDAY_NAMES.map((name, i) => (
              <option key={name} value={i + 1}>
                {name}
              </option>
            ))}
          </select>
          {weekdayErrors && <p className="mt-1 text-sm text-red-700">{weekdayErrors.join(' ')}</p>}
        </div>
      ) : (
        <ChoiceGroup legend="Weekdays" hint="The same hours on each day you tick." errors={weekdayErrors}>
          {WEEKDAY_NAMES.map((name, i) => (
            <Choice key={name} name="weekdays[]" value={String(i + 1)} label={name} />
          ))}
        </ChoiceGroup>
      )}
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          label={`From (${timeZone})`}
          name="startTime"
          type="time"
          step={300}
          required
          defaultValue={rule?.startTime ?? '09:00'}
          errors={errorsFor(state, 'startTime')}
        />
        <Field
          label={`Until (${timeZone})`}
          name="endTime"
          type="time"
          step={300}
          required
          defaultValue={rule?.endTime ?? '13:00'}
          errors={errorsFor(state, 'endTime')}
        />
      </div>
      {services.length > 0 && (
        <ChoiceGroup
          legend="Only for these services (optional)"
          hint="Leave all unticked to allow every service in these hours."
          errors={errorsFor(state, 'serviceIds')}
        >
          {services.map((s) => (
            <Choice
              key={s.id}
              name="serviceIds[]"
              value={s.id}
              label={s.isActive ? s.name : `${s.name} (inactive)`}
              defaultChecked={rule?.serviceIds?.includes(s.id)}
            />
          ))}
        </ChoiceGroup>
      )}
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          label="First day (optional)"
          name="validFrom"
          type="date"
          hint="Blank: from now on."
          defaultValue={rule?.validFrom ?? ''}
          errors={errorsFor(state, 'validFrom')}
        />
        <Field
          label="Last day (optional)"
          name="validUntil"
          type="date"
          hint="Blank: no end."
          defaultValue={rule?.validUntil ?? ''}
          errors={errorsFor(state, 'validUntil')}
        />
      </div>
      <Button type="submit" disabled={pending}>
        {pending ? 'Saving…' : rule ? 'Save changes' : 'Add hours'}
      </Button>
    </form>
  );
}
