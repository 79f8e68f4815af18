import { and, asc, eq } from 'drizzle-orm';
import { medicalServices, profiles } from '@/db/schema';
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

export interface PublicProfile {
  id: string;
  slug: string;
  name: string;
  specialty: string;
  timeZone: string;
  services: PublicService[];
}

/**
 * An active practice by its public slug with its active services (shortest first), as the public
 * booking page and `GET /api/v1/profiles/{slug}` show it. Public: no actor, so it selects only
 * what that page shows. An unknown, malformed or inactive slug is not_found.
 */
export async function getPublicProfile(slug: string, opts?: CallOptions): Promise<PublicProfile> {
  if (typeof slug !== 'string' || !SLUG_PATTERN.test(slug)) throw notFound('No such practice.');
  const db = await executor(opts);
  const [practice] = await db
    .select({ id: profiles.id, slug: profiles.slug, name: profiles.displayName, specialty: profiles.specialty, timeZone: profiles.timeZone })
    .from(profiles)
    .where(and(eq(profiles.slug, slug), eq(profiles.isActive, true)))
    .limit(1);
  if (!practice) throw notFound('No such practice.');
  const services = await db
    .select({
      id: medicalServices.id,
      name: medicalServices.name,
      description: medicalServices.description,
      durationMinutes: medicalServices.durationMinutes,
      amount: medicalServices.priceAmount,
      currency: medicalServices.currency,
    })
    .from(medicalServices)
    .where(and(eq(medicalServices.profileId, practice.id), eq(medicalServices.isActive, true)))
    .orderBy(asc(medicalServices.durationMinutes), asc(medicalServices.name), asc(medicalServices.id));
  return {
    ...practice,
    services: services.map(({ amount, currency, ...s }) => ({ ...s, price: { amount, currency } })),
  };
}
