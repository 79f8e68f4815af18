import { and, desc, eq, max, sql } from 'drizzle-orm';
import type { Db, Executor } from '@/db/client';
import { appointmentNotes, reservations, users } from '@/db/schema';
import { audit } from '@/lib/audit';
import { requireMembership, type Actor } from '@/lib/auth/actor';
import { DomainError, pgErrorCode } from '@/lib/errors';

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

/**
 * Every version of an appointment's clinical note, newest first, for a doctor of its practice.
 * Each read is written to the audit log.
 */
export async function readNoteHistory(db: Executor, actor: Actor, reservationId: string): Promise<NoteVersion[]> {
  const appointment = await appointmentFor(db, actor, reservationId, ['doctor']);
  const rows = await db
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
    .where(and(eq(appointmentNotes.reservationId, appointment.id), eq(appointmentNotes.profileId, appointment.profileId)))
    .orderBy(desc(appointmentNotes.version));
  await audit(db, {
    profileId: appointment.profileId,
    actorUserId: actor.userId,
    actorKind: 'user',
    action: 'note.read',
    entityType: 'reservation',
    entityId: appointment.id,
    details: { versions: rows.length },
  });
  return rows.map((row, i) => {
    const previous = rows[i + 1];
    const changed = NOTE_FIELDS.filter((f) => (previous ? previous[f] !== row[f] : row[f] !== ''));
    return { ...row, changed };
  });
}

/** For admins (and doctors): how many versions exist and when the last was written. No content. */
export async function noteSummary(db: Executor, actor: Actor, reservationId: string): Promise<NoteSummary> {
  const appointment = await appointmentFor(db, actor, reservationId, ['doctor', 'admin']);
  const [row] = await db
    .select({ versions: sql<number>`count(*)::int`, last: max(appointmentNotes.createdAt) })
    .from(appointmentNotes)
    .where(and(eq(appointmentNotes.reservationId, appointment.id), eq(appointmentNotes.profileId, appointment.profileId)));
  return { versions: Number(row?.versions ?? 0), lastWrittenAt: row?.last ? new Date(row.last) : null };
}

/**
 * Saves a new version of the note (nothing is ever overwritten). Allowed to doctors of the
 * practice from the appointment's start onward. `baseVersion` is the version the doctor was
 * editing: if someone saved in between, the save is refused rather than silently replacing theirs.
 */
export async function saveNote(
  db: Db,
  actor: Actor,
  reservationId: string,
  content: NoteContent,
  baseVersion: number,
  now: Date = new Date(),
): Promise<{ version: number }> {
  for (const f of NOTE_FIELDS) {
    if (typeof content[f] !== 'string' || content[f].length > MAX_NOTE_FIELD) {
      throw new DomainError('invalid_request', `The ${f} section is too long.`, { [f]: `At most ${MAX_NOTE_FIELD.toLocaleString('en')} characters.` });
    }
  }
  if (NOTE_FIELDS.every((f) => content[f].trim() === '')) {
    throw new DomainError('invalid_request', 'Write at least one section of the note.');
  }
  try {
    return await db.transaction(async (tx) => {
      const appointment = await appointmentFor(tx, actor, reservationId, ['doctor']);
      if (appointment.startsAt > now) {
        throw new DomainError('conflict', 'A note can be written from the appointment’s start onward.');
      }
      if (appointment.status === 'cancelled') throw new DomainError('conflict', 'This appointment was cancelled; there is nothing to document.');
      const [latest] = await tx
        .select({ version: appointmentNotes.version, subjective: appointmentNotes.subjective, objective: appointmentNotes.objective, assessment: appointmentNotes.assessment, plan: appointmentNotes.plan })
        .from(appointmentNotes)
        .where(eq(appointmentNotes.reservationId, appointment.id))
        .orderBy(desc(appointmentNotes.version))
        .limit(1);
      const current = latest?.version ?? 0;
      if (current !== baseVersion) {
        throw new DomainError('conflict', `Someone saved version ${current} while you were editing version ${baseVersion}. Copy your text, reload and apply it again.`);
      }
      if (latest && NOTE_FIELDS.every((f) => latest[f] === content[f])) {
        throw new DomainError('invalid_request', 'Nothing changed since the last version.');
      }
      const version = current + 1;
      await tx.insert(appointmentNotes).values({ profileId: appointment.profileId, reservationId: appointment.id, version, authorId: actor.userId, createdAt: now, ...content });
      await audit(tx, {
        profileId: appointment.profileId,
        actorUserId: actor.userId,
        actorKind: 'user',
        action: version === 1 ? 'note.written' : 'note.amended',
        entityType: 'reservation',
        entityId: appointment.id,
        // Which sections changed, never what they say.
        details: { version, changed: NOTE_FIELDS.filter((f) => (latest ? latest[f] !== content[f] : content[f] !== '')) },
      });
      return { version };
    });
  } catch (err) {
    if (pgErrorCode(err) === '23505') {
      throw new DomainError('conflict', 'Someone saved a new version at the same moment. Copy your text, reload and apply it again.');
    }
    throw err;
  }
}

async function appointmentFor(db: Executor, actor: Actor, reservationId: string, roles: readonly ('doctor' | 'admin')[]) {
  if (!/^[0-9a-f-]{36}$/i.test(reservationId)) throw new DomainError('not_found', 'No such appointment.');
  const [row] = await db
    .select({ id: reservations.id, profileId: reservations.profileId, startsAt: reservations.startsAt, status: reservations.status })
    .from(reservations)
    .where(eq(reservations.id, reservationId))
    .limit(1);
  if (!row || !actor.memberships.some((m) => m.profileId === row.profileId)) throw new DomainError('not_found', 'No such appointment.');
  const membership = requireMembership(actor, row.profileId);
  if (!roles.includes(membership.role)) {
    throw new DomainError('forbidden', 'Only the practice’s doctors can read or write clinical notes.');
  }
  return row;
}
