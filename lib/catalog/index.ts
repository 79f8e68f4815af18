import { and, asc, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { medicalServices } from '@/db/schema';
import { audit } from '@/lib/audit';
import type { Actor } from '@/lib/auth/actor';
import { authorize } from '@/lib/auth/permissions';
import { scopedRow } from '@/lib/data/scope';
import { forgetPublicProfiles } from '@/lib/availability/public-profile';
import { executor, transaction, type CallOptions, type Tx } from '@/lib/db';
import { DomainError } from '@/lib/errors';
import { lockPractice } from '@/lib/practice/settings';
import {
  serviceActiveSchema,
  serviceInputSchema,
  serviceListSchema,
  serviceUpdateSchema,
  type ServiceData,
  type ServiceInput,
} from '@/lib/validation/catalog';
import { fieldError, parseInput } from '@/lib/validation/fields';

export type { ServiceInput };

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
  actor: Actor | null,
  profileId: string,
  input: { includeInactive?: boolean } = {},
  opts?: CallOptions,
): Promise<Service[]> {
  authorize(actor, profileId, 'practice.view');
  const { includeInactive } = parseInput(serviceListSchema, input);
  const db = await executor(opts);
  return db
    .select(serviceColumns)
    .from(medicalServices)
    .where(and(eq(medicalServices.profileId, profileId), includeInactive ? undefined : eq(medicalServices.isActive, true)))
    .orderBy(desc(medicalServices.isActive), asc(medicalServices.name), asc(medicalServices.id));
}

/** One service of the practice; another practice's service is not found. */
export async function getService(actor: Actor | null, profileId: string, input: { serviceId: string }, opts?: CallOptions): Promise<Service> {
  authorize(actor, profileId, 'practice.view');
  const { serviceId } = parseInput(serviceIdSchema, input);
  const db = await executor(opts);
  return scopedRow(medicalServices, profileId, serviceId, 'service', (where) => db.select(serviceColumns).from(medicalServices).where(where).limit(1));
}

/** Adds a service to the catalog (admins). The duration must be a multiple of the slot length. */
export async function createService(actor: Actor | null, profileId: string, input: ServiceInput, opts?: CallOptions): Promise<Service> {
  authorize(actor, profileId, 'catalog.edit');
  const data = parseInput(serviceInputSchema, input);
  const row = await transaction(opts, async (tx) => {
    const practice = await lockPractice(tx, profileId, 'share');
    assertFitsSlots(data.durationMinutes, practice.slotMinutes);
    const [row] = await tx
      .insert(medicalServices)
      .values({ profileId, ...data })
      .returning(serviceColumns);
    await auditService(tx, actor!, profileId, 'service.created', row.id, { ...data });
    return row;
  });
  forgetPublicProfiles();
  return row;
}

/** Edits a service (admins). Only changed fields are written to the audit entry. */
export async function updateService(
  actor: Actor | null,
  profileId: string,
  input: z.input<typeof serviceUpdateSchema>,
  opts?: CallOptions,
): Promise<Service> {
  authorize(actor, profileId, 'catalog.edit');
  const { serviceId, ...data } = parseInput(serviceUpdateSchema, input);
  const row = await transaction(opts, async (tx) => {
    const practice = await lockPractice(tx, profileId, 'share');
    const before = await lockService(tx, profileId, serviceId);
    const changed = (Object.keys(data) as (keyof ServiceData)[]).filter((k) => before[k] !== data[k]);
    if (!changed.length) return before;
    // A deactivated service is checked again when it is reactivated, against the slot length then.
    if (before.isActive || changed.includes('durationMinutes')) assertFitsSlots(data.durationMinutes, practice.slotMinutes);
    const [row] = await tx
      .update(medicalServices)
      .set({ ...data, updatedAt: new Date() })
      .where(and(eq(medicalServices.id, before.id), eq(medicalServices.profileId, profileId)))
      .returning(serviceColumns);
    const details = Object.fromEntries(changed.map((k) => [k, { from: before[k], to: data[k] }]));
    await auditService(tx, actor!, profileId, 'service.updated', before.id, details);
    return row;
  });
  forgetPublicProfiles();
  return row;
}

/**
 * Soft-deletes (active = false) or reactivates a service (admins). A deactivated service leaves the
 * public page and the API but keeps its requests and reservations. A service whose duration no
 * longer fits the slot length cannot be reactivated until it is edited.
 */
export async function setServiceActive(
  actor: Actor | null,
  profileId: string,
  input: z.input<typeof serviceActiveSchema>,
  opts?: CallOptions,
): Promise<Service> {
  authorize(actor, profileId, 'catalog.edit');
  const { serviceId, active } = parseInput(serviceActiveSchema, input);
  const row = await transaction(opts, async (tx) => {
    const practice = await lockPractice(tx, profileId, 'share');
    const before = await lockService(tx, profileId, serviceId);
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
      .where(and(eq(medicalServices.id, before.id), eq(medicalServices.profileId, profileId)))
      .returning(serviceColumns);
    const action = active ? 'service.reactivated' : 'service.deactivated';
    await auditService(tx, actor!, profileId, action, before.id, { isActive: { from: before.isActive, to: active } });
    return row;
  });
  forgetPublicProfiles();
  return row;
}

const serviceIdSchema = z.object({ serviceId: z.string({ error: 'Which service?' }) });

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

function lockService(tx: Tx, profileId: string, serviceId: string): Promise<Service> {
  return scopedRow(medicalServices, profileId, serviceId, 'service', (where) =>
    tx.select(serviceColumns).from(medicalServices).where(where).for('update'),
  );
}

function auditService(tx: Tx, actor: Actor, profileId: string, action: string, serviceId: string, details: Record<string, unknown>) {
  return audit(tx, {
    profileId,
    actorUserId: actor.userId,
    actorKind: 'user',
    action,
    entityType: 'medical_service',
    entityId: serviceId,
    details,
  });
}

function assertFitsSlots(durationMinutes: number, slotMinutes: number) {
  if (durationMinutes % slotMinutes === 0) return;
  const examples = [1, 2, 3, 4].map((n) => n * slotMinutes).filter((m) => m >= 5 && m <= 480);
  throw fieldError(
    'durationMinutes',
    `The duration must be a multiple of the practice's ${slotMinutes}-minute slot length (e.g. ${examples.join(', ')}).`,
  );
}
