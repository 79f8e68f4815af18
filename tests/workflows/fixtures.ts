import { eq, sql } from 'drizzle-orm';
import { afterAll, vi } from 'vitest';
import type { Db, DbHandle } from '@/db/client';
import { medicalServices, profiles, reservationRequests } from '@/db/schema';
import { inngest } from '@/inngest/client';
import type { Actor } from '@/lib/auth/actor';
import type { CreatedRequest } from '@/lib/booking/create';
import { actorByEmail } from '../helpers/actors';
import { demoPractice, freeStarts, createTestRequest } from '../helpers/booking';
import { setupTestDb } from '../helpers/db';
import type { TestSmtpServer } from '../helpers/smtp';
import { startMessageStandIns, type TestWhatsAppApi } from '../helpers/whatsapp';

/**
 * This file's seeded database, with the engine's `send` stubbed (requests and the outbox sweep
 * send events after commit: nothing may leave the process), and the demo practice's services by name.
 */
export async function workflowDemo(): Promise<{ handle: DbHandle; demoId: string; serviceId: (name: string) => string }> {
  const handle = await setupTestDb();
  vi.spyOn(inngest, 'send').mockResolvedValue({ ids: [] } as never);
  const [{ id: demoId }] = await handle.db.select({ id: profiles.id }).from(profiles).where(eq(profiles.slug, 'demo'));
  const services = await handle.db.select({ id: medicalServices.id, name: medicalServices.name }).from(medicalServices).where(eq(medicalServices.profileId, demoId));
  return { handle, demoId, serviceId: (name) => services.find((s) => s.name === name)!.id };
}

export interface MessagingDemo {
  db: Db;
  smtp: TestSmtpServer;
  whatsapp: TestWhatsAppApi;
  doctor: Actor;
  demoId: string;
  /** General consultation (30 minutes). */
  serviceId: string;
  /** Free 30-minute starts at least 30 hours ahead, so both reminders are still to come at approval. */
  starts: Date[];
}

/**
 * As `workflowDemo`, with the SMTP and WhatsApp stand-ins (closed after the file) and WhatsApp
 * switched on for the demo practice.
 */
export async function messagingDemo(count: number): Promise<MessagingDemo> {
  const { handle, demoId } = await workflowDemo();
  const { db } = handle;
  const standIns = await startMessageStandIns({ phoneNumberId: '555', appUrl: null });
  afterAll(() => standIns.close());
  await db.update(profiles).set({ whatsappEnabled: true }).where(eq(profiles.id, demoId));
  const { byMinutes } = await demoPractice(db);
  return {
    db,
    smtp: standIns.smtp,
    whatsapp: standIns.whatsapp,
    doctor: await actorByEmail(db, 'doctor@demo.test'),
    demoId,
    serviceId: byMinutes(30).id,
    starts: await freeStarts(db, demoId, 30, count, 30),
  };
}

/**
 * A real request to the demo practice through lib/booking, the `n`th of a test file: its own
 * name, phone and address (`prefix` keeps files apart), so no rate limit trips.
 */
export function demoRequest(n: number, serviceId: string, startsAt: Date, who: { name: string; phone: string; address: string }): Promise<CreatedRequest> {
  return createTestRequest({ clientAddress: `${who.address}.${n}`, baseUrl: 'http://localhost' }, 'demo', {
    serviceId,
    startsAt: startsAt.toISOString(),
    patient: { name: `${who.name} ${n}`, phone: `${who.phone}${String(n).padStart(7, '0')}` },
    consent: true,
  });
}

/** "The deadline passes": moves the request's expires_at a minute into the past. */
export async function passDeadline(db: Db, requestId: string): Promise<Date> {
  const moved = await db.execute<{ expires_at: string | Date }>(sql`
    UPDATE reservation_requests SET expires_at = now() - interval '1 minute' WHERE id = ${requestId} RETURNING expires_at`);
  return new Date(moved.rows[0].expires_at);
}

/** The request's status as stored. */
export async function storedStatus(db: Db, requestId: string) {
  const [row] = await db.select({ status: reservationRequests.status }).from(reservationRequests).where(eq(reservationRequests.id, requestId));
  return row.status;
}
