'use client';

import { useLocale } from 'next-intl';
import { useTranslations } from '@/lib/i18n/use-translations';
import { useActionState, useEffect, useMemo, useRef, useState } from 'react';
import { saveNoteAction, saveNoteDraftAction } from '@/app/dashboard/appointments/[id]/note-actions';
import { Button } from '@/components/ui/button';
import { INTL_LOCALE, isLocale } from '@/lib/i18n/locales';

// i18n-keys: appointments.notes.section.* appointments.notes.hint.*
const SECTIONS = [['subjective'], ['objective'], ['assessment'], ['plan']] as const;

type Key = (typeof SECTIONS)[number][0];
type Content = Record<Key, string>;

/** How long typing must pause before the draft is saved. */
const DRAFT_DELAY_MS = 800;

/**
 * The SOAP note form. Leaving with changes not saved as a version asks first. What is typed is kept as a draft (in the database, this doctor's only) a
 * moment after each pause, and restored on return. Saving makes a new version; if someone saved
 * in between, both texts are shown side by side per section with "keep mine", "keep theirs" and
 * "merge", and nothing typed is lost.
 */
export function NoteEditor({
  profileId,
  reservationId,
  baseVersion,
  initial,
  draft,
  timeZone,
}: {
  profileId: string;
  reservationId: string;
  baseVersion: number;
  initial: Content;
  draft?: { content: Content; baseVersion: number; updatedAt: string } | null;
  timeZone: string;
}) {
  const [state, action, pending] = useActionState(saveNoteAction, undefined);
  const t = useTranslations('appointments.notes');
  const locale = useLocale();
  const leaveConfirm = t('leaveConfirm');
  const [content, setContent] = useState<Content>(draft?.content ?? initial);
  const [draftState, setDraftState] = useState<{ at: string | null; error?: string }>({ at: draft?.updatedAt ?? null });
  const conflict = useMemo(() => theirsOf(state?.values), [state]);
  // The version the text is written against: theirs once both were shown; a restored draft keeps its own.
  const base = conflict ? conflict.version : (draft?.baseVersion ?? baseVersion);
  // Sections already settled (mine, theirs or merged) for the conflict shown.
  const [settled, setSettled] = useState<{ version: number; keys: Key[] }>({ version: -1, keys: [] });
  const settle = (key: Key, text: (mine: string) => string) => {
    setContent((c) => ({ ...c, [key]: text(c[key]) }));
    setSettled((s) => ({ version: conflict!.version, keys: [...(s.version === conflict!.version ? s.keys : []), key] }));
  };
  const dirty = useMemo(() => SECTIONS.some(([key]) => same(content[key]) !== same(initial[key])), [content, initial]);

  // The draft: saved a moment after typing pauses.
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const timer = setTimeout(async () => {
      const form = new FormData();
      form.set('profileId', profileId);
      form.set('reservationId', reservationId);
      form.set('baseVersion', String(base));
      for (const [key] of SECTIONS) form.set(key, content[key]);
      const result = await saveNoteDraftAction(undefined, form);
      setDraftState(result.ok ? { at: result.message ?? new Date().toISOString() } : { at: null, error: result.error });
    }, DRAFT_DELAY_MS);
    return () => clearTimeout(timer);
  }, [content, base, profileId, reservationId]);

  useEffect(() => {
    if (!dirty) return;
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = '';
    };
    const onClick = (e: MouseEvent) => {
      const link = (e.target as HTMLElement | null)?.closest?.('a[href]');
      if (link && !window.confirm(leaveConfirm)) {
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
  }, [dirty, leaveConfirm]);

  const time = (iso: string) => new Intl.DateTimeFormat(INTL_LOCALE[isLocale(locale) ? locale : 'en'], { timeZone, hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(new Date(iso));

  return (
    <form action={action} className="space-y-4" aria-label={t('formLabel')}>
      <input type="hidden" name="profileId" value={profileId} />
      <input type="hidden" name="reservationId" value={reservationId} />
      <input type="hidden" name="baseVersion" value={base} />
      {draft && (
        <p role="note" className="rounded-md border border-brand-700/30 bg-brand-50 p-3 text-sm" data-testid="draft-restored">
          {t('restored', { time: time(draft.updatedAt) })}
          {draft.baseVersion < baseVersion && t('savedSince', { version: baseVersion })}
        </p>
      )}
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
      {SECTIONS.map(([key]) => {
        const label = t(`section.${key}`);
        const hint = t(`hint.${key}`);
        const differs = conflict && same(conflict[key]) !== same(content[key]) && !(settled.version === conflict.version && settled.keys.includes(key));
        return (
          <div key={key}>
            <label htmlFor={`note-${key}`} className="block font-medium">
              {label}
            </label>
            <p id={`note-${key}-hint`} className="text-xs text-slate-600">
              {hint}
            </p>
            {differs ? (
              <div className="mt-1 grid gap-3 md:grid-cols-2" data-testid={`compare-${key}`}>
                <div>
                  <p className="text-sm font-semibold">{t('yours')}</p>
                  <textarea
                    id={`note-${key}`}
                    name={key}
                    rows={4}
                    value={content[key]}
                    onChange={(e) => setContent((c) => ({ ...c, [key]: e.target.value }))}
                    aria-describedby={`note-${key}-hint`}
                    className="mt-1 block w-full rounded-md border border-slate-400 bg-white px-3 py-2"
                  />
                </div>
                <div>
                  <p className="text-sm font-semibold">{t('theirs', { version: conflict.version })}</p>
                  <p className="mt-1 min-h-24 whitespace-pre-wrap rounded-md border border-slate-300 bg-slate-50 px-3 py-2" data-testid={`theirs-${key}`}>
                    {conflict[key] || <span className="text-slate-600">{t('empty')}</span>}
                  </p>
                </div>
                <div className="flex flex-wrap gap-2 md:col-span-2">
                  <Button type="button" variant="secondary" onClick={() => settle(key, (mine) => mine)} data-choice="mine">
                    {t('keepMine')}
                    <span className="sr-only"> ({label})</span>
                  </Button>
                  <Button type="button" variant="secondary" onClick={() => settle(key, () => conflict[key])} data-choice="theirs">
                    {t('keepTheirs')}
                    <span className="sr-only"> ({label})</span>
                  </Button>
                  <Button type="button" variant="secondary" onClick={() => settle(key, (mine) => merged(mine, conflict[key]))} data-choice="merge">
                    {t('merge')}
                    <span className="sr-only"> ({label})</span>
                  </Button>
                </div>
              </div>
            ) : (
              <textarea
                id={`note-${key}`}
                name={key}
                rows={3}
                value={content[key]}
                onChange={(e) => setContent((c) => ({ ...c, [key]: e.target.value }))}
                aria-describedby={`note-${key}-hint${state?.fieldErrors?.[key] ? ` note-${key}-error` : ''}`}
                className="mt-1 block w-full rounded-md border border-slate-400 bg-white px-3 py-2"
              />
            )}
            {state?.fieldErrors?.[key] && (
              <p id={`note-${key}-error`} className="mt-1 text-sm text-red-700">
                {state.fieldErrors[key].join(' ')}
              </p>
            )}
          </div>
        );
      })}
      <div className="flex flex-wrap items-center gap-3">
        {conflict ? (
          <Button type="submit" disabled={pending}>
            {pending ? t('saving') : t('saveAs', { version: conflict.version + 1 })}
          </Button>
        ) : (
          <Button type="submit" disabled={pending || !dirty}>
            {pending ? t('saving') : base === 0 ? t('save') : t('saveAs', { version: base + 1 })}
          </Button>
        )}
        {dirty && <span className="text-sm text-amber-800">{t('notSaved')}</span>}
        <span className="text-sm text-slate-600" aria-live="polite" data-testid="draft-status">
          {draftState.error ? t('draftFailed', { error: draftState.error }) : draftState.at && dirty ? t('draftKept', { time: time(draftState.at) }) : ''}
        </span>
      </div>
    </form>
  );
}

/** Sections as stored: a form posts line breaks as CRLF, and text is kept trimmed. */
function same(text: string): string {
  return text.replace(/\r\n?/g, '\n').trim();
}

function merged(mine: string, theirs: string): string {
  if (!mine.trim()) return theirs;
  if (!theirs.trim() || mine.includes(theirs)) return mine;
  if (theirs.includes(mine)) return theirs;
  return `${theirs.trimEnd()}\n${mine.trimStart()}`;
}

function theirsOf(values: Record<string, string> | undefined): (Content & { version: number }) | null {
  if (!values?.['theirs.version']) return null;
  return {
    version: Number(values['theirs.version']),
    subjective: values['theirs.subjective'] ?? '',
    objective: values['theirs.objective'] ?? '',
    assessment: values['theirs.assessment'] ?? '',
    plan: values['theirs.plan'] ?? '',
  };
}
