import { describe, expect, it } from 'vitest';
import {
  bookableStarts,
  generateSlots,
  slotsNeeded,
  type BookableSlot,
  type ExceptionInput,
  type RuleInput,
  type SlotInterval,
} from '../../lib/availability/generate';
import {
  addDays,
  isoWeekday,
  isValidTimeZone,
  localDateOf,
  todayIn,
  utcToZonedParts,
  zonedLocalToUtc,
} from '../../lib/availability/time';

const MADRID = 'Europe/Madrid';
const NEW_YORK = 'America/New_York';

function everyDay(startTime: string, endTime: string, extra: Partial<RuleInput> = {}): RuleInput[] {
  return [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({
    weekday,
    startTime,
    endTime,
    serviceIds: null,
    validFrom: null,
    validUntil: null,
    ...extra,
  }));
}

function generate(
  rules: RuleInput[],
  timeZone: string,
  fromDate: string,
  toDate = fromDate,
  exceptions: ExceptionInput[] = [],
  slotMinutes = 30,
): SlotInterval[] {
  return generateSlots({ rules, exceptions, timeZone, slotMinutes, fromDate, toDate });
}

const iso = (slots: SlotInterval[]) => slots.map((s) => s.startsAt.toISOString());
const localTimes = (slots: SlotInterval[], tz: string) =>
  slots.map((s) => utcToZonedParts(s.startsAt, tz).time);

function expectWellFormed(slots: SlotInterval[], slotMinutes: number) {
  for (let i = 0; i < slots.length; i++) {
    expect(slots[i].endsAt.getTime() - slots[i].startsAt.getTime()).toBe(slotMinutes * 60_000);
    if (i > 0) {
      expect(slots[i].startsAt.getTime()).toBeGreaterThan(slots[i - 1].startsAt.getTime());
      expect(slots[i].startsAt.getTime()).toBeGreaterThanOrEqual(slots[i - 1].endsAt.getTime());
    }
  }
}

describe('time helpers', () => {
  it('converts wall-clock time to UTC on both sides of a change', () => {
    expect(zonedLocalToUtc('2026-03-28', '09:00', MADRID)?.toISOString()).toBe('2026-03-28T08:00:00.000Z');
    expect(zonedLocalToUtc('2026-03-30', '09:00:00', MADRID)?.toISOString()).toBe('2026-03-30T07:00:00.000Z');
    expect(zonedLocalToUtc('2026-03-07', '09:00', NEW_YORK)?.toISOString()).toBe('2026-03-07T14:00:00.000Z');
    expect(zonedLocalToUtc('2026-03-09', '09:00', NEW_YORK)?.toISOString()).toBe('2026-03-09T13:00:00.000Z');
    expect(zonedLocalToUtc('2026-06-01', '00:00', 'UTC')?.toISOString()).toBe('2026-06-01T00:00:00.000Z');
    expect(zonedLocalToUtc('2026-06-01', '24:00', 'Asia/Kolkata')?.toISOString()).toBe('2026-06-01T18:30:00.000Z');
  });

  it('returns null for a time in the spring-forward gap', () => {
    expect(zonedLocalToUtc('2026-03-29', '02:00', MADRID)).toBeNull();
    expect(zonedLocalToUtc('2026-03-29', '02:59:59', MADRID)).toBeNull();
    expect(zonedLocalToUtc('2026-03-29', '03:00', MADRID)?.toISOString()).toBe('2026-03-29T01:00:00.000Z');
    expect(zonedLocalToUtc('2026-03-08', '02:30', NEW_YORK)).toBeNull();
  });

  it('returns the first occurrence of a repeated time', () => {
    expect(zonedLocalToUtc('2026-10-25', '02:30', MADRID)?.toISOString()).toBe('2026-10-25T00:30:00.000Z');
    expect(zonedLocalToUtc('2026-11-01', '01:30', NEW_YORK)?.toISOString()).toBe('2026-11-01T05:30:00.000Z');
    expect(zonedLocalToUtc('2026-11-01', '02:00', NEW_YORK)?.toISOString()).toBe('2026-11-01T07:00:00.000Z');
  });

  it('rejects malformed input', () => {
    expect(() => zonedLocalToUtc('2026-02-30', '09:00', MADRID)).toThrow(RangeError);
    expect(() => zonedLocalToUtc('2026-02-01', '9:00', MADRID)).toThrow(RangeError);
    expect(() => zonedLocalToUtc('2026-02-01', '24:30', MADRID)).toThrow(RangeError);
  });

  it('splits an instant into local parts', () => {
    expect(utcToZonedParts(new Date('2026-10-24T23:30:00Z'), MADRID)).toEqual({
      date: '2026-10-25',
      time: '01:30',
      weekday: 7,
    });
    expect(utcToZonedParts(new Date('2026-11-01T06:30:00Z'), NEW_YORK)).toEqual({
      date: '2026-11-01',
      time: '01:30',
      weekday: 7,
    });
    expect(localDateOf(new Date('2026-01-01T03:00:00Z'), NEW_YORK)).toBe('2025-12-31');
    expect(todayIn('Pacific/Kiritimati', new Date('2026-01-01T11:00:00Z'))).toBe('2026-01-02');
  });

  it('does calendar arithmetic on dates', () => {
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2026-03-28', 2)).toBe('2026-03-30');
    expect(isoWeekday('2026-03-29')).toBe(7);
    expect(isoWeekday('2026-03-30')).toBe(1);
    expect(isoWeekday('2026-11-01')).toBe(7);
  });

  it('validates time zones', () => {
    expect(isValidTimeZone(MADRID)).toBe(true);
    expect(isValidTimeZone(NEW_YORK)).toBe(true);
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(isValidTimeZone('Europe/Atlantis')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
    expect(isValidTimeZone('not a zone')).toBe(false);
  });
});

describe('generateSlots across DST changes', () => {
  const cases: { tz: string; day: string; utcNine: [string, string, string] }[] = [
    { tz: MADRID, day: '2026-03-29', utcNine: ['08:00', '07:00', '07:00'] },
    { tz: MADRID, day: '2026-10-25', utcNine: ['07:00', '08:00', '08:00'] },
    { tz: NEW_YORK, day: '2026-03-08', utcNine: ['14:00', '13:00', '13:00'] },
    { tz: NEW_YORK, day: '2026-11-01', utcNine: ['13:00', '14:00', '14:00'] },
  ];

  for (const { tz, day, utcNine } of cases) {
    it(`keeps a 09:00–12:00 rule at 09:00 local around ${day} in ${tz}`, () => {
      const days = [addDays(day, -1), day, addDays(day, 1)];
      const slots = generate(everyDay('09:00', '12:00'), tz, days[0], days[2]);
      expect(slots).toHaveLength(18);
      expectWellFormed(slots, 30);
      days.forEach((date, i) => {
        const ofDay = slots.filter((s) => utcToZonedParts(s.startsAt, tz).date === date);
        expect(localTimes(ofDay, tz)).toEqual(['09:00', '09:30', '10:00', '10:30', '11:00', '11:30']);
        expect(utcToZonedParts(ofDay[5].endsAt, tz).time).toBe('12:00');
        expect(ofDay[0].startsAt.toISOString()).toBe(`${date}T${utcNine[i]}:00.000Z`);
      });
    });
  }

  it('skips the missing hour in Madrid (01:00–04:00 on 2026-03-29)', () => {
    const slots = generate(everyDay('01:00', '04:00'), MADRID, '2026-03-29');
    // 01:30–02:00 ends in the gap, 02:00 and 02:30 do not exist.
    expect(iso(slots)).toEqual([
      '2026-03-29T00:00:00.000Z',
      '2026-03-29T01:00:00.000Z',
      '2026-03-29T01:30:00.000Z',
    ]);
    expect(localTimes(slots, MADRID)).toEqual(['01:00', '03:00', '03:30']);
    expectWellFormed(slots, 30);
  });

  it('skips the missing hour in New York (01:00–04:00 on 2026-03-08)', () => {
    const slots = generate(everyDay('01:00', '04:00'), NEW_YORK, '2026-03-08');
    expect(localTimes(slots, NEW_YORK)).toEqual(['01:00', '03:00', '03:30']);
    expect(iso(slots)).toEqual([
      '2026-03-08T06:00:00.000Z',
      '2026-03-08T07:00:00.000Z',
      '2026-03-08T07:30:00.000Z',
    ]);
    expectWellFormed(slots, 30);
  });

  it('gives nothing for a rule covering only the missing hour', () => {
    expect(generate(everyDay('02:00', '03:00'), MADRID, '2026-03-29')).toEqual([]);
    expect(generate(everyDay('02:00', '03:00'), NEW_YORK, '2026-03-08')).toEqual([]);
    expect(generate(everyDay('02:00', '03:00'), MADRID, '2026-03-30')).toHaveLength(2);
  });

  it('skips a longer slot that would straddle the gap', () => {
    const slots = generate(everyDay('00:30', '05:00'), MADRID, '2026-03-29', undefined, [], 90);
    // 00:30–02:00 ends in the gap; 02:00 does not exist; 03:30–05:00 is whole.
    expect(localTimes(slots, MADRID)).toEqual(['03:30']);
    expectWellFormed(slots, 90);
  });

  it('does not repeat or overlap slots in the repeated hour in Madrid (2026-10-25)', () => {
    const slots = generate(everyDay('01:00', '04:00'), MADRID, '2026-10-25');
    expectWellFormed(slots, 30);
    expect(localTimes(slots, MADRID)).toEqual(['01:00', '01:30', '02:00', '02:30', '03:00', '03:30']);
    expect(iso(slots)).toEqual([
      '2026-10-24T23:00:00.000Z',
      '2026-10-24T23:30:00.000Z',
      '2026-10-25T00:00:00.000Z',
      '2026-10-25T00:30:00.000Z',
      '2026-10-25T02:00:00.000Z',
      '2026-10-25T02:30:00.000Z',
    ]);
    // The last slot of the first pass is cut to 30 minutes instead of running through the repeat.
    expect(slots[3].endsAt.toISOString()).toBe('2026-10-25T01:00:00.000Z');
  });

  it('does not repeat or overlap slots in the repeated hour in New York (2026-11-01)', () => {
    const slots = generate(everyDay('00:00', '04:00'), NEW_YORK, '2026-10-31', '2026-11-02');
    expectWellFormed(slots, 30);
    const ofDay = slots.filter((s) => utcToZonedParts(s.startsAt, NEW_YORK).date === '2026-11-01');
    expect(localTimes(ofDay, NEW_YORK)).toEqual([
      '00:00', '00:30', '01:00', '01:30', '02:00', '02:30', '03:00', '03:30',
    ]);
    expect(iso(ofDay).slice(2, 5)).toEqual([
      '2026-11-01T05:00:00.000Z',
      '2026-11-01T05:30:00.000Z',
      '2026-11-01T07:00:00.000Z',
    ]);
    expect(slots).toHaveLength(24);
  });

  it('keeps a whole year in Madrid aligned to local hours', () => {
    const slots = generate(everyDay('09:00', '17:00'), MADRID, '2026-01-01', '2026-12-31', [], 15);
    expect(slots).toHaveLength(365 * 32);
    expectWellFormed(slots, 15);
    expect(new Set(localTimes(slots.filter((_, i) => i % 32 === 0), MADRID))).toEqual(new Set(['09:00']));
  });
});

describe('generateSlots rules and exceptions', () => {
  // 2026-06-01 is a Monday.
  const monday = (startTime: string, endTime: string, extra: Partial<RuleInput> = {}): RuleInput => ({
    weekday: 1,
    startTime,
    endTime,
    serviceIds: null,
    validFrom: null,
    validUntil: null,
    ...extra,
  });

  it('uses only the rules for the weekday', () => {
    const slots = generate([monday('09:00', '10:00')], MADRID, '2026-06-01', '2026-06-07');
    expect(iso(slots)).toEqual(['2026-06-01T07:00:00.000Z', '2026-06-01T07:30:00.000Z']);
  });

  it('drops a trailing partial slot', () => {
    const slots = generate([monday('09:00', '10:15')], MADRID, '2026-06-01');
    expect(localTimes(slots, MADRID)).toEqual(['09:00', '09:30']);
  });

  it('closes a day with a closed exception', () => {
    const slots = generate([monday('09:00', '10:00')], MADRID, '2026-06-01', '2026-06-08', [
      { date: '2026-06-01', closed: true, startTime: null, endTime: null },
      { date: '2026-06-01', closed: false, startTime: '15:00', endTime: '16:00' },
    ]);
    expect(slots.map((s) => localDateOf(s.startsAt, MADRID))).toEqual(['2026-06-08', '2026-06-08']);
  });

  it('replaces the weekly rules with exception hours open to every service', () => {
    const rules = [monday('09:00', '12:00', { serviceIds: ['a'] })];
    const slots = generate(rules, MADRID, '2026-06-01', '2026-06-01', [
      { date: '2026-06-01', closed: false, startTime: '15:00', endTime: '16:00' },
      { date: '2026-06-01', closed: false, startTime: '17:00:00', endTime: '17:30:00' },
    ]);
    expect(localTimes(slots, MADRID)).toEqual(['15:00', '15:30', '17:00']);
    expect(slots.every((s) => s.serviceIds === null)).toBe(true);
  });

  it('opens a day without rules through an exception', () => {
    const slots = generate([], MADRID, '2026-06-06', '2026-06-06', [
      { date: '2026-06-06', closed: false, startTime: '10:00', endTime: '11:00' },
    ]);
    expect(localTimes(slots, MADRID)).toEqual(['10:00', '10:30']);
  });

  it('honours validFrom and validUntil inclusively', () => {
    const rules = [
      monday('09:00', '09:30', { validUntil: '2026-06-08' }),
      monday('10:00', '10:30', { validFrom: '2026-06-08', validUntil: '2026-06-15' }),
      monday('11:00', '11:30', { validFrom: '2026-06-15' }),
    ];
    const slots = generate(rules, MADRID, '2026-06-01', '2026-06-22');
    const byDate = (date: string) =>
      localTimes(slots.filter((s) => localDateOf(s.startsAt, MADRID) === date), MADRID);
    expect(byDate('2026-06-01')).toEqual(['09:00']);
    expect(byDate('2026-06-08')).toEqual(['09:00', '10:00']);
    expect(byDate('2026-06-15')).toEqual(['10:00', '11:00']);
    expect(byDate('2026-06-22')).toEqual(['11:00']);
  });

  it('dedupes overlapping rules and merges their services', () => {
    const rules = [
      monday('09:00', '10:30', { serviceIds: ['a'] }),
      monday('10:00', '11:00', { serviceIds: ['b', 'a'] }),
      monday('10:15', '11:15', { serviceIds: ['c'] }),
      monday('11:00', '11:30', { serviceIds: null }),
      monday('11:00', '11:30', { serviceIds: ['d'] }),
    ];
    const slots = generate(rules, MADRID, '2026-06-01');
    expectWellFormed(slots, 30);
    expect(localTimes(slots, MADRID)).toEqual(['09:00', '09:30', '10:00', '10:30', '11:00']);
    expect(slots.map((s) => s.serviceIds)).toEqual([['a'], ['a'], ['a', 'b'], ['b', 'a'], null]);
  });

  it('returns nothing when fromDate is after toDate, and rejects a bad slot length', () => {
    expect(generate([monday('09:00', '10:00')], MADRID, '2026-06-02', '2026-06-01')).toEqual([]);
    expect(() => generate([monday('09:00', '10:00')], MADRID, '2026-06-01', '2026-06-01', [], 0)).toThrow(
      RangeError,
    );
  });
});

describe('bookableStarts', () => {
  const base = Date.parse('2026-06-01T08:00:00Z');
  const at = (minutes: number) => new Date(base + minutes * 60_000);
  function run(count: number, overrides: Record<number, Partial<BookableSlot>> = {}, offset = 0): BookableSlot[] {
    return Array.from({ length: count }, (_, i) => ({
      startsAt: at(offset + i * 15),
      endsAt: at(offset + (i + 1) * 15),
      free: true,
      serviceIds: null,
      ...overrides[i],
    }));
  }
  const find = (slots: BookableSlot[], extra: Partial<Parameters<typeof bookableStarts>[0]> = {}) =>
    bookableStarts({
      slots,
      serviceId: 'svc',
      durationMinutes: 60,
      slotMinutes: 15,
      earliestStart: at(-1000),
      latestStart: at(10_000),
      ...extra,
    });
  const starts = (r: ReturnType<typeof bookableStarts>) => r.map((s) => (s.startsAt.getTime() - base) / 60_000);

  it('needs four consecutive free 15-minute slots for 60 minutes', () => {
    expect(slotsNeeded(60, 15)).toBe(4);
    expect(slotsNeeded(50, 15)).toBe(4);
    expect(slotsNeeded(15, 15)).toBe(1);
    const result = find(run(6));
    expect(starts(result)).toEqual([0, 15, 30]);
    expect(result[0].endsAt.toISOString()).toBe('2026-06-01T09:00:00.000Z');
    expect(result[0].slotCount).toBe(4);
    expect(find(run(3))).toEqual([]);
  });

  it('ends at start + duration, not at the end of the last slot', () => {
    const result = find(run(4), { durationMinutes: 50 });
    expect(result).toHaveLength(1);
    expect(result[0].endsAt.toISOString()).toBe('2026-06-01T08:50:00.000Z');
  });

  it('is broken by a busy slot', () => {
    expect(starts(find(run(9, { 4: { free: false } })))).toEqual([0, 75]);
  });

  it('is broken by a gap between slots', () => {
    const slots = [...run(3), ...run(5, {}, 60)];
    // 0..45 then a hole 45..60, then 60..135.
    expect(starts(find(slots))).toEqual([60, 75]);
    const touching = [...run(2), ...run(2, {}, 30)];
    expect(starts(find(touching))).toEqual([0]);
  });

  it('applies the earliest and latest start bounds inclusively', () => {
    expect(starts(find(run(8), { earliestStart: at(15), latestStart: at(45) }))).toEqual([15, 30, 45]);
    expect(starts(find(run(8), { earliestStart: at(16), latestStart: at(44) }))).toEqual([30]);
  });

  it('requires every held slot to allow the service', () => {
    const slots = run(6, { 0: { serviceIds: ['svc', 'x'] }, 4: { serviceIds: ['x'] } });
    expect(starts(find(slots))).toEqual([0]);
    expect(starts(find(slots, { serviceId: 'x' }))).toEqual([0, 15, 30]);
    expect(starts(find(slots, { serviceId: 'y' }))).toEqual([]);
    expect(starts(find(slots, { serviceId: 'y', durationMinutes: 15 }))).toEqual([15, 30, 45, 75]);
  });

  it('rejects slots shorter than the slot length', () => {
    const slots = run(4).map((s, i) => (i === 3 ? { ...s, endsAt: at(50) } : s));
    expect(find(slots)).toEqual([]);
  });

  it('works on generated slots', () => {
    const slots = generate(everyDay('09:00', '10:00'), MADRID, '2026-06-01').map((s) => ({ ...s, free: true }));
    const result = bookableStarts({
      slots,
      serviceId: 'svc',
      durationMinutes: 45,
      slotMinutes: 30,
      earliestStart: new Date(0),
      latestStart: new Date('2100-01-01'),
    });
    expect(result).toEqual([
      { startsAt: new Date('2026-06-01T07:00:00Z'), endsAt: new Date('2026-06-01T07:45:00Z'), slotCount: 2 },
    ]);
  });
});
