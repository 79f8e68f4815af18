'use server';

import { practiceAction } from '@/lib/actions';
import { saveNote } from '@/lib/notes';

/** Saves a new version of the clinical note; lib/notes checks the doctor, the practice and every section. */
export const saveNoteAction = practiceAction(saveNote, { name: 'notes.save', revalidate: '/dashboard/appointments' }, ({ version }) => `Saved as version ${version}.`);
