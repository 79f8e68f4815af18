import type { z } from 'zod';
import { audit } from '@/lib/audit';
import type { Actor } from '@/lib/auth/actor';
import { authorize } from '@/lib/auth/permissions';
import { transaction, type CallOptions, type Tx } from '@/lib/db';
import { lockPractice } from '@/lib/practice/settings';
import { parseInput } from '@/lib/validation/fields';
import { materializeSlots, type MaterializeResult } from './materialize';
import { todayIn } from './time';

/**
 * The one sequence behind every change to a practice's rules, exceptions and blocked time: check
 * the actor may edit availability, parse the input, and in one transaction lock the practice's row
 * (so overlap checks cannot race), make the change, write its audit entries and, when something
 * changed, regenerate the future available slots before the commit.
 */

export interface AvailabilityEdit {
  tx: Tx;
  practice: { id: string; timeZone: string; slotMinutes: number };
  now: Date;
  /** The practice's local date at `now`. */
  today: string;
  /** Writes an audit entry of this change; a change that records nothing regenerates nothing. */
  record(action: string, entityType: string, entityId: string | null, details: Record<string, unknown>): Promise<void>;
}

export interface Regenerated {
  /** The regeneration's counts, or null when nothing changed. */
  slots: MaterializeResult | null;
}

export async function editAvailability<S extends z.ZodType, T extends object>(
  actor: Actor | null,
  profileId: string,
  schema: S,
  input: unknown,
  opts: (CallOptions & { regenerate?: boolean }) | undefined,
  change: (data: z.output<S>, edit: AvailabilityEdit) => Promise<T>,
): Promise<T & Regenerated> {
  authorize(actor, profileId, 'availability.edit');
  const data = parseInput(schema, input);
  const now = opts?.now ?? new Date();
  return transaction(opts, async (tx) => {
    const practice = await lockPractice(tx, profileId, 'update');
    let changed = false;
    const edit: AvailabilityEdit = {
      tx,
      practice,
      now,
      today: todayIn(practice.timeZone, now),
      record: async (action, entityType, entityId, details) => {
        changed = true;
        await audit(tx, { profileId, actorUserId: actor!.userId, actorKind: 'user', action, entityType, entityId, details });
      },
    };
    const result = await change(data, edit);
    const regenerate = changed && opts?.regenerate !== false;
    return { ...result, slots: regenerate ? await materializeSlots(tx, profileId, now) : null };
  });
}

// Postgres returns `time` as 'HH:MM:SS'; the app speaks 'HH:MM'.
export const hhmm = (t: string) => t.slice(0, 5);
