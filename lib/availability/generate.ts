/**
 * Pure slot logic: materializing slots from weekly rules and exceptions, and finding where a
 * service of a given length can start among existing slots. No database, no I/O.
 */
import { formatDateMs, localMsToUtcMs, parseDateMs, parseTimeMs, tzOffsetMs } from './time';

export interface RuleInput {
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  weekday: number;
  startTime: string;
  endTime: string;
  /** Null: every service. */
  serviceIds: string[] | null;
  validFrom: string | null;
  validUntil: string | null;
}

export interface ExceptionInput {
  date: string;
  closed: boolean;
  startTime: string | null;
  endTime: string | null;
}

export interface SlotInterval {
  startsAt: Date;
  endsAt: Date;
  serviceIds: string[] | null;
}

export interface GenerateSlotsInput {
  rules: readonly RuleInput[];
  exceptions: readonly ExceptionInput[];
  timeZone: string;
  slotMinutes: number;
  /** Local dates, both inclusive. */
  fromDate: string;
  toDate: string;
}

export interface BookableSlot {
  startsAt: Date;
  endsAt: Date;
  free: boolean;
  serviceIds: string[] | null;
}

export interface BookableStartsInput {
  /** Sorted by startsAt. */
  slots: readonly BookableSlot[];
  serviceId: string;
  durationMinutes: number;
  slotMinutes: number;
  earliestStart: Date;
  latestStart: Date;
}

export interface BookableStart {
  startsAt: Date;
  endsAt: Date;
  slotCount: number;
}

/**
 * Slots for each local date in [fromDate, toDate]. A closed exception empties the day; other
 * exceptions replace that day's weekly rules (open to every service); otherwise the rules for the
 * weekday whose validity includes the date apply. Each interval is walked in local wall-clock
 * steps of slotMinutes and every start and end converted to UTC.
 *
 * DST: a start that does not exist (gap) is skipped, and so is a slot whose end is in the gap or
 * that straddles it (it would be shorter than slotMinutes). Ambiguous local times resolve to their
 * first occurrence, so in the repeated hour each wall-clock start appears once; a slot whose end
 * maps past the repeated hour is cut to slotMinutes, so every slot lasts exactly slotMinutes of
 * real time (bookableStarts relies on that) and the second pass of the repeated hour has no slots.
 *
 * Overlapping rules: slots with the same start merge (serviceIds: null if either is null, else
 * the union); a slot overlapping an earlier kept slot is dropped. The result is sorted by
 * startsAt and no two slots overlap.
 */
export function generateSlots(input: GenerateSlotsInput): SlotInterval[] {
  const { timeZone, slotMinutes, fromDate, toDate } = input;
  if (!Number.isInteger(slotMinutes) || slotMinutes <= 0 || slotMinutes > 24 * 60) {
    throw new RangeError(`slotMinutes must be an integer in 1..1440, got ${slotMinutes}`);
  }
  const slotMs = slotMinutes * MINUTE_MS;
  const rulesByWeekday = groupRules(input.rules);
  const exceptionsByDate = groupExceptions(input.exceptions);
  const offsetAtMidnight = memoOffsets(timeZone);

  const out: SlotInterval[] = [];
  let lastEnd = -Infinity;
  const lastDay = parseDateMs(toDate);
  for (let dayMs = parseDateMs(fromDate); dayMs <= lastDay; dayMs += DAY_MS) {
    const date = formatDateMs(dayMs);
    const intervals = intervalsFor(date, weekdayOfDayMs(dayMs), rulesByWeekday, exceptionsByDate);
    if (intervals.length === 0) continue;

    // Every local time of this day maps to an instant within a day of it; if the offset is the
    // same a day before and two days after, no change happens in between and one subtraction
    // converts the whole day. Only change days pay for the full conversion.
    const before = offsetAtMidnight(dayMs - DAY_MS);
    const steady = before === offsetAtMidnight(dayMs + 2 * DAY_MS);
    const toUtc = (localMs: number): number | null =>
      steady ? localMs - before : localMsToUtcMs(localMs, timeZone);

    const candidates: Candidate[] = [];
    for (const interval of intervals) {
      for (let t = interval.startMs; t + slotMs <= interval.endMs; t += slotMs) {
        const start = toUtc(dayMs + t);
        if (start === null) continue;
        const end = toUtc(dayMs + t + slotMs);
        if (end === null || end - start < slotMs) continue;
        candidates.push({ start, serviceIds: interval.serviceIds });
      }
    }
    if (intervals.length > 1) candidates.sort((a, b) => a.start - b.start);

    for (const c of candidates) {
      const prev = out[out.length - 1];
      if (prev !== undefined && prev.startsAt.getTime() === c.start) {
        prev.serviceIds = mergeServiceIds(prev.serviceIds, c.serviceIds);
        continue;
      }
      if (c.start < lastEnd) continue;
      lastEnd = c.start + slotMs;
      out.push({ startsAt: new Date(c.start), endsAt: new Date(lastEnd), serviceIds: c.serviceIds });
    }
  }
  return out;
}

/**
 * Every start where slotsNeeded(duration, slotMinutes) consecutive slots — each free, each
 * allowing the service (null = every service), each ending exactly where the next begins — cover
 * startsAt + duration, with earliestStart ≤ startsAt ≤ latestStart. Requiring the service on every
 * held slot, not only the first, keeps a restricted interval from being used by a service that
 * merely starts just before it. O(n) in the number of slots.
 */
export function bookableStarts(input: BookableStartsInput): BookableStart[] {
  const { slots, serviceId, durationMinutes, slotMinutes, earliestStart, latestStart } = input;
  const needed = slotsNeeded(durationMinutes, slotMinutes);
  const durationMs = durationMinutes * MINUTE_MS;
  const n = slots.length;

  // run[i]: how many usable, back-to-back slots start at i.
  const run = new Int32Array(n + 1);
  for (let i = n - 1; i >= 0; i--) {
    const slot = slots[i];
    if (!slot.free || !(slot.serviceIds === null || slot.serviceIds.includes(serviceId))) continue;
    const next = slots[i + 1];
    const chained = next !== undefined && slot.endsAt.getTime() === next.startsAt.getTime();
    run[i] = chained ? run[i + 1] + 1 : 1;
  }

  const earliest = earliestStart.getTime();
  const latest = latestStart.getTime();
  const out: BookableStart[] = [];
  for (let i = 0; i < n; i++) {
    if (run[i] < needed) continue;
    const start = slots[i].startsAt.getTime();
    if (start < earliest || start > latest) continue;
    // Guards against slots shorter than slotMinutes (e.g. left over from an older slot length).
    if (slots[i + needed - 1].endsAt.getTime() < start + durationMs) continue;
    out.push({ startsAt: new Date(start), endsAt: new Date(start + durationMs), slotCount: needed });
  }
  return out;
}

/** How many slots a service of durationMinutes holds. */
export function slotsNeeded(durationMinutes: number, slotMinutes: number): number {
  if (!(durationMinutes > 0) || !(slotMinutes > 0)) {
    throw new RangeError('durationMinutes and slotMinutes must be positive');
  }
  return Math.ceil(durationMinutes / slotMinutes);
}

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

interface Interval {
  startMs: number;
  endMs: number;
  serviceIds: string[] | null;
}

interface ParsedRule extends Interval {
  validFrom: string | null;
  validUntil: string | null;
}

interface Candidate {
  start: number;
  serviceIds: string[] | null;
}

function intervalsFor(
  date: string,
  weekday: number,
  rulesByWeekday: ParsedRule[][],
  exceptionsByDate: Map<string, ExceptionInput[]>,
): Interval[] {
  const exceptions = exceptionsByDate.get(date);
  if (exceptions !== undefined) {
    if (exceptions.some((e) => e.closed)) return [];
    const hours: Interval[] = [];
    for (const e of exceptions) {
      if (e.startTime === null || e.endTime === null) continue;
      const startMs = parseTimeMs(e.startTime);
      const endMs = parseTimeMs(e.endTime);
      if (endMs > startMs) hours.push({ startMs, endMs, serviceIds: null });
    }
    if (hours.length > 0) return hours;
  }
  return rulesByWeekday[weekday].filter(
    (r) => (r.validFrom === null || r.validFrom <= date) && (r.validUntil === null || date <= r.validUntil),
  );
}

function groupRules(rules: readonly RuleInput[]): ParsedRule[][] {
  const byWeekday: ParsedRule[][] = [[], [], [], [], [], [], [], []];
  for (const r of rules) {
    if (!Number.isInteger(r.weekday) || r.weekday < 1 || r.weekday > 7) {
      throw new RangeError(`Rule weekday must be 1..7, got ${r.weekday}`);
    }
    const startMs = parseTimeMs(r.startTime);
    const endMs = parseTimeMs(r.endTime);
    if (endMs <= startMs) continue;
    // Validity bounds are compared as strings; parsing rejects anything that would not sort.
    if (r.validFrom !== null) parseDateMs(r.validFrom);
    if (r.validUntil !== null) parseDateMs(r.validUntil);
    byWeekday[r.weekday].push({
      startMs,
      endMs,
      serviceIds: r.serviceIds === null ? null : [...new Set(r.serviceIds)],
      validFrom: r.validFrom,
      validUntil: r.validUntil,
    });
  }
  return byWeekday;
}

function groupExceptions(exceptions: readonly ExceptionInput[]): Map<string, ExceptionInput[]> {
  const byDate = new Map<string, ExceptionInput[]>();
  for (const e of exceptions) {
    parseDateMs(e.date);
    const list = byDate.get(e.date);
    if (list) list.push(e);
    else byDate.set(e.date, [e]);
  }
  return byDate;
}

function mergeServiceIds(a: string[] | null, b: string[] | null): string[] | null {
  if (a === null || b === null) return null;
  return [...new Set([...a, ...b])];
}

// Offsets at UTC midnights, shared across calls: materializing many practices in few zones asks
// for the same days again and again. Bounded so a long-lived process cannot grow it forever.
const midnightOffsets = new Map<string, Map<number, number>>();
const MAX_MEMO_PER_ZONE = 50_000;

function memoOffsets(timeZone: string): (utcMs: number) => number {
  let memo = midnightOffsets.get(timeZone);
  if (memo === undefined) {
    memo = new Map();
    midnightOffsets.set(timeZone, memo);
  }
  const zoneMemo = memo;
  return (utcMs) => {
    let offset = zoneMemo.get(utcMs);
    if (offset === undefined) {
      offset = tzOffsetMs(utcMs, timeZone);
      if (zoneMemo.size >= MAX_MEMO_PER_ZONE) zoneMemo.clear();
      zoneMemo.set(utcMs, offset);
    }
    return offset;
  };
}

/** ISO weekday of a date given as its midnight in UTC ms; 1970-01-01 was a Thursday. */
function weekdayOfDayMs(dayMs: number): number {
  const days = Math.round(dayMs / DAY_MS);
  return ((((days + 3) % 7) + 7) % 7) + 1;
}
