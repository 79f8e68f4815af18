import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { eventOutbox } from '@/db/schema';
import type { WorkflowEventData, WorkflowEventName } from '@/inngest/events';
import { insertRows, transaction, type CallOptions, type Executor } from '@/lib/db';
import { workflowEngineConfigured } from '@/lib/env';
import { logError, logWarn } from '@/lib/log';

export interface OutboxEventInput<N extends WorkflowEventName> {
  name: N;
  /** Deterministic id, e.g. `request-{id}-requested`: the engine runs a re-sent event once. */
  id: string;
  data: WorkflowEventData<N>;
}

/** Writes an event to the outbox; call it in the transaction that makes the change. */
export async function enqueueEvent<N extends WorkflowEventName>(tx: Executor, event: OutboxEventInput<N>): Promise<void> {
  await tx.execute(outboxStatement([event]));
}

/** The INSERT of outbox events, not yet run: a caller puts it in the statement that makes the change (a CTE). */
export function outboxStatement(events: OutboxEventInput<WorkflowEventName>[]) {
  return insertRows(
    eventOutbox,
    events.map((event) => ({ eventId: event.id, name: event.name, data: event.data })),
    sql`ON CONFLICT (event_id) DO NOTHING`,
  );
}

export type EventSender = (events: { id: string; name: string; data: unknown }[]) => Promise<unknown>;

async function inngestSender(events: { id: string; name: string; data: unknown }[]): Promise<unknown> {
  const { inngest } = await import('@/inngest/client');
  return inngest.send(events.map((e) => ({ id: e.id, name: e.name, data: e.data as Record<string, unknown> })));
}

/**
 * Sends pending outbox events to the workflow engine. Without an engine the events are marked
 * `local`: the local timer's sweeps do the work the workflows would. Safe to run concurrently
 * (rows are claimed with SKIP LOCKED); what fails stays pending for the next run.
 */
export async function flushOutbox(
  opts: CallOptions & { send?: EventSender; engine?: boolean; limit?: number } = {},
): Promise<{ sent: number; local: number; failed: number }> {
  const engine = opts.engine ?? workflowEngineConfigured();
  const send = opts.send ?? inngestSender;
  return transaction(opts, async (tx) => {
    const rows = await tx
      .select({ id: eventOutbox.id, eventId: eventOutbox.eventId, name: eventOutbox.name, data: eventOutbox.data })
      .from(eventOutbox)
      .where(eq(eventOutbox.status, 'pending'))
      .orderBy(asc(eventOutbox.id))
      .limit(opts.limit ?? 100)
      .for('update', { skipLocked: true });
    if (!rows.length) return { sent: 0, local: 0, failed: 0 };
    const ids = rows.map((r) => r.id);
    if (!engine) {
      await tx.update(eventOutbox).set({ status: 'local' }).where(inArray(eventOutbox.id, ids));
      return { sent: 0, local: rows.length, failed: 0 };
    }
    try {
      await send(rows.map((r) => ({ id: r.eventId, name: r.name, data: r.data })));
      await tx
        .update(eventOutbox)
        .set({ status: 'sent', sentAt: opts.now ?? new Date(), attempts: sql`${eventOutbox.attempts} + 1` })
        .where(inArray(eventOutbox.id, ids));
      return { sent: rows.length, local: 0, failed: 0 };
    } catch (err) {
      logWarn('outbox.send_failed', { events: rows.length, error: err instanceof Error ? err.name : typeof err });
      // Event data is ids only, so the engine's answer cannot echo a patient's details.
      await tx
        .update(eventOutbox)
        .set({ attempts: sql`${eventOutbox.attempts} + 1`, lastError: String(err instanceof Error ? err.message : err).slice(0, 500) })
        .where(and(inArray(eventOutbox.id, ids), eq(eventOutbox.status, 'pending')));
      return { sent: 0, local: 0, failed: rows.length };
    }
  });
}

/**
 * After a commit: send what the transaction queued without making the caller wait for the engine.
 * A failure only leaves the events pending; the sweep sends them later.
 */
export function dispatchOutboxAfterCommit(): void {
  // Without an engine there is nothing to send: the sweep marks the events `local` in batches.
  if (!workflowEngineConfigured()) return;
  void flushOutbox().catch((err) => logError('outbox.flush_failed', err, { route: 'outbox.after-commit' }));
}
