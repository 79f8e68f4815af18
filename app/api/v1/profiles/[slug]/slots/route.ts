import { apiJson, apiCaller, apiRoute } from '@/lib/api/http';
import { findBookableStarts, type FindBookableStartsInput } from '@/lib/availability/query';
import { slotsQueryInput, type SlotsResponse } from '@/lib/validation/api';

export const dynamic = 'force-dynamic';

/** GET /api/v1/profiles/{slug}/slots?serviceId&from&to: bookable starts of one service (API.md). */
export const GET = apiRoute<{ slug: string }>('v1.slots', async (req, { params }) => {
  const { slug } = await params;
  await apiCaller(req, slug);
  const result = await findBookableStarts({ slug }, slotsQueryInput(new URL(req.url)) as FindBookableStartsInput);
  const body: SlotsResponse = {
    timeZone: result.timeZone,
    serviceId: result.serviceId,
    slots: result.starts.map((s) => ({ startsAt: s.startsAt.toISOString(), endsAt: s.endsAt.toISOString() })),
  };
  // Free times change with every request and decision: never serve them from a cache.
  return apiJson(body, { headers: { 'Cache-Control': 'no-store' } });
});
