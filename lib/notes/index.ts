import { and, desc, eq, max, sql } from 'drizzle-orm';
import { z } from 'zod';
import { appointmentNotes, noteDrafts, profiles, reservations, users } from '@/db/schema';
import { appointmentRef, type AppointmentRef } from '@/lib/appointments/detail';
import { audit } from '@/lib/audit';
import type { Actor } from '@/lib/auth/actor';
import { authorize } from '@/lib/auth/permissions';
import { scopedRow } from '@/lib/data/scope';
import { executor, transaction, type CallOptions, type Executor } from '@/lib/db';
import { localDateOf } from '@/lib/availability/time';
import { DomainError, isDomainError, pgErrorCode } from '@/lib/errors';
import { errorText } from '@/lib/i18n/errors';
import { formInt, parseInput, text } from '@/lib/validation/fields';

export const NOTE_FIELDS = ['subjective', 'objective', 'assessment', 'plan'] as const;
export type NoteField = (typeof NOTE_FIELDS)[number];
export type NoteContent = Record<NoteField, string>;

export interface NoteVersion extends NoteContent {
  id: string;
  version: number;
  authorId: string;
  authorName: string | null;
  createdAt: Date;
  /** Fields that differ from the previous version (all non-empty fields for the first). */
  changed: NoteField[];
}

/** What an admin may know: that notes exist, not what they say. */
export interface NoteSummary {
  versions: number;
  lastWrittenAt: Date | null;
}

export const MAX_NOTE_FIELD = 20_000;

const section = (what: string) => text(MAX_NOTE_FIELD, what, { multiline: true }).default('');
const saveSchema = appointmentRef.extend({
  baseVersion: formInt(0, 1_000_000, 'The version you edited'),
  subjective: section('The subjective section'),
  objective: section('The objective section'),
  assessment: section('The assessment'),
  plan: section('The plan'),
});

export type SaveNoteInput = z.input<typeof saveSchema>;

/**
 * Every version of an appointment's clinical note, newest first, for a doctor of its practice.
 * Each read is written to the audit log (in the same transaction as the read).
 */
export async function readNoteHistory(actor: Actor | null, profileId: string, input: AppointmentRef, opts?: CallOptions): Promise<NoteVersion[]> {
  authorize(actor, profileId, 'notes.read');
  const { reservationId } = parseInput(appointmentRef, input);
  return transaction(opts, async (tx) => {
    const appointment = await appointmentOf(tx, profileId, reservationId);
    const rows = await tx
      .select({
        id: appointmentNotes.id,
        version: appointmentNotes.version,
        subjective: appointmentNotes.subjective,
        objective: appointmentNotes.objective,
        assessment: appointmentNotes.assessment,
        plan: appointmentNotes.plan,
        authorId: appointmentNotes.authorId,
        authorName: users.name,
        createdAt: appointmentNotes.createdAt,
      })
      .from(appointmentNotes)
      .innerJoin(users, eq(users.id, appointmentNotes.authorId))
      .where(and(eq(appointmentNotes.reservationId, appointment.id), eq(appointmentNotes.profileId, profileId)))
      .orderBy(desc(appointmentNotes.version));
    await audit(tx, {
      profileId,
      actorUserId: actor!.userId,
      actorKind: 'user',
      action: 'note.read',
      entityType: 'reservation',
      entityId: appointment.id,
      details: { versions: rows.length },
    });
    return rows.map((row, i) => ({ ...row, changed: changedFields(rows[i + 1], row) }));
  });
}

/** For admins (and doctors): how many versions exist and when the last was written. No content. */
export async function noteSummary(actor: Actor | null, profileId: string, input: AppointmentRef, opts?: CallOptions): Promise<NoteSummary> {
  authorize(actor, profileId, 'notes.summary');
  const { reservationId } = parseInput(appointmentRef, input);
  const db = await executor(opts);
  const appointment = await appointmentOf(db, profileId, reservationId);
  const [row] = await db
    .select({ versions: sql<number>`count(*)::int`, last: max(appointmentNotes.createdAt) })
    .from(appointmentNotes)
    .where(and(eq(appointmentNotes.reservationId, appointment.id), eq(appointmentNotes.profileId, profileId)));
  return { versions: Number(row?.versions ?? 0), lastWrittenAt: row?.last ? new Date(row.last) : null };
}

/**
 * Saves a new version of the note (nothing is ever overwritten). Allowed to doctors of the
 * practice from the day of the appointment onward (in the practice's zone). `baseVersion` is the version the doctor was
 * editing: if someone saved in between, the save is refused rather than silently replacing theirs.
 */
export async function saveNote(actor: Actor | null, profileId: string, input: SaveNoteInput, opts?: CallOptions): Promise<{ version: number }> {
  authorize(actor, profileId, 'notes.write');
  const { reservationId, baseVersion, ...content } = parseInput(saveSchema, input);
  if (NOTE_FIELDS.every((f) => content[f] === '')) throw new DomainError('invalid_request', errorText('notes.writeOneSection'));
  const now = opts?.now ?? new Date();
  try {
    return await transaction(opts, async (tx) => {
      const appointment = await appointmentOf(tx, profileId, reservationId);
      if (!mayStart(appointment, now)) throw new DomainError('conflict', errorText('notes.fromTheDay'));
      if (appointment.status === 'cancelled') throw new DomainError('conflict', errorText('notes.cancelled'));
      const [latest] = await tx
        .select({
          version: appointmentNotes.version,
          subjective: appointmentNotes.subjective,
          objective: appointmentNotes.objective,
          assessment: appointmentNotes.assessment,
          plan: appointmentNotes.plan,
        })
        .from(appointmentNotes)
        .where(eq(appointmentNotes.reservationId, appointment.id))
        .orderBy(desc(appointmentNotes.version))
        .limit(1);
      const current = latest?.version ?? 0;
      if (current !== baseVersion) {
        throw new DomainError('conflict', errorText('notes.conflictVersion', { current: String(current), base: String(baseVersion) }), undefined, undefined, {
          theirs: { version: current, subjective: latest?.subjective ?? '', objective: latest?.objective ?? '', assessment: latest?.assessment ?? '', plan: latest?.plan ?? '' },
        });
      }
      const changed = changedFields(latest, content);
      if (latest && changed.length === 0) throw new DomainError('invalid_request', errorText('notes.nothingChanged'));
      const version = current + 1;
      await tx.insert(appointmentNotes).values({ profileId, reservationId: appointment.id, version, authorId: actor!.userId, createdAt: now, ...content });
      // Saved: the author's draft has become this version.
      await tx.delete(noteDrafts).where(and(eq(noteDrafts.reservationId, appointment.id), eq(noteDrafts.authorId, actor!.userId)));
      await audit(tx, {
        profileId,
        actorUserId: actor!.userId,
        actorKind: 'user',
        action: version === 1 ? 'note.written' : 'note.amended',
        entityType: 'reservation',
        entityId: appointment.id,
        // Which sections changed, never what they say.
        details: { version, changed },
      });
      return { version };
    });
  } catch (err) {
    if (pgErrorCode(err) === '23505') {
      throw new DomainError('conflict', errorText('notes.conflictSameMoment'));
    }
    throw err;
  }
}

/** The sections that differ from the previous version (every non-empty one for the first). */
function changedFields(previous: NoteContent | undefined, next: NoteContent): NoteField[] {
  return NOTE_FIELDS.filter((f) => (previous ? previous[f] !== next[f] : next[f] !== ''));
}

function appointmentOf(db: Executor, profileId: string, reservationId: string) {
  return scopedRow(reservations, profileId, reservationId, 'appointment', (where) =>
    db
      .select({ id: reservations.id, startsAt: reservations.startsAt, status: reservations.status, timeZone: profiles.timeZone })
      .from(reservations)
      .innerJoin(profiles, eq(profiles.id, reservations.profileId))
      .where(where)
      .limit(1),
  );
}

/** A note may be started from the appointment's local date onward. */
export function mayStart(appointment: { startsAt: Date; timeZone: string }, now: Date): boolean {
  return localDateOf(now, appointment.timeZone) >= localDateOf(appointment.startsAt, appointment.timeZone);
}

// ---------------------------------------------------------------------------
// Drafts: saved as the doctor types, per author, never a version
// ---------------------------------------------------------------------------

const draftSchema = appointmentRef.extend({
  baseVersion: formInt(0, 1_000_000, 'The version you edited'),
  subjective: section('The subjective section'),
  objective: section('The objective section'),
  assessment: section('The assessment'),
  plan: section('The plan'),
});

export interface NoteDraft extends NoteContent {
  baseVersion: number;
  updatedAt: Date;
}

/**
 * Keeps what the doctor has typed so far (one draft per author and appointment, replaced on each
 * call; an empty draft is removed). Not a version, not audited as a write; the note itself is
 * written by saveNote, which removes the draft.
 */
export async function saveNoteDraft(actor: Actor | null, profileId: string, input: z.input<typeof draftSchema>, opts?: CallOptions): Promise<{ savedAt: Date }> {
  authorize(actor, profileId, 'notes.write');
  const { reservationId, baseVersion, ...content } = parseInput(draftSchema, input);
  const now = opts?.now ?? new Date();
  return transaction(opts, async (tx) => {
    const appointment = await appointmentOf(tx, profileId, reservationId);
    if (!mayStart(appointment, now)) throw new DomainError('conflict', errorText('notes.fromTheDay'));
    const mine = and(eq(noteDrafts.reservationId, appointment.id), eq(noteDrafts.authorId, actor!.userId));
    const [latest] = await tx
      .select({ subjective: appointmentNotes.subjective, objective: appointmentNotes.objective, assessment: appointmentNotes.assessment, plan: appointmentNotes.plan })
      .from(appointmentNotes)
      .where(eq(appointmentNotes.reservationId, appointment.id))
      .orderBy(desc(appointmentNotes.version))
      .limit(1);
    // Nothing typed, or exactly what is saved (a draft kept just after its save): no draft.
    if (NOTE_FIELDS.every((f) => content[f] === '') || (latest && changedFields(latest, content).length === 0)) {
      await tx.delete(noteDrafts).where(mine);
      return { savedAt: now };
    }
    await tx
      .insert(noteDrafts)
      .values({ reservationId: appointment.id, authorId: actor!.userId, profileId, baseVersion, ...content, updatedAt: now })
      .onConflictDoUpdate({ target: [noteDrafts.reservationId, noteDrafts.authorId], set: { baseVersion, ...content, updatedAt: now } });
    return { savedAt: now };
  });
}

/** The actor's own draft of this appointment's note, if any. */
export async function readNoteDraft(actor: Actor | null, profileId: string, input: AppointmentRef, opts?: CallOptions): Promise<NoteDraft | null> {
  authorize(actor, profileId, 'notes.write');
  const { reservationId } = parseInput(appointmentRef, input);
  const db = await executor(opts);
  const appointment = await appointmentOf(db, profileId, reservationId);
  const [draft] = await db
    .select({
      baseVersion: noteDrafts.baseVersion,
      subjective: noteDrafts.subjective,
      objective: noteDrafts.objective,
      assessment: noteDrafts.assessment,
      plan: noteDrafts.plan,
      updatedAt: noteDrafts.updatedAt,
    })
    .from(noteDrafts)
    .where(and(eq(noteDrafts.reservationId, appointment.id), eq(noteDrafts.authorId, actor!.userId), eq(noteDrafts.profileId, profileId)))
    .limit(1);
  return draft ?? null;
}

export type SaveOutcome = { saved: true; version: number } | { saved: false; message: string; theirs: NoteContent & { version: number } };

/** saveNote for the editor: a conflict is an answer (with the other version's text), not an error. */
export async function saveNoteOrCompare(actor: Actor | null, profileId: string, input: SaveNoteInput, opts?: CallOptions): Promise<SaveOutcome> {
  try {
    const { version } = await saveNote(actor, profileId, input, opts);
    return { saved: true, version };
  } catch (err) {
    if (isDomainError(err) && err.code === 'conflict' && err.extra?.theirs) {
      return { saved: false, message: err.message, theirs: err.extra.theirs as NoteContent & { version: number } };
    }
    throw err;
  }
}
