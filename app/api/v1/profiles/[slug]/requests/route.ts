import { NextResponse } from 'next/server';
import { apiRoute, clientAddress, publicOrigin, readJsonBody } from '@/lib/api/http';
import { createRequest } from '@/lib/booking/create';
import type { CreateRequestInput } from '@/lib/validation/requests';

export const dynamic = 'force-dynamic';

/** POST /api/v1/profiles/{slug}/requests: a patient's request for a time (API.md). */
export const POST = apiRoute<{ slug: string }>('v1.requests.create', async (req, { params }) => {
  const { slug } = await params;
  const body = (await readJsonBody(req)) as CreateRequestInput;
  const created = await createRequest(
    { clientAddress: clientAddress(req), baseUrl: publicOrigin(req), idempotencyKey: req.headers.get('idempotency-key') },
    slug,
    body,
  );
  const { id, status, startsAt, endsAt, expiresAt, token, statusUrl } = created;
  return NextResponse.json({ id, status, startsAt, endsAt, expiresAt, token, statusUrl }, { status: 201, headers: { 'Cache-Control': 'no-store' } });
});
