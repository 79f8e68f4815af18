import type { Db } from '@/db/client';
import { expirePassedSlots, rollHorizons } from '@/lib/availability/materialize';
import { expireOverdueRequests } from '@/lib/booking/expire';
import { sendDueNotifications } from '@/lib/notifications';
import { flushOutbox } from '@/lib/outbox';
import { pruneRateLimits } from '@/lib/rate-limit';

/**
 * The periodic jobs. Inngest cron functions call `runSweeps` in production; without an engine,
 * the local timer (instrumentation.ts) calls it. Each sweep is idempotent and safe to overlap.
 */
export interface Sweep {
  name: string;
  /** Run at most this often in one process (the horizon roll is daily work). */
  minIntervalSeconds?: number;
  run(db: Db, now: Date): Promise<unknown>;
}

export const sweeps: Sweep[] = [
  { name: 'expire-overdue-requests', run: (db, now) => expireOverdueRequests(db, now) },
  { name: 'expire-passed-slots', run: (db, now) => expirePassedSlots(db, now) },
  { name: 'roll-horizons', minIntervalSeconds: 6 * 3600, run: (db, now) => rollHorizons(db, now) },
  { name: 'flush-outbox', run: (db) => flushOutbox(db) },
  // After the expiry above, so its notices go out in the same run: due reminders and every queued
  // message that no workflow sent (no engine, or a step that failed).
  { name: 'send-notifications', run: (db, now) => sendDueNotifications(db, { now }) },
  { name: 'prune-rate-limits', minIntervalSeconds: 3600, run: (db, now) => pruneRateLimits(db, now) },
];

const lastRun = new Map<string, number>();

export async function runSweeps(db: Db, now: Date = new Date(), opts: { force?: boolean } = {}): Promise<Record<string, unknown>> {
  const results: Record<string, unknown> = {};
  for (const sweep of sweeps) {
    const last = lastRun.get(sweep.name);
    if (!opts.force && sweep.minIntervalSeconds && last && now.getTime() - last < sweep.minIntervalSeconds * 1000) continue;
    lastRun.set(sweep.name, now.getTime());
    try {
      results[sweep.name] = await sweep.run(db, now);
    } catch (err) {
      // One failing sweep must not stop the others; it runs again next time.
      console.error(`[sweep] ${sweep.name} failed`, err);
      results[sweep.name] = { error: err instanceof Error ? err.message : String(err) };
    }
  }
  return results;
}
