import { beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import type { DbHandle } from '@/db/client';
import { appointmentNotes, auditLog } from '@/db/schema';
import { approveRequest } from '@/lib/approval';
import { listAuditEntries } from '@/lib/audit/query';
import { noteSummary, readNoteHistory, saveNote, type NoteContent } from '@/lib/notes';
import type { Actor } from '@/lib/auth/actor';
import { setupTestDb } from '../helpers/db';
import { actorByEmail } from '../helpers/actors';
import { demoPractice, freeStarts, requestBody, testAddress, createTestRequest } from '../helpers/booking';

let handle: DbHandle;
let profileId: string;
let reservationId: string;
let startsAt: Date;
const note = (s: string): NoteContent => ({ subjective: `${s}: cough for two weeks`, objective: 'Temp 37.8 °C', assessment: 'Acute bronchitis', plan: 'Rest, fluids' });

/** A save as the note form posts it: the four sections and the version edited. */
function save(actor: Actor, content: NoteContent, baseVersion: number, now?: Date, practiceId = profileId) {
  return saveNote(actor, practiceId, { reservationId, baseVersion, ...content }, { now });
}

async function auditCount(action: string) {
  const rows = await handle.db.select({ id: auditLog.id }).from(auditLog).where(and(eq(auditLog.action, action), eq(auditLog.entityId, reservationId)));
  return rows.length;
}

beforeAll(async () => {
  handle = await setupTestDb();
  const demo = await demoPractice(handle.db);
  const [start] = await freeStarts(handle.db, demo.profile.id, 30, 1);
  startsAt = start;
  const created = await createTestRequest({ clientAddress: testAddress(), baseUrl: 'http://localhost' }, 'demo', requestBody(demo.byMinutes(30).id, start));
  const doctor = await actorByEmail(handle.db, 'doctor@demo.test');
  profileId = demo.profile.id;
  reservationId = (await approveRequest(doctor, profileId, { requestId: created.id })).reservationId;
});

describe('clinical notes', () => {
  it('cannot be written before the day of the appointment (issue 16: from that day on, not only from its start)', async () => {
    const doctor = await actorByEmail(handle.db, 'doctor@demo.test');
    await expect(save(doctor, note('early'), 0, new Date(startsAt.getTime() - 2 * 86_400_000))).rejects.toMatchObject({ code: 'conflict' });
  });

  it('keeps every version: an edit leaves the earlier one intact and readable, and each read and write is audited', async () => {
    const doctor = await actorByEmail(handle.db, 'doctor@demo.test');
    const during = new Date(startsAt.getTime() + 5 * 60_000);
    expect(await save(doctor, note('v1'), 0, during)).toEqual({ version: 1 });
    expect(await auditCount('note.written')).toBe(1);
    const amended = { ...note('v1'), plan: 'Rest, fluids; chest X-ray if no better in a week' };
    expect(await save(doctor, amended, 1, new Date(during.getTime() + 60_000))).toEqual({ version: 2 });
    expect(await auditCount('note.amended')).toBe(1);

    const readsBefore = await auditCount('note.read');
    const history = await readNoteHistory(doctor, profileId, { reservationId });
    expect(await auditCount('note.read')).toBe(readsBefore + 1);
    expect(history.map((v) => v.version)).toEqual([2, 1]);
    expect(history[1].plan).toBe('Rest, fluids');
    expect(history[0].plan).toContain('chest X-ray');
    expect(history[0].changed).toEqual(['plan']);
    expect(history[0].authorName).toBe('Dr. Ana García');

    // Editing from a stale version is refused rather than replacing someone's text.
    await expect(save(doctor, note('stale'), 1, during)).rejects.toMatchObject({ code: 'conflict' });
    const rows = await handle.db.select().from(appointmentNotes).where(eq(appointmentNotes.reservationId, reservationId));
    expect(rows).toHaveLength(2);
  });

  it('an admin of the practice sees that a note exists but not its content', async () => {
    const admin = await actorByEmail(handle.db, 'admin@demo.test');
    await expect(readNoteHistory(admin, profileId, { reservationId })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(save(admin, note('admin'), 2)).rejects.toMatchObject({ code: 'forbidden' });
    const summary = await noteSummary(admin, profileId, { reservationId });
    expect(summary.versions).toBe(2);
    expect(JSON.stringify(summary)).not.toContain('cough');
  });

  it('a doctor of demo-2 can neither read nor write demo’s notes, and nothing changes', async () => {
    const doctor2 = await actorByEmail(handle.db, 'doctor2@demo.test');
    const before = await handle.db.select().from(appointmentNotes);
    // Named as demo's (not a member) and as their own practice's (no such appointment there).
    for (const practiceId of [profileId, doctor2.memberships[0].profileId]) {
      await expect(readNoteHistory(doctor2, practiceId, { reservationId })).rejects.toMatchObject({ code: 'not_found' });
      await expect(noteSummary(doctor2, practiceId, { reservationId })).rejects.toMatchObject({ code: 'not_found' });
      await expect(save(doctor2, note('intruder'), 2, new Date(startsAt.getTime() + 3_600_000), practiceId)).rejects.toMatchObject({ code: 'not_found' });
    }
    expect(await handle.db.select().from(appointmentNotes)).toEqual(before);
  });

  it('the audit trail lists note reads and writes without their contents, for admins only', async () => {
    const admin = await actorByEmail(handle.db, 'admin@demo.test');
    const doctor = await actorByEmail(handle.db, 'doctor@demo.test');
    const entries = await listAuditEntries(admin, profileId, { what: 'note' });
    expect(entries.map((e) => e.action)).toEqual(expect.arrayContaining(['note.written', 'note.amended', 'note.read']));
    expect(JSON.stringify(entries)).not.toMatch(/cough|bronchitis|X-ray/);
    const signIns = await listAuditEntries(admin, profileId, { what: 'request' });
    expect(signIns.map((e) => e.action)).toEqual(expect.arrayContaining(['request.created', 'request.approved']));
    await expect(listAuditEntries(doctor, profileId)).rejects.toMatchObject({ code: 'forbidden' });
    const doctor2 = await actorByEmail(handle.db, 'doctor2@demo.test');
    await expect(listAuditEntries(doctor2, profileId)).rejects.toMatchObject({ code: 'not_found' });
  });
});
