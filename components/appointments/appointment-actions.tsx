'use client';

import { useTranslations } from '@/lib/i18n/use-translations';
import { useActionState, useId, useState } from 'react';
import { useFormStatus } from 'react-dom';
import { Button } from '@/components/ui/button';
import type { ActionState } from '@/lib/actions';

type FormAction = (prev: ActionState | undefined, formData: FormData) => Promise<ActionState>;

/**
 * What can still happen to an appointment: before its start a confirmed one can be cancelled
 * (with a reason the patient reads); after its start it is marked completed or no-show. Stays
 * mounted when the status changes so the outcome message remains.
 */
export function AppointmentActions({
  profileId,
  reservationId,
  patientName,
  status,
  started,
  cancelAction,
  outcomeAction,
}: {
  profileId: string;
  reservationId: string;
  patientName: string;
  status: string;
  started: boolean;
  cancelAction: FormAction;
  outcomeAction: FormAction;
}) {
  const [cancelState, cancel] = useActionState(cancelAction, undefined);
  const [outcomeState, record] = useActionState(outcomeAction, undefined);
  const [lastUsed, setLastUsed] = useState<'cancel' | 'outcome' | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const id = useId();
  const state = lastUsed === 'cancel' ? cancelState : lastUsed === 'outcome' ? outcomeState : undefined;
  const reasonErrors = lastUsed === 'cancel' ? cancelState?.fieldErrors?.reason : undefined;
  const confirmed = status === 'confirmed';
  const t = useTranslations('appointments.actions');

  return (
    <div className="space-y-3">
      <div aria-live="polite">
        {state?.error && (
          <p role="alert" className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800" data-testid="appointment-outcome">
            {state.error}
          </p>
        )}
        {state?.ok && state.message && (
          <p role="status" className="rounded-md border border-green-300 bg-green-50 p-3 text-sm text-green-900" data-testid="appointment-outcome">
            {state.message}
          </p>
        )}
      </div>
      {confirmed && !started && (
        <>
          {!cancelling ? (
            <Button type="button" variant="secondary" onClick={() => setCancelling(true)}>
              {t('cancelOpen')}
            </Button>
          ) : (
            <form id={`${id}-cancel`} action={cancel} onSubmit={() => setLastUsed('cancel')} className="max-w-xl space-y-2 rounded-md border border-slate-200 bg-slate-50 p-3">
              <input type="hidden" name="profileId" value={profileId} />
              <input type="hidden" name="reservationId" value={reservationId} />
              <label htmlFor={`${id}-reason`} className="block text-sm font-medium text-slate-800">
                {t('reasonFor', { name: patientName })}
              </label>
              <textarea
                id={`${id}-reason`}
                name="reason"
                required
                maxLength={1000}
                rows={3}
                autoFocus
                aria-invalid={reasonErrors ? true : undefined}
                aria-describedby={reasonErrors ? `${id}-reason-error` : undefined}
                className="block w-full rounded-md border border-slate-400 bg-white px-3 py-2 text-base aria-invalid:border-red-600"
              />
              {reasonErrors && (
                <p id={`${id}-reason-error`} className="text-sm text-red-700">
                  {reasonErrors.join(' ')}
                </p>
              )}
              <div className="flex flex-wrap gap-2">
                <Submit label={t('cancel')} pendingLabel={t('cancelling')} variant="danger" />
                <Button type="button" variant="secondary" onClick={() => setCancelling(false)}>
                  {t('keep')}
                </Button>
              </div>
            </form>
          )}
        </>
      )}
      {confirmed && started && (
        <div className="flex flex-wrap gap-2">
          <form action={record} onSubmit={() => setLastUsed('outcome')}>
            <input type="hidden" name="profileId" value={profileId} />
            <input type="hidden" name="reservationId" value={reservationId} />
            <input type="hidden" name="outcome" value="completed" />
            <Submit label={t('markCompleted')} pendingLabel={t('saving')} />
          </form>
          <form action={record} onSubmit={() => setLastUsed('outcome')}>
            <input type="hidden" name="profileId" value={profileId} />
            <input type="hidden" name="reservationId" value={reservationId} />
            <input type="hidden" name="outcome" value="no_show" />
            <Submit label={t('markNoShow')} pendingLabel={t('saving')} variant="secondary" />
          </form>
        </div>
      )}
      {!confirmed && !state && <p className="text-sm text-slate-700">{t('nothingMore')}</p>}
    </div>
  );
}

function Submit({ label, pendingLabel, variant = 'primary' }: { label: string; pendingLabel: string; variant?: 'primary' | 'secondary' | 'danger' }) {
  const { pending } = useFormStatus();
  return (
    <Button type="submit" variant={variant} disabled={pending}>
      {pending ? pendingLabel : label}
    </Button>
  );
}
