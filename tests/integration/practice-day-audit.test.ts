import { beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import type { DbHandle } from '@/db/client';
import { auditLog } from '@/db/schema';
import { approveRequest } from '@/lib/approval';
import { actionInWords, listAuditLines } from '@/lib/audit/people';
import type { Actor } from '@/lib/auth/actor';
import { readNoteHistory } from '@/lib/notes';
import { setupTestDb } from '../helpers/db';
import { actorByEmail } from '../helpers/actors';
import { createTestRequest, demoPractice, freeStarts, requestBody, testAddress, testPhone } from '../helpers/booking';

let handle: DbHandle;
let demoId: string;
let doctor: Actor;
let admin: Actor;

beforeAll(async () => {
  handle = await setupTestDb();
  const demo = await demoPractice(handle.db);
  demoId = demo.profile.id;
  doctor = await actorByEmail(handle.db, 'doctor@demo.test');
  admin = await actorByEmail(handle.db, 'admin@demo.test');
});

describe('the audit trail for people', () => {
  it('names the patient with a link, says the action in words, and folds repeated reads within the hour (all still stored)', async () => {
    const demo = await demoPractice(handle.db);
    const [start] = await freeStarts(handle.db, demoId, 30, 1, 30);
    const created = await createTestRequest(
      { clientAddress: testAddress(), baseUrl: 'http://localhost' },
      'demo',
      requestBody(demo.byMinutes(30).id, start, { patient: { name: 'Audit Patient', phone: testPhone() } }),
    );
    const { reservationId } = await approveRequest(doctor, demoId, { requestId: created.id });
    for (let i = 0; i < 3; i++) await readNoteHistory(doctor, demoId, { reservationId });
    // One more read, but two hours before the others: not folded with them.
    await readNoteHistory(doctor, demoId, { reservationId });
    const reads = await handle.db
      .select({ id: auditLog.id })
      .from(auditLog)
      .where(and(eq(auditLog.action, 'note.read'), eq(auditLog.entityId, reservationId)))
      .orderBy(auditLog.id);
    expect(reads).toHaveLength(4);
    await handle.db.execute(sql`UPDATE audit_log SET created_at = created_at - interval '2 hours' WHERE id = ${reads[0].id}`);

    const { lines } = await listAuditLines(admin, demoId, { what: 'note' });
    const mine = lines.filter((l) => l.subject?.href === `/dashboard/appointments/${reservationId}`);
    expect(mine.map((l) => l.count)).toEqual([3, 1]);
    expect(mine[0]).toMatchObject({ words: 'Read a clinical note', who: 'Dr. Ana García', subject: { label: 'Audit Patient’s appointment' } });
    expect(mine[0].since).not.toBeNull();
    // Still four rows stored.
    expect(await handle.db.select({ id: auditLog.id }).from(auditLog).where(and(eq(auditLog.action, 'note.read'), eq(auditLog.entityId, reservationId)))).toHaveLength(4);

    const { lines: requests } = await listAuditLines(admin, demoId, { what: 'request' });
    const approved = requests.find((l) => l.action === 'request.approved' && l.subject?.label === 'Audit Patient’s request')!;
    expect(approved).toMatchObject({ words: 'Approved a request', subject: { href: `/dashboard/appointments/${reservationId}` } });
    expect(approved.details).toMatchObject([{ label: 'Appointment', value: 'Audit Patient’s appointment', key: 'reservationId', subject: { kind: 'appointment', name: 'Audit Patient' } }]);
    expect(JSON.stringify(requests)).not.toContain(reservationId.slice(0, 8) + '"');
  });

  it('says unknown codes in words too, and is for admins only', async () => {
    expect(actionInWords('practice.settings_updated')).toBe('Changed the practice settings');
    expect(actionInWords('integration_key.revoked')).toBe('Integration key: revoked');
    await expect(listAuditLines(doctor, demoId)).rejects.toMatchObject({ code: 'forbidden' });
    const other = await actorByEmail(handle.db, 'doctor2@demo.test');
    await expect(listAuditLines(other, demoId)).rejects.toMatchObject({ code: 'not_found' });
  });
});
