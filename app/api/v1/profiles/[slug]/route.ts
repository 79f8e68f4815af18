import { apiJson, apiCaller, apiRoute } from '@/lib/api/http';
import { getPublicProfile } from '@/lib/availability/public-profile';
import type { PublicProfileResponse } from '@/lib/validation/api';

export const dynamic = 'force-dynamic';

/** GET /api/v1/profiles/{slug}: the practice and its active services (API.md). */
export const GET = apiRoute<{ slug: string }>('v1.profile', async (req, { params }) => {
  const { slug } = await params;
  await apiCaller(req, slug);
  const profile = await getPublicProfile(slug);
  const body: PublicProfileResponse = {
    slug: profile.slug,
    name: profile.name,
    specialty: profile.specialty,
    timeZone: profile.timeZone,
    services: profile.services.map((s) => ({
      id: s.id,
      name: s.name,
      description: s.description,
      durationMinutes: s.durationMinutes,
      price: { amount: s.price.amount, currency: s.price.currency },
    })),
  };
  return apiJson(body);
});
