import { and, eq, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { DomainError } from '@/lib/errors';
import { isUuid } from '@/lib/validation/fields';

/** A tenant table: every row has an id and the practice it belongs to. */
interface TenantTable {
  id: PgColumn;
  profileId: PgColumn;
}

/**
 * The one way a lib function loads a practice's row by id: the WHERE names both the id and the
 * practice (already authorized by `authorize`), so another practice's row, a missing row and a
 * malformed id are all the same "not found". The caller selects the columns it needs and adds
 * `.for('update')` where it changes the row:
 *
 *   const appointment = await scopedRow(reservations, profileId, input.reservationId, 'appointment',
 *     (where) => tx.select({ id: reservations.id }).from(reservations).where(where).for('update'));
 */
export async function scopedRow<T>(
  table: TenantTable,
  profileId: string,
  id: unknown,
  what: string,
  load: (where: SQL) => PromiseLike<T[]>,
): Promise<T> {
  if (!isUuid(id)) throw new DomainError('not_found', `No such ${what}.`);
  const [row] = await load(and(eq(table.id, id), eq(table.profileId, profileId))!);
  if (!row) throw new DomainError('not_found', `No such ${what}.`);
  return row;
}
