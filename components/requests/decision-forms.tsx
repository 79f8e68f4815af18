'use client';

import { useId, useState } from 'react';
import { useFormStatus } from 'react-dom';
import { Button } from '@/components/ui/button';
import { useDecisions } from './decision-board';

/**
 * Approve (one click) and reject (with a reason the patient will read) for one request. The
 * request id travels in a hidden field; the server action and the lib function both check that
 * it belongs to the chosen practice.
 */
export function DecisionForms({ profileId, requestId, patientName }: { profileId: string; requestId: string; patientName: string }) {
  const { dispatch, state } = useDecisions();
  const [rejecting, setRejecting] = useState(false);
  const id = useId();
  const mine = state?.values?.requestId === requestId;
  const reasonErrors = mine ? state?.fieldErrors?.reason : undefined;
  const formError = mine && state?.error ? state.error : undefined;
  const reasonId = `${id}-reason`;
  const errorId = `${id}-reason-error`;
  return (
    <div className="space-y-3">
      {formError && (
        <p role="alert" className="rounded-md border border-red-300 bg-red-50 p-2 text-sm text-red-800">
          {formError}
        </p>
      )}
      <div className="flex flex-wrap gap-2">
        <form action={dispatch} data-testid="approve-form">
          <input type="hidden" name="decision" value="approve" />
          <input type="hidden" name="profileId" value={profileId} />
          <input type="hidden" name="requestId" value={requestId} />
          <SubmitButton label="Approve" pendingLabel="Approving…" ariaLabel={`Approve ${patientName}'s request`} />
        </form>
        <Button
          type="button"
          variant="secondary"
          aria-expanded={rejecting}
          aria-controls={rejecting ? `${id}-reject` : undefined}
          aria-label={`Reject ${patientName}'s request…`}
          onClick={() => setRejecting((v) => !v)}
        >
          {rejecting ? 'Keep the request' : 'Reject…'}
        </Button>
      </div>
      {rejecting && (
        <form id={`${id}-reject`} action={dispatch} className="space-y-2 rounded-md border border-slate-200 bg-slate-50 p-3" data-testid="reject-form">
          <input type="hidden" name="decision" value="reject" />
          <input type="hidden" name="profileId" value={profileId} />
          <input type="hidden" name="requestId" value={requestId} />
          <label htmlFor={reasonId} className="block text-sm font-medium text-slate-800">
            Reason for {patientName} (the patient will read it)
          </label>
          <textarea
            id={reasonId}
            name="reason"
            required
            maxLength={1000}
            rows={3}
            autoFocus
            defaultValue={mine ? state?.values?.reason : undefined}
            aria-invalid={reasonErrors ? true : undefined}
            aria-describedby={reasonErrors ? errorId : undefined}
            className="block w-full rounded-md border border-slate-400 bg-white px-3 py-2 text-base aria-invalid:border-red-600"
          />
          {reasonErrors && (
            <p id={errorId} className="text-sm text-red-700">
              {reasonErrors.join(' ')}
            </p>
          )}
          <SubmitButton label="Reject the request" pendingLabel="Rejecting…" variant="danger" />
        </form>
      )}
    </div>
  );
}

function SubmitButton({ label, pendingLabel, ariaLabel, variant = 'primary' }: { label: string; pendingLabel: string; ariaLabel?: string; variant?: 'primary' | 'danger' }) {
  const { pending } = useFormStatus();
  return (
    <Button type="submit" variant={variant} disabled={pending} aria-label={pending ? undefined : ariaLabel}>
      {pending ? pendingLabel : label}
    </Button>
  );
}
