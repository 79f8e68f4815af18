import { and, desc, eq, gte, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { auditLog, profileMembers, users, type MemberRole } from '@/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { authorize } from '@/lib/auth/permissions';
import { addDays, startOfLocalDay } from '@/lib/availability/time';
import { executor, type CallOptions } from '@/lib/db';
import { formInt, isUuid, optionalLocalDate, parseInput } from '@/lib/validation/fields';

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

const blankIsMissing = <S extends z.ZodType>(schema: S) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

/** The filters as the audit page's form (a GET) sends them; blank is "any". */
const filtersSchema = z.object({
  /** A member's user id. */
  who: blankIsMissing(z.string().refine(isUuid, 'Choose a member from the list.')),
  /** An action or its family: `note`, `request.approved`, `auth`. */
  what: blankIsMissing(z.string().regex(/^[a-z_.]{1,40}$/, 'Choose what from the list.')),
  /** Local dates in the practice's time zone, both included. */
  from: optionalLocalDate,
  to: optionalLocalDate,
  /** Entries older than this one (the "older entries" link). */
  before: blankIsMissing(formInt(1, Number.MAX_SAFE_INTEGER, 'The position')),
});

export type AuditFilters = z.input<typeof filtersSchema>;

/**
 * A practice's audit trail for its admins, newest first, a page at a time: its own entries plus
 * the sign-ins of its members. Entries never hold clinical note contents (notes log only versions
 * and section names).
 */
export async function listAuditEntries(actor: Actor | null, profileId: string, input: AuditFilters = {}, opts?: CallOptions): Promise<AuditRow[]> {
  const membership = authorize(actor, profileId, 'audit.read');
  const filters = parseInput(filtersSchema, input, 'Some filters are not valid.');
  const tz = membership.timeZone;
  const db = await executor(opts);
  const memberIds = db.select({ id: profileMembers.userId }).from(profileMembers).where(eq(profileMembers.profileId, profileId));
  const conditions: SQL[] = [
    or(eq(auditLog.profileId, profileId), and(sql`${auditLog.profileId} IS NULL`, sql`${auditLog.action} LIKE 'auth.%'`, inArray(auditLog.actorUserId, memberIds)))!,
  ];
  if (filters.who) conditions.push(eq(auditLog.actorUserId, filters.who));
  if (filters.what) conditions.push(or(eq(auditLog.action, filters.what), sql`${auditLog.action} LIKE ${`${filters.what.replace(/_/g, '\\_')}.%`}`)!);
  if (filters.from) conditions.push(gte(auditLog.createdAt, startOfLocalDay(filters.from, tz)));
  if (filters.to) conditions.push(lt(auditLog.createdAt, startOfLocalDay(addDays(filters.to, 1), tz)));
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

export interface PracticeMember {
  id: string;
  name: string | null;
  email: string;
  roles: MemberRole[];
}

/** The practice's members (who can appear as "who" in the audit filter). */
export async function listPracticeMembers(actor: Actor | null, profileId: string, input: Record<string, never> = {}, opts?: CallOptions): Promise<PracticeMember[]> {
  authorize(actor, profileId, 'members.view');
  parseInput(z.object({}), input);
  return (await executor(opts))
    .select({ id: users.id, name: users.name, email: users.email, roles: profileMembers.roles })
    .from(profileMembers)
    .innerJoin(users, eq(users.id, profileMembers.userId))
    .where(eq(profileMembers.profileId, profileId));
}
