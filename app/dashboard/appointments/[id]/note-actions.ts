'use server';

import { actionLocale, actionTranslator, practiceAction } from '@/lib/actions';
import { localizeError } from '@/lib/i18n/errors';
import { NOTE_FIELDS, saveNoteDraft, saveNoteOrCompare } from '@/lib/notes';

/**
 * Saves a new version of the clinical note; lib/notes checks the doctor, the practice and every
 * section. When someone saved in between, the answer carries their version (`theirs.*`) so the
 * editor can show both texts side by side.
 */
export const saveNoteAction = practiceAction(saveNoteOrCompare, { name: 'notes.save', revalidate: '/dashboard/appointments' }, async (r) => {
  if (r.saved) return (await actionTranslator('appointments.notes'))('saved', { version: r.version });
  const values: Record<string, string> = { 'theirs.version': String(r.theirs.version) };
  for (const f of NOTE_FIELDS) values[`theirs.${f}`] = r.theirs[f];
  return { error: localizeError(r.message, await actionLocale(), 'conflict'), values };
});

/** Keeps what the doctor typed so far (per author; not a version). */
export const saveNoteDraftAction = practiceAction(saveNoteDraft, { name: 'notes.draft' }, (r) => ({ ok: true, message: r.savedAt.toISOString() }));
