'use client';

import { useTranslations } from '@/lib/i18n/use-translations';
import { createContext, useActionState, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { Button } from '@/components/ui/button';
import type { ActionState } from '@/lib/actions';

export type FormAction = (prev: ActionState | undefined, formData: FormData) => Promise<ActionState>;

interface Decisions {
  dispatch: (formData: FormData) => void;
  state: ActionState | undefined;
  /** Requests ticked for "Approve selected" (absent when the board has no bulk action). */
  selected?: Set<string>;
  toggle?: (requestId: string, on: boolean) => void;
}

const DecisionContext = createContext<Decisions | null>(null);

export const BULK_FORM_ID = 'bulk-approve';
const EMPTY: Set<string> = new Set();

/**
 * Holds the outcome of the doctor's last decision above the list. An approved or rejected request
 * leaves the list when the page re-renders, so its card cannot keep the message: the board does,
 * in a live region that stays in view (and takes the focus if the card that had it is gone). A
 * decision can be undone from there for a few seconds (its messages wait that long); several
 * ticked requests can be approved at once.
 */
export function DecisionBoard({
  approveAction,
  rejectAction,
  undoAction,
  bulkAction,
  profileId,
  children,
}: {
  approveAction: FormAction;
  rejectAction: FormAction;
  undoAction?: FormAction;
  bulkAction?: FormAction;
  profileId?: string;
  children?: ReactNode;
}) {
  const [state, dispatch] = useActionState<ActionState | undefined, FormData>((prev, formData) => {
    const decision = formData.get('decision');
    if (decision === 'undo' && undoAction) return undoAction(prev, formData);
    if (decision === 'bulk' && bulkAction) return bulkAction(prev, formData);
    return decision === 'reject' ? rejectAction(prev, formData) : approveAction(prev, formData);
  }, undefined);
  const [dismissed, setDismissed] = useState<ActionState | undefined>(undefined);
  const t = useTranslations('requests.board');
  // The ticks belong to the outcome they were made under: a new outcome starts a new selection.
  const [ticks, setTicks] = useState<{ under: ActionState | undefined; ids: Set<string> }>(() => ({ under: undefined, ids: new Set() }));
  const selected = ticks.under === state ? ticks.ids : EMPTY;
  const toggle = useCallback(
    (id: string, on: boolean) => {
      setTicks((t) => {
        const next = new Set(t.under === state ? t.ids : EMPTY);
        if (on) next.add(id);
        else next.delete(id);
        return { under: state, ids: next };
      });
    },
    [state],
  );
  const messageRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!state) return;
    const focused = document.activeElement;
    if (!focused || focused === document.body) messageRef.current?.focus();
  }, [state]);
  const text = state && state !== dismissed ? (state.error ?? state.message) : undefined;
  const undoId = state?.ok ? state.values?.undoRequestId : undefined;
  const undoUntil = state?.ok ? state.values?.undoUntil : undefined;
  return (
    <DecisionContext.Provider value={{ dispatch, state, selected: bulkAction ? selected : undefined, toggle: bulkAction ? toggle : undefined }}>
      <div className="sticky top-0 z-10" aria-live="polite">
        {text && (
          <div
            ref={messageRef}
            tabIndex={-1}
            role={state?.error ? 'alert' : 'status'}
            data-testid="decision-outcome"
            className={`mb-3 flex flex-wrap items-start justify-between gap-3 rounded-md border p-3 text-sm shadow-sm ${
              state?.error ? 'border-red-300 bg-red-50 text-red-900' : 'border-green-300 bg-green-50 text-green-900'
            }`}
          >
            <p className="min-w-0 flex-1">{text}</p>
            <div className="flex shrink-0 items-center gap-2">
              {undoAction && profileId && undoId && undoUntil && <UndoButton key={`${undoId}-${undoUntil}`} requestId={undoId} until={undoUntil} profileId={profileId} dispatch={dispatch} />}
              <button type="button" onClick={() => setDismissed(state)} className="rounded px-2 py-0.5 text-xs font-semibold underline">
                {t('dismiss')}
              </button>
            </div>
          </div>
        )}
      </div>
      {bulkAction && profileId && (
        <form id={BULK_FORM_ID} action={dispatch} className="mb-3 flex flex-wrap items-center gap-3" data-testid="bulk-approve">
          <input type="hidden" name="decision" value="bulk" />
          <input type="hidden" name="profileId" value={profileId} />
          {[...selected].map((id) => (
            <input key={id} type="hidden" name="requestIds[]" value={id} />
          ))}
          <Button type="submit" variant="secondary" disabled={selected.size === 0}>
            {t('approveSelected', { count: selected.size })}
          </Button>
          <span className="text-sm text-slate-700">{t('tickHint')}</span>
        </form>
      )}
      {children}
    </DecisionContext.Provider>
  );
}

/** "Undo" while the window is open (a countdown in seconds); gone when it closes. */
function UndoButton({ requestId, until, profileId, dispatch }: { requestId: string; until: string; profileId: string; dispatch: (f: FormData) => void }) {
  const end = new Date(until).getTime();
  const [left, setLeft] = useState(() => Math.max(0, Math.ceil((end - Date.now()) / 1000)));
  const t = useTranslations('requests.board');
  useEffect(() => {
    const timer = setInterval(() => setLeft(Math.max(0, Math.ceil((end - Date.now()) / 1000))), 500);
    return () => clearInterval(timer);
  }, [end]);
  if (left <= 0) return null;
  return (
    <form action={dispatch}>
      <input type="hidden" name="decision" value="undo" />
      <input type="hidden" name="profileId" value={profileId} />
      <input type="hidden" name="requestId" value={requestId} />
      <Button type="submit" variant="secondary" className="py-1" data-testid="undo-decision">
        {t('undo')} <span className="ml-1 tabular-nums text-slate-600">({left} s)</span>
      </Button>
    </form>
  );
}

export function useDecisions(): Decisions {
  const ctx = useContext(DecisionContext);
  if (!ctx) throw new Error('Decision forms must be inside a DecisionBoard.');
  return ctx;
}
