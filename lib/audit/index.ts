import type { Executor } from '@/db/client';
import { auditLog } from '@/db/schema';
import { insertRows } from '@/lib/db';

export interface AuditEntryInput {
  profileId: string | null;
  actorUserId: string | null;
  actorKind: 'user' | 'patient' | 'system' | 'api';
  action: string;
  entityType: string;
  entityId?: string | null;
  details?: Record<string, unknown>;
}

/** Writes one audit entry; call it inside the transaction that makes the change. */
export async function audit(db: Executor, entry: AuditEntryInput): Promise<void> {
  await db.execute(auditStatement([entry]));
}

/** The INSERT of audit entries, not yet run: a caller puts it in the statement that makes the change (a CTE). */
export function auditStatement(entries: AuditEntryInput[]) {
  return insertRows(
    auditLog,
    entries.map((entry) => ({
      profileId: entry.profileId,
      actorUserId: entry.actorUserId,
      actorKind: entry.actorKind,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId ?? null,
      details: entry.details ?? null,
    })),
  );
}
