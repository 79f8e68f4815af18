/**
 * Wall-clock ↔ instant conversion for IANA time zones using only Intl and Date (Node 20 has no
 * Temporal). Local dates are 'YYYY-MM-DD' strings, local times 'HH:MM' or 'HH:MM:SS'.
 * Malformed input throws a RangeError; a well-formed local time that does not exist returns null.
 */

/** ISO weekday names in order (1 = Monday … 7 = Sunday); client-safe, no zod. */
export const WEEKDAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;

/** ISO weekday 1 = Monday … 7 = Sunday. */
export function weekdayName(weekday: number): string {
  return WEEKDAY_NAMES[weekday - 1] ?? `day ${weekday}`;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/**
 * The UTC instant of a wall-clock time in a zone. Null when that time does not exist (the
 * spring-forward gap). A time that occurs twice (fall back) resolves to its first occurrence.
 */
export function zonedLocalToUtc(date: string, time: string, timeZone: string): Date | null {
  const ms = localMsToUtcMs(parseDateMs(date) + parseTimeMs(time), timeZone);
  return ms === null ? null : new Date(ms);
}

export function utcToZonedParts(
  instant: Date,
  timeZone: string,
): { date: string; time: string; weekday: number } {
  const local = instant.getTime() + tzOffsetMs(instant.getTime(), timeZone);
  const d = new Date(local);
  return {
    date: formatDateMs(local),
    time: `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}`,
    weekday: d.getUTCDay() === 0 ? 7 : d.getUTCDay(),
  };
}

export function addDays(date: string, n: number): string {
  return formatDateMs(parseDateMs(date) + n * DAY_MS);
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  const day = new Date(parseDateMs(date)).getUTCDay();
  return day === 0 ? 7 : day;
}

export function localDateOf(instant: Date, timeZone: string): string {
  return formatDateMs(instant.getTime() + tzOffsetMs(instant.getTime(), timeZone));
}

/** The first instant of a local date: its midnight, or the end of a DST gap that swallows it. */
export function startOfLocalDay(date: string, timeZone: string): Date {
  const localMs = parseDateMs(date);
  // In a gap, the wall-clock time minus the offset in force before it is the moment of the change.
  return new Date(localMsToUtcMs(localMs, timeZone) ?? localMs - tzOffsetMs(localMs - DAY_MS, timeZone));
}

export function todayIn(timeZone: string, now: Date = new Date()): string {
  return localDateOf(now, timeZone);
}

export function isValidTimeZone(tz: string): boolean {
  if (typeof tz !== 'string' || tz === '') return false;
  try {
    formatterFor(tz);
    return true;
  } catch {
    return false;
  }
}

/**
 * Offset of the zone from UTC at an instant, in ms (local = utc + offset). Whole seconds only:
 * Intl does not report sub-second local time.
 */
export function tzOffsetMs(utcMs: number, timeZone: string): number {
  const floored = Math.floor(utcMs / 1000) * 1000;
  // Intl's formatToParts is the cost (a tenth of an availability query's CPU); the same instants
  // come back often (each date's midnights and the days either side), so answers are kept.
  const key = `${timeZone}|${floored}`;
  const known = offsets.get(key);
  if (known !== undefined) return known;
  const offset = offsetFromParts(floored, timeZone);
  if (offsets.size >= 10_000) offsets.clear();
  offsets.set(key, offset);
  return offset;
}

const offsets = new Map<string, number>();

function offsetFromParts(floored: number, timeZone: string): number {
  const parts = formatterFor(timeZone).formatToParts(new Date(floored));
  let year = 0;
  let month = 0;
  let day = 0;
  let hour = 0;
  let minute = 0;
  let second = 0;
  for (const p of parts) {
    switch (p.type) {
      case 'year':
        year = Number(p.value);
        break;
      case 'month':
        month = Number(p.value);
        break;
      case 'day':
        day = Number(p.value);
        break;
      case 'hour':
        // Some ICU versions print midnight as 24 even with h23.
        hour = Number(p.value) % 24;
        break;
      case 'minute':
        minute = Number(p.value);
        break;
      case 'second':
        second = Number(p.value);
        break;
    }
  }
  return utcFields(year, month, day, hour, minute, second) - floored;
}

/**
 * `localMs` is a wall-clock time written as if it were UTC ms. Around any instant there is at most
 * one offset change within ±24 h (offsets are within ±14 h), so the real offset is one of the two
 * offsets a day either side; keep the candidates that reproduce the wall-clock time and take the
 * earliest.
 */
export function localMsToUtcMs(localMs: number, timeZone: string): number | null {
  const before = tzOffsetMs(localMs - DAY_MS, timeZone);
  const after = tzOffsetMs(localMs + DAY_MS, timeZone);
  let best: number | null = null;
  for (const offset of before === after ? [before] : [before, after]) {
    const utc = localMs - offset;
    if (tzOffsetMs(utc, timeZone) === offset && (best === null || utc < best)) best = utc;
  }
  return best;
}

/** 'YYYY-MM-DD' → ms of that date's midnight written as UTC. Rejects impossible dates. */
export function parseDateMs(date: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new RangeError(`Invalid date "${date}", expected YYYY-MM-DD`);
  const ms = utcFields(Number(m[1]), Number(m[2]), Number(m[3]), 0, 0, 0);
  if (formatDateMs(ms) !== date) throw new RangeError(`Invalid date "${date}"`);
  return ms;
}

/** 'HH:MM' or 'HH:MM:SS' → ms since midnight. '24:00' is accepted as the end of the day. */
export function parseTimeMs(time: string): number {
  const m = /^(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(time);
  if (!m) throw new RangeError(`Invalid time "${time}", expected HH:MM or HH:MM:SS`);
  const h = Number(m[1]);
  const min = Number(m[2]);
  const s = m[3] === undefined ? 0 : Number(m[3]);
  if (min > 59 || s > 59 || h > 24 || (h === 24 && (min !== 0 || s !== 0))) {
    throw new RangeError(`Invalid time "${time}"`);
  }
  return ((h * 60 + min) * 60 + s) * 1000;
}

export function formatDateMs(ms: number): string {
  const d = new Date(ms);
  return `${String(d.getUTCFullYear()).padStart(4, '0')}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

// Date.UTC maps years 0–99 to 1900–1999; setUTCFullYear does not.
function utcFields(y: number, mo: number, d: number, h: number, mi: number, s: number): number {
  if (y >= 100) return Date.UTC(y, mo - 1, d, h, mi, s);
  const date = new Date(Date.UTC(2000, mo - 1, d, h, mi, s));
  date.setUTCFullYear(y);
  return date.getTime();
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
