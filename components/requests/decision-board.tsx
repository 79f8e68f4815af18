'use client';

import { createContext, useActionState, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import type { ActionState } from '@/lib/actions';

export type FormAction = (prev: ActionState | undefined, formData: FormData) => Promise<ActionState>;

interface Decisions {
  dispatch: (formData: FormData) => void;
  state: ActionState | undefined;
}

const DecisionContext = createContext<Decisions | null>(null);

/**
 * Holds the outcome of the doctor's last decision above the list. An approved or rejected request
 * leaves the list when the page re-renders, so its card cannot keep the message: the board does,
 * in a live region that stays in view (and takes the focus if the card that had it is gone).
 */
export function DecisionBoard({ approveAction, rejectAction, children }: { approveAction: FormAction; rejectAction: FormAction; children?: ReactNode }) {
  const [state, dispatch] = useActionState<ActionState | undefined, FormData>(
    (prev, formData) => (formData.get('decision') === 'reject' ? rejectAction(prev, formData) : approveAction(prev, formData)),
    undefined,
  );
  const [dismissed, setDismissed] = useState<ActionState | undefined>(undefined);
  const messageRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!state) return;
    const focused = document.activeElement;
    if (!focused || focused === document.body) messageRef.current?.focus();
  }, [state]);
  const text = state && state !== dismissed ? (state.error ?? state.message) : undefined;
  return (
    <DecisionContext.Provider value={{ dispatch, state }}>
      <div className="sticky top-0 z-10" aria-live="polite">
        {text && (
          <div
            ref={messageRef}
            tabIndex={-1}
            role={state?.error ? 'alert' : 'status'}
            data-testid="decision-outcome"
            className={`mb-3 flex items-start justify-between gap-3 rounded-md border p-3 text-sm shadow-sm ${
              state?.error ? 'border-red-300 bg-red-50 text-red-900' : 'border-green-300 bg-green-50 text-green-900'
            }`}
          >
            <p>{text}</p>
            <button type="button" onClick={() => setDismissed(state)} className="shrink-0 rounded px-2 py-0.5 text-xs font-semibold underline">
              Dismiss
            </button>
          </div>
        )}
      </div>
      {children}
    </DecisionContext.Provider>
  );
}

export function useDecisions(): Decisions {
  const ctx = useContext(DecisionContext);
  if (!ctx) throw new Error('Decision forms must be inside a DecisionBoard.');
  return ctx;
}
