import { and, eq, sql } from 'drizzle-orm';
import { profiles } from '@/db/schema';
import { executor, type CallOptions } from '@/lib/db';
import { notFound } from '@/lib/errors';
import { SLUG_PATTERN } from '@/lib/validation/api';

export interface PublicService {
  id: string;
  name: string;
  description: string;
  durationMinutes: number;
  price: { amount: number; currency: string };
}

/** What the practice card on the booking and status pages shows (issue 15). */
export interface PracticeCard {
  slug: string;
  name: string;
  specialty: string;
  timeZone: string;
  /** ISO 3166-1 alpha-2: phone numbers of this country are shown nationally. */
  country: string;
  address: string | null;
  /** E.164 */
  phone: string | null;
  email: string | null;
  /** The practice's own words; '' when it has none. */
  cancellationPolicy: string;
  /** How long the practice has to answer a request. */
  approvalWindowMinutes: number;
  /** Whether the practice sends WhatsApp messages (patients may opt out). */
  whatsappEnabled: boolean;
}

export interface PublicProfile extends PracticeCard {
  id: string;
  services: PublicService[];
}

const cardColumns = {
  id: profiles.id,
  slug: profiles.slug,
  name: profiles.displayName,
  specialty: profiles.specialty,
  timeZone: profiles.timeZone,
  country: profiles.country,
  address: profiles.address,
  phone: profiles.contactPhone,
  email: profiles.contactEmail,
  cancellationPolicy: profiles.cancellationPolicy,
  approvalWindowMinutes: profiles.approvalWindowMinutes,
  whatsappEnabled: profiles.whatsappEnabled,
};

/** An active practice's card by its public slug; not_found like getPublicProfile. */
export async function getPracticeCard(slug: string, opts?: CallOptions): Promise<PracticeCard & { id: string }> {
  if (typeof slug !== 'string' || !SLUG_PATTERN.test(slug)) throw notFound('No such practice.');
  const [practice] = await (await executor(opts))
    .select(cardColumns)
    .from(profiles)
    .where(and(eq(profiles.slug, slug), eq(profiles.isActive, true)))
    .limit(1);
  if (!practice) throw notFound('No such practice.');
  return practice;
}

/**
 * An active practice by its public slug with its active services (shortest first), as the public
 * booking page and `GET /api/v1/profiles/{slug}` show it, with its card. Public: no actor, so it
 * selects only what that page shows. An unknown, malformed or inactive slug is not_found.
 */
export async function getPublicProfile(slug: string, opts?: CallOptions): Promise<PublicProfile> {
  if (typeof slug !== 'string' || !SLUG_PATTERN.test(slug)) throw notFound('No such practice.');
  return keptBySlug('profile', slug, opts, () => readPublicProfile(slug, opts));
}

/*
 * The public profile is read by every booking page and `GET /api/v1/profiles/{slug}`, and changes
 * when an admin edits the catalog or the settings: the server keeps each practice's for a short
 * while, forgotten at once when this process commits a change (forgetPublicProfiles). Another
 * instance of the app may show the old catalog for at most KEEP_MS; nothing wrong can be booked
 * meanwhile, since a claim reads the service, the slots and the practice's settings again under
 * its locks. Only in production (`next start`): tests change practices behind lib's back, with SQL.
 */
const KEEP_MS = 30_000;
const MAX_KEPT = 1000;
// On globalThis: Next bundles route handlers, pages and actions separately, each with its own copy
// of this module; a change made by an action must be forgotten by the API route's copy too.
const KEY = Symbol.for('doctor-appointments.public-profiles');
type Kept = { kept: Map<string, { until: number; value: unknown }>; changes: number };
const shared = globalThis as Record<symbol, Kept | undefined>;
const store: Kept = (shared[KEY] ??= { kept: new Map(), changes: 0 });
const { kept } = store;

function caching(): boolean {
  // Read each time, not through env() (validated once): a test turns production on for a moment.
  return process.env.NODE_ENV === 'production';
}

/**
 * What `read` answers for a practice's slug, kept as the public profile is (above): `kind` names
 * the read (the public profile; what a booking needs of its practice, lib/booking/create.ts).
 * Outside production, inside a transaction, or when it throws (not found), nothing is kept. The
 * value is shared by every caller until forgotten: never change it.
 */
export async function keptBySlug<T>(kind: string, slug: string, opts: CallOptions | undefined, read: () => Promise<T>): Promise<T> {
  const cacheable = caching() && !opts?.tx;
  const key = `${kind}:${slug}`;
  if (cacheable) {
    const hit = kept.get(key);
    if (hit && hit.until > Date.now()) return hit.value as T;
  }
  const generation = store.changes;
  const value = await read();
  // Not kept if the catalog changed while it was read (it may be the old one).
  if (cacheable && generation === store.changes) keep(key, value);
  return value;
}

function keep(key: string, value: unknown) {
  kept.delete(key);
  // The oldest goes first (a Map iterates in insertion order).
  if (kept.size >= MAX_KEPT) kept.delete(kept.keys().next().value!);
  kept.set(key, { until: Date.now() + KEEP_MS, value });
}

/** After a committed change of a practice's catalog, card or settings: every page reads it fresh. */
export function forgetPublicProfiles(): void {
  store.changes++;
  kept.clear();
}

async function readPublicProfile(slug: string, opts?: CallOptions): Promise<PublicProfile> {
  // One round trip: the card and, as a JSON column, its active services. (profiles.id is written
  // out: in a one-table select drizzle writes its columns unqualified, which would bind inside.)
  const [practice] = await (await executor(opts))
    .select({
      ...cardColumns,
      services: sql<PublicService[]>`(SELECT coalesce(json_agg(json_build_object('id', s.id, 'name', s.name, 'description', s.description,
          'durationMinutes', s.duration_minutes, 'price', json_build_object('amount', s.price_amount, 'currency', s.currency))
          ORDER BY s.duration_minutes, s.name, s.id), '[]')
        FROM medical_services s WHERE s.profile_id = profiles.id AND s.is_active)`,
    })
    .from(profiles)
    .where(and(eq(profiles.slug, slug), eq(profiles.isActive, true)))
    .limit(1);
  if (!practice) throw notFound('No such practice.');
  return practice;
}
