'use client';

import Link from 'next/link';
import { useTranslations } from '@/lib/i18n/use-translations';
import { useId, useState } from 'react';
import { useFormStatus } from 'react-dom';
import { Button } from '@/components/ui/button';
import { useDecisions } from './decision-board';

/**
 * Approve (one click) and reject (with a reason the patient will read) for one request. The
 * request id travels in a hidden field; the server action and the lib function both check that
 * it belongs to the chosen practice.
 */
export function DecisionForms({
  profileId,
  requestId,
  patientName,
  offered = false,
}: {
  profileId: string;
  requestId: string;
  patientName: string;
  /** Other times were offered: the patient answers; the practice can only withdraw (reject). */
  offered?: boolean;
}) {
  const { dispatch, state, selected, toggle } = useDecisions();
  const [rejecting, setRejecting] = useState(false);
  const t = useTranslations('requests.board');
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
      <div className="flex flex-wrap items-center gap-2">
        {selected && toggle && !offered && (
          <label className="mr-2 flex min-h-11 items-center gap-2 text-sm">
            <input type="checkbox" checked={selected.has(requestId)} onChange={(e) => toggle(requestId, e.target.checked)} data-testid="select-request" />
            <span>
              {t('select')}
              <span className="sr-only"> {t('selectFor', { name: patientName })}</span>
            </span>
          </label>
        )}
        {offered ? null : (
          <form action={dispatch} data-testid="approve-form">
            <input type="hidden" name="decision" value="approve" />
            <input type="hidden" name="profileId" value={profileId} />
            <input type="hidden" name="requestId" value={requestId} />
            <SubmitButton label={t('approve')} pendingLabel={t('approving')} ariaLabel={t('approveFor', { name: patientName })} />
          </form>
        )}
        {!offered && (
          <Link
            href={`/dashboard/requests/${requestId}/propose`}
            className="inline-flex items-center justify-center rounded-md border border-slate-300 bg-white px-4 py-2 font-semibold text-slate-900 hover:bg-slate-100"
            data-testid="propose-link"
          >
            {t('propose')}
            <span className="sr-only"> {t('proposeFor', { name: patientName })}</span>…
          </Link>
        )}
        <Button
          type="button"
          variant="secondary"
          aria-expanded={rejecting}
          aria-controls={rejecting ? `${id}-reject` : undefined}
          onClick={() => setRejecting((v) => !v)}
          data-testid="reject-toggle"
        >
          {rejecting ? (
            t('keep')
          ) : (
            <>
              {offered ? t('withdraw') : t('reject')}
              <span className="sr-only"> {t('rejectFor', { name: patientName })}</span>…
            </>
          )}
        </Button>
      </div>
      {rejecting && (
        <form id={`${id}-reject`} action={dispatch} className="space-y-2 rounded-md border border-slate-200 bg-slate-50 p-3" data-testid="reject-form">
          <input type="hidden" name="decision" value="reject" />
          <input type="hidden" name="profileId" value={profileId} />
          <input type="hidden" name="requestId" value={requestId} />
          <label htmlFor={reasonId} className="block text-sm font-medium text-slate-800">
            {t('reasonFor', { name: patientName })}
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
          <SubmitButton label={t('rejectSubmit')} pendingLabel={t('rejecting')} variant="danger" />
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
