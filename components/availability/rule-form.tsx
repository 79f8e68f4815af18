'use client';

import { useTranslations } from '@/lib/i18n/use-translations';
import { useId } from 'react';
import { createRulesAction, updateRuleAction } from '@/app/dashboard/availability/actions';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import type { Rule } from '@/lib/availability/rules';
import { Choice, ChoiceGroup, errorsFor, FormAlert, useActionForm } from './form-kit';

/** The rule being edited: local 'HH:MM' times; null services mean every service. */
export type RuleFormValues = Omit<Rule, 'isActive'>;

/**
 * Adds one interval on one or more weekdays, or edits one rule when `rule` is given. Times are the
 * practice's local wall-clock times.
 */
export function RuleForm({
  profileId,
  zone,
  weekdays,
  services,
  rule,
}: {
  profileId: string;
  /** The practice's zone named for people ("Madrid time"). */
  zone: string;
  /** Monday to Sunday in the page's language. */
  weekdays: string[];
  services: { id: string; name: string; isActive: boolean }[];
  rule?: RuleFormValues;
}) {
  const { state, pending, formProps } = useActionForm(rule ? updateRuleAction : createRulesAction, { resetOnSuccess: !rule });
  const weekdayId = useId();
  const weekdayErrors = errorsFor(state, rule ? 'weekday' : 'weekdays');
  const t = useTranslations('dashboard.availability');
  return (
    <form {...formProps} className="space-y-4">
      <input type="hidden" name="profileId" value={profileId} />
      {rule && <input type="hidden" name="ruleId" value={rule.id} />}
      <FormAlert state={state} />
      {rule ? (
        <div>
          <label htmlFor={weekdayId} className="block text-sm font-medium text-slate-800">
            {t('weekday')}
          </label>
          <select
            id={weekdayId}
            name="weekday"
            defaultValue={rule.weekday}
            aria-invalid={weekdayErrors ? true : undefined}
            className="mt-1 block rounded-md border border-slate-400 bg-white px-3 py-2 text-base shadow-sm"
          >
            {weekdays.map((name, i) => (
              <option key={name} value={i + 1}>
                {name}
              </option>
            ))}
          </select>
          {weekdayErrors && <p className="mt-1 text-sm text-red-700">{weekdayErrors.join(' ')}</p>}
        </div>
      ) : (
        <ChoiceGroup legend={t('weekdays')} hint={t('weekdaysHint')} errors={weekdayErrors}>
          {weekdays.map((name, i) => (
            <Choice key={name} name="weekdays[]" value={String(i + 1)} label={name} />
          ))}
        </ChoiceGroup>
      )}
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          label={t('from', { zone })}
          name="startTime"
          type="time"
          step={300}
          required
          defaultValue={rule?.startTime ?? '09:00'}
          errors={errorsFor(state, 'startTime')}
        />
        <Field
          label={t('until', { zone })}
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
          legend={t('onlyFor')}
          hint={t('onlyForHint')}
          errors={errorsFor(state, 'serviceIds')}
        >
          {services.map((s) => (
            <Choice
              key={s.id}
              name="serviceIds[]"
              value={s.id}
              label={s.isActive ? s.name : t('inactive', { name: s.name })}
              defaultChecked={rule?.serviceIds?.includes(s.id)}
            />
          ))}
        </ChoiceGroup>
      )}
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          label={t('firstDay')}
          name="validFrom"
          type="date"
          hint={t('firstDayHint')}
          defaultValue={rule?.validFrom ?? ''}
          errors={errorsFor(state, 'validFrom')}
        />
        <Field
          label={t('lastDay')}
          name="validUntil"
          type="date"
          hint={t('lastDayHint')}
          defaultValue={rule?.validUntil ?? ''}
          errors={errorsFor(state, 'validUntil')}
        />
      </div>
      <Button type="submit" disabled={pending}>
        {pending ? t('saving') : rule ? t('save') : t('addHours')}
      </Button>
    </form>
  );
}
