import type { MemberRole } from '@/db/schema';
import { DomainError } from '@/lib/errors';
import { isUuid } from '@/lib/validation/fields';
import type { Actor, Membership } from './actor';

/**
 * The one permission map: every lib entry point names one permission, and pages and the nav ask
 * the same map what to show. A role not listed for a permission is refused explicitly.
 */
export const PERMISSIONS = {
  /** The dashboard's overview, requests list and agenda. */
  'practice.view': ['doctor', 'admin', 'front_desk'],
  /**
   * Approve or reject a pending request (undo included), and a patient's move of an appointment
   * (lib/booking/move-decide.ts). A front-desk member only where the practice allows it
   * (`profiles.front_desk_decides`, checked by lib/approval).
   */
  'requests.decide': ['doctor', 'front_desk'],
  /** Offer other times instead of the one requested; same rule for the front desk as deciding. */
  'requests.propose': ['doctor', 'front_desk'],
  /** Book a patient who phones in straight into an approved appointment (on the staff member's word). */
  'appointments.book': ['doctor', 'front_desk'],
  /** Cancel an appointment or record its outcome. */
  'appointments.manage': ['doctor', 'admin', 'front_desk'],
  /** An appointment's messages and their delivery. */
  'messages.view': ['doctor', 'admin', 'front_desk'],
  /** Read and write clinical notes. */
  'notes.read': ['doctor'],
  'notes.write': ['doctor'],
  /** That notes exist and when they were written, not what they say. */
  'notes.summary': ['doctor', 'admin'],
  'catalog.edit': ['admin'],
  'availability.edit': ['doctor', 'admin'],
  'settings.edit': ['admin'],
  'audit.read': ['admin'],
  'members.view': ['admin'],
  /** Invite, change roles, remove; resend or revoke invitations. */
  'members.manage': ['admin'],
  /** Create, list and revoke the practice's integration (API) keys. */
  'integrations.manage': ['admin'],
} as const satisfies Record<string, readonly MemberRole[]>;

export type Permission = keyof typeof PERMISSIONS;

/** Each role as the dashboard names it. */
export const ROLE_NAMES: Record<MemberRole, string> = { doctor: 'doctor', admin: 'admin', front_desk: 'front-desk member' };

/** "a doctor", "a doctor and an admin": a member's roles in words. */
export function describeRoles(roles: readonly MemberRole[]): string {
  const words = roles.map((r) => `${/^[aeiou]/.test(ROLE_NAMES[r]) ? 'an' : 'a'} ${ROLE_NAMES[r]}`);
  return words.length > 1 ? `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}` : (words[0] ?? 'a member');
}

/** Whether a member's roles grant a permission (for what a page shows; lib checks with `authorize`). */
export function can(roles: readonly MemberRole[], permission: Permission): boolean {
  const allowed = PERMISSIONS[permission] as readonly MemberRole[];
  return roles.some((role) => allowed.includes(role));
}

const REFUSALS: Partial<Record<Permission, string>> = {
  'notes.read': 'Only the practice’s doctors can read or write clinical notes.',
  'notes.write': 'Only the practice’s doctors can read or write clinical notes.',
};

/**
 * The actor's membership of the practice if it holds `permission`: signed out is `unauthorized`,
 * a practice the actor does not belong to (or no practice id at all) is `not_found`, a role
 * without the permission is `forbidden`.
 */
export function authorize(actor: Actor | null | undefined, profileId: unknown, permission: Permission): Membership {
  if (!actor) throw new DomainError('unauthorized', 'Your session has ended. Sign in again.');
  const membership = isUuid(profileId) ? actor.memberships.find((m) => m.profileId === profileId) : undefined;
  if (!membership) throw new DomainError('not_found', 'No such practice.');
  if (!can(membership.roles, permission)) {
    const roles = PERMISSIONS[permission] as readonly MemberRole[];
    const who = roles.map((r) => `${/^[aeiou]/.test(ROLE_NAMES[r]) ? 'an' : 'a'} ${ROLE_NAMES[r]}`).join(' or ');
    throw new DomainError('forbidden', REFUSALS[permission] ?? `Only ${who} of this practice may do that.`);
  }
  return membership;
}
