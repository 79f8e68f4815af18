import { beforeAll, describe, expect, it, vi } from 'vitest';
import { and, eq } from 'drizzle-orm';
import type { DbHandle } from '@/db/client';
import { auditLog, noteDrafts, reservations } from '@/db/schema';
import { saveNoteAction, saveNoteDraftAction } from '@/app/dashboard/appointments/[id]/note-actions';
import { approveRequest } from '@/lib/approval';
import type { Actor } from '@/lib/auth/actor';
import { localDateOf } from '@/lib/availability/time';
import { readNoteDraft, readNoteHistory, saveNote, saveNoteDraft, saveNoteOrCompare } from '@/lib/notes';
import { setupTestDb } from '../helpers/db';
import { actorByEmail } from '../helpers/actors';
import { createTestRequest, demoPractice, freeStarts, requestBody, testAddress } from '../helpers/booking';
import { addMember } from '../helpers/members';

const session = vi.hoisted(() => ({ actor: null as Actor | null }));
vi.mock('@/lib/auth/session', () => ({
  currentActor: async () => session.actor,
  requireActor: async () => session.actor,
  currentPractice: async () => undefined,
}));
vi.mock('next/cache', () => ({ revalidatePath: () => undefined }));

let handle: DbHandle;
let demoId: string;
let doctor: Actor;
let colleague: Actor;
let pool: Date[];
const TZ = 'Europe/Madrid';
const empty = { subjective: '', objective: '', assessment: '', plan: '' };

function form(values: Record<string, string>): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(values)) f.set(k, v);
  return f;
}

async function appointment(): Promise<{ id: string; startsAt: Date }> {
  const start = pool.shift()!;
  const demo = await demoPractice(handle.db);
  const created = await createTestRequest({ clientAddress: testAddress(), baseUrl: 'http://localhost' }, 'demo', requestBody(demo.byMinutes(30).id, start));
  const { reservationId } = await approveRequest(doctor, demoId, { requestId: created.id });
  return { id: reservationId, startsAt: start };
}

/** Early on the appointment's own day (local), before it starts. */
function morningOf(start: Date): Date {
  const day = localDateOf(start, TZ);
  let t = new Date(start.getTime() - 60_000);
  while (localDateOf(new Date(t.getTime() - 3_600_000), TZ) === day && start.getTime() - t.getTime() < 6 * 3_600_000) t = new Date(t.getTime() - 3_600_000);
  return t;
}

beforeAll(async () => {
  handle = await setupTestDb();
  demoId = (await demoPractice(handle.db)).profile.id;
  doctor = await actorByEmail(handle.db, 'doctor@demo.test');
  colleague = await addMember(handle.db, demoId, ['doctor'], 'Dr. Colleague');
  pool = await freeStarts(handle.db, demoId, 30, 10, 30);
});

describe('note drafts and conflicts', () => {
  it('a note may be started on the appointment’s day, before it begins, but not the day before', async () => {
    const a = await appointment();
    const morning = morningOf(a.startsAt);
    expect(morning < a.startsAt).toBe(true);
    expect(await saveNote(doctor, demoId, { reservationId: a.id, baseVersion: 0, ...empty, subjective: 'Prepared before the visit' }, { now: morning })).toEqual({ version: 1 });
    await expect(
      saveNoteDraft(doctor, demoId, { reservationId: a.id, baseVersion: 1, ...empty, plan: 'x' }, { now: new Date(a.startsAt.getTime() - 2 * 86_400_000) }),
    ).rejects.toMatchObject({ code: 'conflict' });
  });

  it('a draft is kept per author, replaced as they type, never a version, and gone once saved', async () => {
    const a = await appointment();
    const during = new Date(a.startsAt.getTime() + 60_000);
    await saveNoteDraft(doctor, demoId, { reservationId: a.id, baseVersion: 0, ...empty, subjective: 'Cou' }, { now: during });
    await saveNoteDraft(doctor, demoId, { reservationId: a.id, baseVersion: 0, ...empty, subjective: 'Cough for a week' }, { now: during });
    expect(await readNoteDraft(doctor, demoId, { reservationId: a.id })).toMatchObject({ subjective: 'Cough for a week', baseVersion: 0 });
    // Another doctor does not see it; no version exists; no write was audited.
    expect(await readNoteDraft(colleague, demoId, { reservationId: a.id })).toBeNull();
    expect(await readNoteHistory(doctor, demoId, { reservationId: a.id })).toEqual([]);
    const writes = await handle.db.select().from(auditLog).where(and(eq(auditLog.entityId, a.id), eq(auditLog.action, 'note.written')));
    expect(writes).toEqual([]);
    const rows = await handle.db.select().from(noteDrafts).where(eq(noteDrafts.reservationId, a.id));
    expect(rows).toHaveLength(1);

    await saveNote(doctor, demoId, { reservationId: a.id, baseVersion: 0, ...empty, subjective: 'Cough for a week' }, { now: during });
    expect(await readNoteDraft(doctor, demoId, { reservationId: a.id })).toBeNull();
    // A draft equal to the saved version (kept a moment after the save) is not kept.
    await saveNoteDraft(doctor, demoId, { reservationId: a.id, baseVersion: 1, ...empty, subjective: 'Cough for a week' }, { now: during });
    expect(await readNoteDraft(doctor, demoId, { reservationId: a.id })).toBeNull();
  });

  it('two doctors edit at once: the second gets both texts, merges, and no text is lost', async () => {
    const a = await appointment();
    const during = new Date(a.startsAt.getTime() + 60_000);
    const mine = { ...empty, subjective: 'Headache since Monday', plan: 'Ibuprofen' };
    const theirs = { ...empty, subjective: 'Headache since Monday', objective: 'BP 150/95', plan: 'Check blood pressure in a week' };
    expect(await saveNoteOrCompare(colleague, demoId, { reservationId: a.id, baseVersion: 0, ...theirs }, { now: during })).toEqual({ saved: true, version: 1 });
    const second = await saveNoteOrCompare(doctor, demoId, { reservationId: a.id, baseVersion: 0, ...mine }, { now: during });
    expect(second).toMatchObject({ saved: false, theirs: { version: 1, ...theirs } });
    // Nothing of theirs was overwritten.
    const [v1] = await readNoteHistory(doctor, demoId, { reservationId: a.id });
    expect(v1).toMatchObject({ version: 1, objective: 'BP 150/95' });
    // Merged (plan: both; objective: theirs) and saved against their version.
    const merged = { ...mine, objective: theirs.objective, plan: `${theirs.plan}\n${mine.plan}` };
    expect(await saveNoteOrCompare(doctor, demoId, { reservationId: a.id, baseVersion: 1, ...merged }, { now: during })).toEqual({ saved: true, version: 2 });
    const [v2] = await readNoteHistory(doctor, demoId, { reservationId: a.id });
    expect(v2.plan).toContain('Check blood pressure in a week');
    expect(v2.plan).toContain('Ibuprofen');
  });

  it('through the actions: a conflict carries their text back to the form; drafts are the doctors’ only', async () => {
    const a = await appointment();
    // The actions run at the real time: this appointment is moved to an hour ago.
    await handle.db
      .update(reservations)
      .set({ startsAt: new Date(Date.now() - 3_600_000), endsAt: new Date(Date.now() - 1_800_000) })
      .where(eq(reservations.id, a.id));
    await saveNote(colleague, demoId, { reservationId: a.id, baseVersion: 0, ...empty, assessment: 'Migraine' });
    session.actor = doctor;
    const state = await saveNoteAction(undefined, form({ profileId: demoId, reservationId: a.id, baseVersion: '0', assessment: 'Tension headache' }));
    expect(state.error).toMatch(/Your text is kept/);
    expect(state.values).toMatchObject({ 'theirs.version': '1', 'theirs.assessment': 'Migraine' });
    const draft = await saveNoteDraftAction(undefined, form({ profileId: demoId, reservationId: a.id, baseVersion: '1', assessment: 'Tension headache' }));
    expect(draft.ok).toBe(true);

    const desk = await addMember(handle.db, demoId, ['front_desk']);
    session.actor = desk;
    const refused = await saveNoteDraftAction(undefined, form({ profileId: demoId, reservationId: a.id, baseVersion: '1', assessment: 'x' }));
    expect(refused.error).toMatch(/Only the practice’s doctors/);
    const admin = await actorByEmail(handle.db, 'admin@demo.test');
    await expect(readNoteDraft(admin, demoId, { reservationId: a.id })).rejects.toMatchObject({ code: 'forbidden' });
    const other = await actorByEmail(handle.db, 'doctor2@demo.test');
    await expect(readNoteDraft(other, other.memberships[0].profileId, { reservationId: a.id })).rejects.toMatchObject({ code: 'not_found' });
  });
});
