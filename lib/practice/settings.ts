import { and, asc, eq, sql } from 'drizzle-orm';
import { medicalServices, profiles } from '@/db/schema';
import { audit } from '@/lib/audit';
import type { Actor } from '@/lib/auth/actor';
import { authorize } from '@/lib/auth/permissions';
import { materializeSlots, type MaterializeResult } from '@/lib/availability/materialize';
import { forgetPublicProfiles } from '@/lib/availability/public-profile';
import { executor, transaction, type CallOptions, type Executor } from '@/lib/db';
import { notFound } from '@/lib/errors';
import { fieldError, parseInput } from '@/lib/validation/fields';
import { settingsInputSchema, type SettingsData, type SettingsInput } from '@/lib/validation/practice-settings';

export type { SettingsInput };

/** Every setting (in code a caller may leave out the newer ones; stored, each has its value). */
export type SettingsValues = Required<SettingsData>;

export interface PracticeSettings extends SettingsValues {
  profileId: string;
  slug: string;
  displayName: string;
}

export interface UpdateSettingsResult {
  settings: PracticeSettings;
  /** Names of the settings that changed (empty: nothing to save). */
  changed: (keyof SettingsData)[];
  /** Set when the change moved the slots (time zone, slot length, horizon). */
  regenerated: MaterializeResult | null;
}

/** A practice's settings; admins of the practice only. */
export async function getSettings(actor: Actor | null, profileId: string, _input?: object, opts?: CallOptions): Promise<PracticeSettings> {
  authorize(actor, profileId, 'settings.edit');
  const db = await executor(opts);
  const [row] = await db.select(settingsColumns).from(profiles).where(eq(profiles.id, profileId)).limit(1);
  if (!row) throw notFound('No such practice.');
  return row;
}

/**
 * Validates and saves a practice's settings in one transaction with an audit entry of the changed
 * fields. A new slot length must keep every active service's duration a multiple of it. A change
 * of time zone, slot length or horizon regenerates the future available slots in the same
 * transaction (held, reserved and blocked slots stay as they are).
 */
export async function updateSettings(
  actor: Actor | null,
  profileId: string,
  input: SettingsInput,
  opts?: CallOptions,
): Promise<UpdateSettingsResult> {
  authorize(actor, profileId, 'settings.edit');
  const data = parseInput(settingsInputSchema, input);
  const now = opts?.now ?? new Date();
  const result = await transaction(opts, async (tx) => {
    const [before] = await tx.select(settingsColumns).from(profiles).where(eq(profiles.id, profileId)).for('update');
    if (!before) throw notFound('No such practice.');

    if (data.slotMinutes !== before.slotMinutes) {
      const misfits = await tx
        .select({ name: medicalServices.name, durationMinutes: medicalServices.durationMinutes })
        .from(medicalServices)
        .where(
          and(
            eq(medicalServices.profileId, profileId),
            eq(medicalServices.isActive, true),
            sql`${medicalServices.durationMinutes} % ${data.slotMinutes} <> 0`,
          ),
        )
        .orderBy(asc(medicalServices.name));
      if (misfits.length) {
        const list = misfits.map((s) => `${s.name} (${s.durationMinutes} min)`).join(', ');
        throw fieldError(
          'slotMinutes',
          `Every active service's duration must be a multiple of the slot length; these are not multiples of ${data.slotMinutes}: ${list}.`,
        );
      }
    }

    // A setting left out (undefined: callers in code that predate it) keeps its value.
    const given = Object.fromEntries(Object.entries(data).filter(([, v]) => v !== undefined)) as Partial<SettingsData>;
    const changed = (Object.keys(given) as (keyof SettingsData)[]).filter((k) => !sameValue(before[k], given[k]));
    if (!changed.length) return { settings: before, changed, regenerated: null };

    await tx.update(profiles).set(given).where(eq(profiles.id, profileId));
    await audit(tx, {
      profileId,
      actorUserId: actor!.userId,
      actorKind: 'user',
      action: 'practice.settings_updated',
      entityType: 'profile',
      entityId: profileId,
      details: Object.fromEntries(changed.map((k) => [k, { from: before[k], to: given[k] }])),
    });
    const affectsSlots = changed.some((k) => k === 'timeZone' || k === 'slotMinutes' || k === 'horizonDays');
    const regenerated = affectsSlots ? await materializeSlots(tx, profileId, now) : null;
    return { settings: { ...before, ...given }, changed, regenerated };
  });
  if (result.changed.length) forgetPublicProfiles();
  return result;
}

/** The editable part of the settings (what updateSettings takes). */
export function editableSettings(s: PracticeSettings): SettingsValues {
  return {
    timeZone: s.timeZone,
    slotMinutes: s.slotMinutes,
    minNoticeMinutes: s.minNoticeMinutes,
    horizonDays: s.horizonDays,
    approvalWindowMinutes: s.approvalWindowMinutes,
    reminderOffsetsMinutes: s.reminderOffsetsMinutes,
    contactPhone: s.contactPhone,
    contactEmail: s.contactEmail,
    address: s.address,
    whatsappEnabled: s.whatsappEnabled,
    requireTwoFactor: s.requireTwoFactor,
    frontDeskDecides: s.frontDeskDecides,
    idleTimeoutMinutes: s.idleTimeoutMinutes,
    country: s.country,
    defaultLocale: s.defaultLocale,
    cancellationPolicy: s.cancellationPolicy,
    moveCutoffMinutes: s.moveCutoffMinutes,
    maxMovesPerRequest: s.maxMovesPerRequest,
  };
}

/**
 * Locks the practice's row for the rest of the transaction and returns what slot checks need.
 * `share` for changes that depend on the settings (a service's duration against the slot length),
 * `update` for changes that must not interleave (overlap checks of rules, slot regeneration).
 */
export async function lockPractice(tx: Executor, profileId: string, mode: 'share' | 'update') {
  const [row] = await tx
    .select({ id: profiles.id, timeZone: profiles.timeZone, slotMinutes: profiles.slotMinutes })
    .from(profiles)
    .where(eq(profiles.id, profileId))
    .for(mode);
  if (!row) throw notFound('No such practice.');
  return row;
}

const settingsColumns = {
  profileId: profiles.id,
  slug: profiles.slug,
  displayName: profiles.displayName,
  timeZone: profiles.timeZone,
  slotMinutes: profiles.slotMinutes,
  minNoticeMinutes: profiles.minNoticeMinutes,
  horizonDays: profiles.horizonDays,
  approvalWindowMinutes: profiles.approvalWindowMinutes,
  reminderOffsetsMinutes: profiles.reminderOffsetsMinutes,
  contactPhone: profiles.contactPhone,
  contactEmail: profiles.contactEmail,
  address: profiles.address,
  whatsappEnabled: profiles.whatsappEnabled,
  requireTwoFactor: profiles.requireTwoFactor,
  frontDeskDecides: profiles.frontDeskDecides,
  idleTimeoutMinutes: profiles.idleTimeoutMinutes,
  country: profiles.country,
  defaultLocale: profiles.defaultLocale,
  cancellationPolicy: profiles.cancellationPolicy,
  moveCutoffMinutes: profiles.moveCutoffMinutes,
  maxMovesPerRequest: profiles.maxMovesPerRequest,
};

function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => v === b[i]);
  return a === b;
}
