'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { practiceAction } from '@/lib/actions';
import { MAX_NOTE_FIELD, saveNote } from '@/lib/notes';

const section = z.string().max(MAX_NOTE_FIELD, `At most ${MAX_NOTE_FIELD.toLocaleString('en')} characters.`).default('');

const saveNoteSchema = z.object({
  profileId: z.string(),
  reservationId: z.uuid(),
  baseVersion: z.coerce.number().int().min(0),
  subjective: section,
  objective: section,
  assessment: section,
  plan: section,
});

/** Saves a new version of the clinical note; lib/notes checks the doctor and the practice again. */
export const saveNoteAction = practiceAction(saveNoteSchema, ['doctor'], async (data, { db, actor }) => {
  const { version } = await saveNote(db, actor, data.reservationId, {
    subjective: data.subjective,
    objective: data.objective,
    assessment: data.assessment,
    plan: data.plan,
  }, data.baseVersion);
  revalidatePath(`/dashboard/appointments/${data.reservationId}`);
  return { ok: true, message: `Saved as version ${version}.` };
});
