'use client';

import { useActionState, useEffect, useMemo, useState } from 'react';
import { saveNoteAction } from '@/app/dashboard/appointments/[id]/note-actions';
import { Button } from '@/components/ui/button';

const SECTIONS = [
  ['subjective', 'Subjective', 'What the patient reports: symptoms, history.'],
  ['objective', 'Objective', 'Findings: vital signs, examination, results.'],
  ['assessment', 'Assessment', 'Diagnosis or differential.'],
  ['plan', 'Plan', 'Treatment, prescriptions, follow-up.'],
] as const;

type Content = Record<(typeof SECTIONS)[number][0], string>;

/**
 * The SOAP note form. Saving makes a new version; leaving the page with unsaved text asks first
 * (a reload or closing the tab, and links inside the app).
 */
export function NoteEditor({ profileId, reservationId, baseVersion, initial }: { profileId: string; reservationId: string; baseVersion: number; initial: Content }) {
  const [state, action, pending] = useActionState(saveNoteAction, undefined);
  const [content, setContent] = useState<Content>(initial);
  // A save re-renders the page with the new version as `initial` (and the next baseVersion):
  // so unsaved means different from `initial`. Sections are stored trimmed, so compare them so.
  const dirty = useMemo(() => SECTIONS.some(([key]) => content[key].trim() !== initial[key].trim()), [content, initial]);

  useEffect(() => {
    if (!dirty) return;
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = '';
    };
    const onClick = (e: MouseEvent) => {
      const link = (e.target as HTMLElement | null)?.closest?.('a[href]');
      if (link && !window.confirm('You have unsaved changes to the note. Leave without saving?')) {
        e.preventDefault();
        e.stopPropagation();
      }
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    document.addEventListener('click', onClick, true);
    return () => {
      window.removeEventListener('beforeunload', onBeforeUnload);
      document.removeEventListener('click', onClick, true);
    };
  }, [dirty]);

  return (
    <form action={action} className="space-y-4" aria-label="Clinical note">
      <input type="hidden" name="profileId" value={profileId} />
      <input type="hidden" name="reservationId" value={reservationId} />
      <input type="hidden" name="baseVersion" value={baseVersion} />
      {state?.error && (
        <p role="alert" className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800">
          {state.error}
        </p>
      )}
      {state?.ok && !dirty && (
        <p role="status" className="rounded-md border border-green-300 bg-green-50 p-3 text-sm text-green-800">
          {state.message}
        </p>
      )}
      {SECTIONS.map(([key, label, hint]) => (
        <div key={key}>
          <label htmlFor={`note-${key}`} className="block font-medium">
            {label}
          </label>
          <p id={`note-${key}-hint`} className="text-xs text-slate-600">
            {hint}
          </p>
          <textarea
            id={`note-${key}`}
            name={key}
            rows={3}
            value={content[key]}
            onChange={(e) => setContent((c) => ({ ...c, [key]: e.target.value }))}
            aria-describedby={`note-${key}-hint${state?.fieldErrors?.[key] ? ` note-${key}-error` : ''}`}
            className="mt-1 block w-full rounded-md border border-slate-400 bg-white px-3 py-2"
          />
          {state?.fieldErrors?.[key] && (
            <p id={`note-${key}-error`} className="mt-1 text-sm text-red-700">
              {state.fieldErrors[key].join(' ')}
            </p>
          )}
        </div>
      ))}
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={pending || !dirty}>
          {pending ? 'Saving…' : baseVersion === 0 ? 'Save note' : `Save as version ${baseVersion + 1}`}
        </Button>
        {dirty && <span className="text-sm text-amber-800">Unsaved changes</span>}
      </div>
    </form>
  );
}
