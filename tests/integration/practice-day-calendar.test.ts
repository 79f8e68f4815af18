import { beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '@/db/client';
import { agendaRange } from '@/components/appointments/agenda-range';
import { bookPhoneIn, listCalendar, type CalendarEntry } from '@/lib/appointments';
import type { Actor } from '@/lib/auth/actor';
import { blockTime } from '@/lib/availability/blocks';
import { localDateOf } from '@/lib/availability/time';
import { proposeTimes } from '@/lib/proposals';
import { setupTestDb } from '../helpers/db';
import { actorByEmail } from '../helpers/actors';
import { createTestRequest, demoPractice, freeStarts, requestBody, testAddress, testPhone } from '../helpers/booking';
import { addMember } from '../helpers/members';

let handle: DbHandle;
let demoId: string;
let serviceId: string;
let doctor: Actor;
let frontDesk: Actor;
const TZ = 'Europe/Madrid';

beforeAll(async () => {
  handle = await setupTestDb();
  const demo = await demoPractice(handle.db);
  demoId = demo.profile.id;
  serviceId = demo.byMinutes(30).id;
  doctor = await actorByEmail(handle.db, 'doctor@demo.test');
  frontDesk = await addMember(handle.db, demoId, ['front_desk']);
});

const at = (entries: CalendarEntry[], start: Date) => entries.filter((e) => e.startsAt.getTime() <= start.getTime() && e.endsAt.getTime() > start.getTime());

describe('the agenda as a calendar', () => {
  it('shows a week’s appointments, held and offered times, blocks and free times on their local dates', async () => {
    // Five free 30-minute starts on one day, some days ahead.
    const candidates = await freeStarts(handle.db, demoId, 30, 200, 72);
    const byDay = new Map<string, Date[]>();
    for (const s of candidates) byDay.set(localDateOf(s, TZ), [...(byDay.get(localDateOf(s, TZ)) ?? []), s]);
    const [date, starts] = [...byDay].find(([, list]) => list.length >= 5)!;
    const [booked, held, asked, offered, blocked] = starts;

    const appointment = await bookPhoneIn(frontDesk, demoId, {
      serviceId,
      startsAt: booked.toISOString(),
      patient: { name: 'Grid Appointment', phone: testPhone() },
      consent: true,
    });
    const pending = await createTestRequest({ clientAddress: testAddress(), baseUrl: 'http://localhost' }, 'demo', requestBody(serviceId, held, { patient: { name: 'Grid Held', phone: testPhone() } }));
    const toOffer = await createTestRequest({ clientAddress: testAddress(), baseUrl: 'http://localhost' }, 'demo', requestBody(serviceId, asked, { patient: { name: 'Grid Offered', phone: testPhone() } }));
    await proposeTimes(doctor, demoId, { requestId: toOffer.id, startsAt: [offered.toISOString()] });
    await blockTime(doctor, demoId, { from: blocked.toISOString(), to: new Date(blocked.getTime() + 30 * 60_000).toISOString(), reason: 'Staff meeting' });

    const range = agendaRange({ view: 'week', date }, TZ);
    const days = await listCalendar(frontDesk, demoId, { from: range.from, to: range.to, dates: range.days });
    expect(days.map((d) => d.date)).toEqual(range.days);
    const day = days.find((d) => d.date === date)!;

    expect(at(day.entries, booked)).toEqual([expect.objectContaining({ kind: 'appointment', reservationId: appointment.reservationId, patientName: 'Grid Appointment' })]);
    expect(at(day.entries, held)).toEqual([expect.objectContaining({ kind: 'held', requestId: pending.id, patientName: 'Grid Held', offered: false })]);
    expect(at(day.entries, offered)).toEqual([expect.objectContaining({ kind: 'held', requestId: toOffer.id, offered: true })]);
    // The asked-for time was given back when other times were offered.
    expect(at(day.entries, asked).map((e) => e.kind)).toEqual(['free']);
    expect(at(day.entries, blocked)).toEqual([expect.objectContaining({ kind: 'blocked', reason: 'Staff meeting' })]);
    // Held and blocked ranges are one entry each (30 minutes), free times one per slot.
    const heldEntry = at(day.entries, held)[0];
    expect(heldEntry.endsAt.getTime() - heldEntry.startsAt.getTime()).toBe(30 * 60_000);
    expect(day.entries.filter((e) => e.kind === 'free').every((e) => e.endsAt.getTime() - e.startsAt.getTime() === 15 * 60_000)).toBe(true);
    // In time order, and every entry on the day it starts in the practice's zone.
    const times = day.entries.map((e) => e.startsAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(days.every((d) => d.entries.every((e) => localDateOf(e.startsAt, TZ) === d.date))).toBe(true);
  });

  it('is the practice’s own: another practice is not found, signed out is refused', async () => {
    const range = agendaRange({ view: 'week' }, TZ);
    const other = await actorByEmail(handle.db, 'doctor2@demo.test');
    await expect(listCalendar(other, demoId, { from: range.from, to: range.to, dates: range.days })).rejects.toMatchObject({ code: 'not_found' });
    await expect(listCalendar(null, demoId, { from: range.from, to: range.to, dates: range.days })).rejects.toMatchObject({ code: 'unauthorized' });
  });
});
