import { and, desc, eq, gte, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { auditLog, profileMembers, users } from '@/db/schema';
import { requireMembership, type Actor } from '@/lib/auth/actor';

export interface AuditFilters {
  /** A member's user id. */
  who?: string;
  /** An action or its prefix: `note`, `request.approved`, `auth`. */
  what?: string;
  from?: Date;
  to?: Date;
  before?: number;
}

export interface AuditRow {
  id: number;
  createdAt: Date;
  actorKind: string;
  actorName: string | null;
  actorEmail: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  details: Record<string, unknown> | null;
}

export const AUDIT_PAGE_SIZE = 100;

/**
 * A practice's audit trail for its admins, newest first: its own entries plus the sign-ins of its
 * members. Entries never hold clinical note contents (notes log only versions and section names).
 */
export async function listAuditEntries(db: Executor, actor: Actor, profileId: string, filters: AuditFilters = {}): Promise<AuditRow[]> {
  requireMembership(actor, profileId, ['admin']);
  const memberIds = db.select({ id: profileMembers.userId }).from(profileMembers).where(eq(profileMembers.profileId, profileId));
  const scope = or(
    eq(auditLog.profileId, profileId),
    and(sql`${auditLog.profileId} IS NULL`, sql`${auditLog.action} LIKE 'auth.%'`, inArray(auditLog.actorUserId, memberIds)),
  )!;
  const conditions: SQL[] = [scope];
  if (filters.who) conditions.push(eq(auditLog.actorUserId, filters.who));
  if (filters.what) conditions.push(or(eq(auditLog.action, filters.what), sql`${auditLog.action} LIKE ${`${filters.what.replace(/[%_\\]/g, '')}.%`}`)!);
  if (filters.from) conditions.push(gte(auditLog.createdAt, filters.from));
  if (filters.to) conditions.push(lt(auditLog.createdAt, filters.to));
  if (filters.before) conditions.push(lt(auditLog.id, filters.before));
  const rows = await db
    .select({
      id: auditLog.id,
      createdAt: auditLog.createdAt,
      actorKind: auditLog.actorKind,
      actorName: users.name,
      actorEmail: users.email,
      action: auditLog.action,
      entityType: auditLog.entityType,
      entityId: auditLog.entityId,
      details: auditLog.details,
    })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorUserId))
    .where(and(...conditions))
    .orderBy(desc(auditLog.id))
    .limit(AUDIT_PAGE_SIZE);
  return rows.map((r) => ({ ...r, details: (r.details as Record<string, unknown> | null) ?? null }));
}

/** The people who can appear as "who" in the filter: the practice's members. */
export async function listPracticeMembers(db: Executor, actor: Actor, profileId: string) {
  requireMembership(actor, profileId, ['admin']);
  return db
    .select({ id: users.id, name: users.name, email: users.email, role: profileMembers.role })
    .from(profileMembers)
    .innerJoin(users, eq(users.id, profileMembers.userId))
    .where(eq(profileMembers.profileId, profileId));
}
