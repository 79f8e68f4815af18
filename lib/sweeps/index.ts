import { expirePassedSlots, rollHorizons } from '@/lib/availability/materialize';
import { expireOverdueRequests } from '@/lib/booking/expire';
import { expireOverdueMoves } from '@/lib/booking/move-decide';
import { getDb, type Db } from '@/lib/db';
import { pgErrorCode } from '@/lib/errors';
import { logError } from '@/lib/log';
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
  run(now: Date, db: Db): Promise<unknown>;
}

export const sweeps: Sweep[] = [
  { name: 'expire-overdue-requests', run: (now) => expireOverdueRequests({ now }) },
  // Moves of appointments nobody answered in time give their held time back (lib/booking/move-rules.ts).
  { name: 'expire-overdue-moves', run: (now) => expireOverdueMoves({ now }) },
  { name: 'expire-passed-slots', run: (now, db) => expirePassedSlots(db, now) },
  { name: 'roll-horizons', minIntervalSeconds: 6 * 3600, run: (now, db) => rollHorizons(db, now) },
  { name: 'flush-outbox', run: (now) => flushOutbox({ now }) },
  // After the expiry above, so its notices go out in the same run: due reminders and every queued
  // message that no workflow sent (no engine, or a step that failed).
  { name: 'send-notifications', run: (now) => sendDueNotifications({ now }) },
  { name: 'prune-rate-limits', minIntervalSeconds: 3600, run: (now, db) => pruneRateLimits(db, now) },
];

const lastRun = new Map<string, number>();

/** Runs every sweep due (all of them with `force`) on the app's database; a system entry point. */
export async function runSweeps(opts: { now?: Date; force?: boolean } = {}): Promise<Record<string, unknown>> {
  const now = opts.now ?? new Date();
  const db = await getDb();
  const results: Record<string, unknown> = {};
  for (const sweep of sweeps) {
    const last = lastRun.get(sweep.name);
    if (!opts.force && sweep.minIntervalSeconds && last && now.getTime() - last < sweep.minIntervalSeconds * 1000) continue;
    lastRun.set(sweep.name, now.getTime());
    try {
      results[sweep.name] = await sweep.run(now, db);
    } catch (err) {
      // One failing sweep must not stop the others; it runs again next time.
      logError('sweep.failed', err, { route: `sweep.${sweep.name}` });
      // The run's output is shown in the engine's UI: codes only, never a driver's message.
      results[sweep.name] = { error: err instanceof Error ? err.name : 'error', code: pgErrorCode(err) };
    }
  }
  return results;
}
