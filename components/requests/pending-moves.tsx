'use client';

import { useTranslations } from '@/lib/i18n/use-translations';
import { useActionState } from 'react';
import { useFormStatus } from 'react-dom';
import { Button } from '@/components/ui/button';
import type { ActionState } from '@/lib/actions';
import type { FormAction } from './decision-board';

export interface PendingMoveCard {
  moveId: string;
  patientName: string;
  contact: string;
  serviceName: string;
  /** "Tue 3 Dec, 10:00–10:30" in the practice's zone and the reader's language. */
  was: string;
  asks: string;
  deadline: string;
}

/**
 * Patients' moves of their appointments waiting for the practice ("was Tue 10:00, asks Wed
 * 12:00"): Approve move, or Keep original. The outcome stays above the list (the card leaves it
 * when the page re-renders).
 */
export function PendingMoves({
  moves,
  profileId,
  canDecide,
  approveAction,
  rejectAction,
}: {
  moves: PendingMoveCard[];
  profileId: string;
  canDecide: boolean;
  approveAction: FormAction;
  rejectAction: FormAction;
}) {
  const [state, dispatch] = useActionState<ActionState | undefined, FormData>(
    (prev, formData) => (formData.get('decision') === 'keep' ? rejectAction(prev, formData) : approveAction(prev, formData)),
    undefined,
  );
  const t = useTranslations('requests.moves');
  if (!moves.length && !state) return null;
  const text = state?.error ?? state?.message;
  return (
    <section aria-labelledby="moves-heading" className="space-y-3" data-testid="pending-moves">
      <h2 id="moves-heading" className="text-lg font-semibold">
        {t('heading', { count: moves.length })}
      </h2>
      <div aria-live="polite">
        {text && (
          <p
            role={state?.error ? 'alert' : 'status'}
            data-testid="move-outcome"
            className={`rounded-md border p-3 text-sm ${state?.error ? 'border-red-300 bg-red-50 text-red-900' : 'border-green-300 bg-green-50 text-green-900'}`}
          >
            {text}
          </p>
        )}
      </div>
      {moves.length > 0 && (
        <ol className="space-y-3" aria-label={t('label')}>
          {moves.map((m) => (
            <li key={m.moveId}>
              <article aria-labelledby={`move-${m.moveId}`} className="rounded-lg border border-amber-300 bg-white p-4" data-testid="pending-move">
                <h3 id={`move-${m.moveId}`} className="text-lg font-semibold">
                  {m.patientName}
                </h3>
                <p className="text-sm text-slate-700">{m.contact}</p>
                <dl className="mt-3 grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[auto_1fr]">
                  <dt className="font-medium text-slate-700">{t('service')}</dt>
                  <dd>{m.serviceName}</dd>
                  <dt className="font-medium text-slate-700">{t('move')}</dt>
                  <dd data-testid="move-times">
                    {t.rich('times', { was: m.was, asks: m.asks, s: (chunks) => <s>{chunks}</s>, strong: (chunks) => <strong>{chunks}</strong> })}
                  </dd>
                  <dt className="font-medium text-slate-700">{t('answerBy')}</dt>
                  <dd>{t('held', { deadline: m.deadline })}</dd>
                </dl>
                {canDecide && (
                  <div className="mt-4 flex flex-wrap gap-2 border-t border-slate-100 pt-3">
                    <form action={dispatch}>
                      <input type="hidden" name="decision" value="approve" />
                      <input type="hidden" name="profileId" value={profileId} />
                      <input type="hidden" name="moveId" value={m.moveId} />
                      <Submit label={t('approve')} pendingLabel={t('approving')} srSuffix={` ${t('approveFor', { name: m.patientName })}`} />
                    </form>
                    <form action={dispatch}>
                      <input type="hidden" name="decision" value="keep" />
                      <input type="hidden" name="profileId" value={profileId} />
                      <input type="hidden" name="moveId" value={m.moveId} />
                      <Submit label={t('keep')} pendingLabel={t('keeping')} srSuffix={` ${t('keepFor', { name: m.patientName })}`} variant="secondary" />
                    </form>
                  </div>
                )}
              </article>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function Submit({ label, pendingLabel, srSuffix, variant = 'primary' }: { label: string; pendingLabel: string; srSuffix: string; variant?: 'primary' | 'secondary' }) {
  const { pending } = useFormStatus();
  return (
    <Button type="submit" variant={variant} disabled={pending}>
      {pending ? (
        pendingLabel
      ) : (
        <>
          {label}
          <span className="sr-only">{srSuffix}</span>
        </>
      )}
    </Button>
  );
}
