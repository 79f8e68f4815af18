import { NextResponse } from 'next/server';
import { getDb } from '@/db/client';
import { apiRoute, parseOrThrow } from '@/lib/api/http';
import { findBookableStartsBySlug } from '@/lib/availability/query';
import { notFound } from '@/lib/errors';
import { profileParamsSchema, slotsQueryInput, slotsQuerySchema, type SlotsResponse } from '@/lib/validation/api';

export const dynamic = 'force-dynamic';

/** GET /api/v1/profiles/{slug}/slots?serviceId&from&to: bookable starts of one service (API.md). */
export const GET = apiRoute<{ slug: string }>(async (req, { params }) => {
  const parsed = profileParamsSchema.safeParse(await params);
  if (!parsed.success) throw notFound('No such practice.');
  const query = parseOrThrow(slotsQuerySchema, slotsQueryInput(new URL(req.url)), 'The query is not valid.');
  const result = await findBookableStartsBySlug(await getDb(), {
    slug: parsed.data.slug,
    serviceId: query.serviceId,
    fromDate: query.from,
    toDate: query.to,
  });
  const body: SlotsResponse = {
    timeZone: result.timeZone,
    serviceId: result.serviceId,
    slots: result.starts.map((s) => ({ startsAt: s.startsAt.toISOString(), endsAt: s.endsAt.toISOString() })),
  };
  // Free times change with every request and decision: never serve them from a cache.
  return NextResponse.json(body, { headers: { 'Cache-Control': 'no-store' } });
});
