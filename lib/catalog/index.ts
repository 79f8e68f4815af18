import { and, asc, desc, eq } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { medicalServices } from '@/db/schema';
import { requireMembership, type Actor } from '@/lib/auth/actor';
import { audit } from '@/lib/audit';
import { DomainError, notFound } from '@/lib/errors';
import { lockPractice } from '@/lib/practice/settings';
import { serviceInputSchema, type ServiceData, type ServiceInput } from '@/lib/validation/catalog';
import { fieldError, isUuid, parseInput } from '@/lib/validation/fields';

export interface Service {
  id: string;
  name: string;
  description: string;
  durationMinutes: number;
  priceAmount: number;
  currency: string;
  isActive: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * A practice's services, active first then by name. Any member may read the catalog (doctors
 * restrict availability rules to services); only admins change it.
 */
export async function listServices(
  db: Executor,
  actor: Actor,
  profileId: string,
  opts: { includeInactive?: boolean } = {},
): Promise<Service[]> {
  const membership = requireMembership(actor, profileId);
  return db
    .select(serviceColumns)
    .from(medicalServices)
    .where(
      and(
        eq(medicalServices.profileId, membership.profileId),
        opts.includeInactive ? undefined : eq(medicalServices.isActive, true),
      ),
    )
    .orderBy(desc(medicalServices.isActive), asc(medicalServices.name), asc(medicalServices.id));
}

/** One service of the practice; another practice's service is not found. */
export async function getService(db: Executor, actor: Actor, profileId: string, serviceId: string): Promise<Service> {
  const membership = requireMembership(actor, profileId);
  if (!isUuid(serviceId)) throw notFound('No such service.');
  const [row] = await db
    .select(serviceColumns)
    .from(medicalServices)
    .where(and(eq(medicalServices.id, serviceId), eq(medicalServices.profileId, membership.profileId)))
    .limit(1);
  if (!row) throw notFound('No such service.');
  return row;
}

/** Adds a service to the catalog (admins). The duration must be a multiple of the slot length. */
export async function createService(db: Executor, actor: Actor, profileId: string, input: ServiceInput): Promise<Service> {
  const membership = requireMembership(actor, profileId, ['admin']);
  const data = parseInput(serviceInputSchema, input);
  return db.transaction(async (tx) => {
    const practice = await lockPractice(tx, membership.profileId, 'share');
    assertFitsSlots(data.durationMinutes, practice.slotMinutes);
    const [row] = await tx
      .insert(medicalServices)
      .values({ profileId: membership.profileId, ...data })
      .returning(serviceColumns);
    await audit(tx, {
      profileId: membership.profileId,
      actorUserId: actor.userId,
      actorKind: 'user',
      action: 'service.created',
      entityType: 'medical_service',
      entityId: row.id,
      details: { ...data },
    });
    return row;
  });
}

/** Edits a service (admins). Only changed fields are written to the audit entry. */
export async function updateService(
  db: Executor,
  actor: Actor,
  profileId: string,
  serviceId: string,
  input: ServiceInput,
): Promise<Service> {
  const membership = requireMembership(actor, profileId, ['admin']);
  if (!isUuid(serviceId)) throw notFound('No such service.');
  const data = parseInput(serviceInputSchema, input);
  return db.transaction(async (tx) => {
    const practice = await lockPractice(tx, membership.profileId, 'share');
    const before = await lockService(tx, membership.profileId, serviceId);
    const changed = (Object.keys(data) as (keyof ServiceData)[]).filter((k) => before[k] !== data[k]);
    if (!changed.length) return before;
    // A deactivated service is checked again when it is reactivated, against the slot length then.
    if (before.isActive || changed.includes('durationMinutes')) assertFitsSlots(data.durationMinutes, practice.slotMinutes);
    const [row] = await tx
      .update(medicalServices)
      .set({ ...data, updatedAt: new Date() })
      .where(and(eq(medicalServices.id, serviceId), eq(medicalServices.profileId, membership.profileId)))
      .returning(serviceColumns);
    await audit(tx, {
      profileId: membership.profileId,
      actorUserId: actor.userId,
      actorKind: 'user',
      action: 'service.updated',
      entityType: 'medical_service',
      entityId: serviceId,
      details: Object.fromEntries(changed.map((k) => [k, { from: before[k], to: data[k] }])),
    });
    return row;
  });
}

/**
 * Soft-deletes (active = false) or reactivates a service (admins). A deactivated service leaves the
 * public page and the API but keeps its requests and reservations. A service whose duration no
 * longer fits the slot length cannot be reactivated until it is edited.
 */
export async function setServiceActive(
  db: Executor,
  actor: Actor,
  profileId: string,
  serviceId: string,
  active: boolean,
): Promise<Service> {
  const membership = requireMembership(actor, profileId, ['admin']);
  if (!isUuid(serviceId)) throw notFound('No such service.');
  return db.transaction(async (tx) => {
    const practice = await lockPractice(tx, membership.profileId, 'share');
    const before = await lockService(tx, membership.profileId, serviceId);
    if (before.isActive === active) return before;
    if (active && before.durationMinutes % practice.slotMinutes !== 0) {
      throw new DomainError(
        'invalid_request',
        `${before.name} lasts ${before.durationMinutes} minutes, not a multiple of the ${practice.slotMinutes}-minute slot length: edit its duration first.`,
      );
    }
    const [row] = await tx
      .update(medicalServices)
      .set({ isActive: active, updatedAt: new Date() })
      .where(and(eq(medicalServices.id, serviceId), eq(medicalServices.profileId, membership.profileId)))
      .returning(serviceColumns);
    await audit(tx, {
      profileId: membership.profileId,
      actorUserId: actor.userId,
      actorKind: 'user',
      action: active ? 'service.reactivated' : 'service.deactivated',
      entityType: 'medical_service',
      entityId: serviceId,
      details: { isActive: { from: before.isActive, to: active } },
    });
    return row;
  });
}

const serviceColumns = {
  id: medicalServices.id,
  name: medicalServices.name,
  description: medicalServices.description,
  durationMinutes: medicalServices.durationMinutes,
  priceAmount: medicalServices.priceAmount,
  currency: medicalServices.currency,
  isActive: medicalServices.isActive,
  createdAt: medicalServices.createdAt,
  updatedAt: medicalServices.updatedAt,
};

async function lockService(tx: Executor, profileId: string, serviceId: string): Promise<Service> {
  const [row] = await tx
    .select(serviceColumns)
    .from(medicalServices)
    .where(and(eq(medicalServices.id, serviceId), eq(medicalServices.profileId, profileId)))
    .for('update');
  if (!row) throw notFound('No such service.');
  return row;
}

function assertFitsSlots(durationMinutes: number, slotMinutes: number) {
  if (durationMinutes % slotMinutes === 0) return;
  const examples = [1, 2, 3, 4].map((n) => n * slotMinutes).filter((m) => m >= 5 && m <= 480);
  throw fieldError(
    'durationMinutes',
    `The duration must be a multiple of the practice's ${slotMinutes}-minute slot length (e.g. ${examples.join(', ')}).`,
  );
}
