import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Db, DbHandle } from '@/db/client';
import { notifications, profiles } from '@/db/schema';
import { inngest } from '@/inngest/client';
import { approveRequest } from '@/lib/approval';
import { proposeTimes } from '@/lib/proposals';
import type { Actor } from '@/lib/auth/actor';
import { sendNotificationByKey } from '@/lib/notifications';
import type { NotificationPayload } from '@/lib/notifications/kinds';
import { actorByEmail } from '../helpers/actors';
import { createTestRequest, demoPractice, freeStarts } from '../helpers/booking';
import { setupTestDb } from '../helpers/db';
import { startMessageStandIns, type MessageStandIns, type TestWhatsAppApi } from '../helpers/whatsapp';

/**
 * Issue 17: every message to a patient is written in the request's language (the page they asked
 * from), messages to the practice in the practice's default. Rendered by the real lib functions on
 * the real database: subject, body, the .ics SUMMARY/DESCRIPTION and the WhatsApp template's
 * language, as the Cloud API stand-in receives it.
 */

const APP = 'http://localhost:3000';
let handle: DbHandle;
let db: Db;
let standIns: MessageStandIns;
let whatsapp: TestWhatsAppApi;
let doctor: Actor;
let demoId: string;
let serviceId: string;
let starts: Date[];

beforeAll(async () => {
  handle = await setupTestDb();
  db = handle.db;
  await db.update(profiles).set({ requestDigestMinutes: 0, whatsappEnabled: true, defaultLocale: 'es' }).where(eq(profiles.slug, 'demo'));
  vi.spyOn(inngest, 'send').mockResolvedValue({ ids: [] } as never);
  vi.spyOn(console, 'info').mockImplementation(() => undefined);
  standIns = await startMessageStandIns({ phoneNumberId: '1098765', appUrl: APP });
  ({ whatsapp } = standIns);
  doctor = await actorByEmail(db, 'doctor@demo.test');
  const { profile, byMinutes } = await demoPractice(db);
  demoId = profile.id;
  serviceId = byMinutes(30).id;
  starts = await freeStarts(db, profile.id, 30, 5, 36);
});

afterAll(async () => {
  await standIns?.close();
});

async function book(n: number, locale?: 'es' | 'en') {
  return createTestRequest({ clientAddress: `192.0.2.${50 + n}`, baseUrl: APP }, 'demo', {
    serviceId,
    startsAt: starts[n].toISOString(),
    patient: { name: `Lucía Idioma ${n}`, phone: `+346610000${n}`, email: `idioma${n}@example.com` },
    consent: true,
    ...(locale ? { locale } : {}),
  });
}

async function message(requestId: string, kind: string, channel: 'email' | 'whatsapp') {
  const [row] = await db
    .select()
    .from(notifications)
    .where(and(eq(notifications.requestId, requestId), eq(notifications.kind, kind as never), eq(notifications.channel, channel)));
  return { ...row, payload: row.payload as NotificationPayload };
}

/** The .ics's unfolded lines (RFC 5545 folds at 75 octets). */
function icsText(payload: NotificationPayload): string {
  return payload.attachments![0].content.replace(/\r\n[ \t]/g, '');
}

describe('messages in the patient’s language', () => {
  it('a Spanish request: receipt, confirmation, .ics and WhatsApp template in Spanish; the practice’s notice in its default', async () => {
    const r = await book(0, 'es');
    const received = await message(r.id, 'received', 'email');
    expect(received.subject).toMatch(/^Solicitud recibida: General consultation, (lunes|martes|miércoles|jueves|viernes|sábado|domingo), \d{1,2} de [a-z]+ de \d{4}, \d{2}:\d{2} \(hora de Madrid\)$/);
    expect(received.body).toContain('Hola, Lucía Idioma 0:');
    expect(received.body).toContain('Todavía no es una cita: la consulta le responderá antes del ');
    const wa = await message(r.id, 'received', 'whatsapp');
    expect(wa.payload.whatsapp!.language).toBe('es');
    expect(wa.payload.whatsapp!.parameters[2]).toMatch(/\(hora de Madrid\)$/);
    expect((await message(r.id, 'new_request', 'email')).subject).toMatch(/^Nueva solicitud: Lucía Idioma 0, General consultation, /);

    await approveRequest(doctor, demoId, { requestId: r.id });
    const approved = await message(r.id, 'approved', 'email');
    expect(approved.subject).toMatch(/^Cita confirmada: General consultation, /);
    expect(approved.body).toContain('Dr. Ana García ha confirmado su cita:');
    expect(approved.body).toMatch(/\d{2}:\d{2}–\d{2}:\d{2} \(hora de Madrid\)/);
    const ics = icsText(approved.payload);
    expect(ics).toContain('SUMMARY:General consultation: Dr. Ana García');
    expect(ics).toMatch(/DESCRIPTION:General consultation con Dr. Ana García\\, .+ \(hora de Madrid\)\. Teléfono: \+34910000000\./);

    // What the Cloud API receives: the template's language.code per message.
    const sent = await message(r.id, 'approved', 'whatsapp');
    await sendNotificationByKey(sent.dedupeKey);
    const [call] = whatsapp.acceptedTo('+3466100000');
    expect(call.body).toMatchObject({ type: 'template', template: { name: 'tpl_approved', language: { code: 'es' } } });
  });

  it('an English request at the same practice: English to the patient, Spanish to the practice', async () => {
    const r = await book(1, 'en');
    const received = await message(r.id, 'received', 'email');
    expect(received.subject).toMatch(/^Request received: General consultation, .+ \(Europe\/Madrid\)$/);
    expect(received.body).toContain('Hello Lucía Idioma 1,');
    expect((await message(r.id, 'received', 'whatsapp')).payload.whatsapp!.language).toBe('en');
    expect((await message(r.id, 'new_request', 'email')).body).toContain('pide General consultation para el ');

    await approveRequest(doctor, demoId, { requestId: r.id });
    const approved = await message(r.id, 'approved', 'email');
    expect(approved.subject).toMatch(/^Appointment confirmed: /);
    expect(icsText(approved.payload)).toMatch(/DESCRIPTION:General consultation with Dr. Ana García\\, .+\. Phone \+34910000000\./);
  });

  it('a request with no language follows the practice’s default', async () => {
    const r = await book(2);
    expect((await message(r.id, 'received', 'email')).subject).toMatch(/^Solicitud recibida: /);
  });

  it('other times offered to a Spanish request: the e-mail in Spanish, its zone named for people', async () => {
    const r = await book(3, 'es');
    await proposeTimes(doctor, demoId, { requestId: r.id, startsAt: [starts[4].toISOString()] });
    const offered = await message(r.id, 'proposed', 'email');
    expect(offered.subject).toBe('Dr. Ana García le ofrece otras horas para su cita');
    expect(offered.body).toContain('Hola, Lucía Idioma 3:');
    expect(offered.body).toContain('Dr. Ana García no puede atenderle a la hora que pidió, pero le ofrece:');
    expect(offered.body).toMatch(/ {2}• (lunes|martes|miércoles|jueves|viernes|sábado|domingo), \d{1,2} de [a-z]+, \d{2}:\d{2} \(hora de Madrid\)/);
    expect(offered.body).toContain('Le reservamos estas horas hasta el ');
  });
});
