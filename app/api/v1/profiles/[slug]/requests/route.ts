import { apiJson, apiCaller, apiRoute, clientAddress, publicOrigin, readJsonBody } from '@/lib/api/http';
import { createRequest } from '@/lib/booking/create';
import type { CreateRequestInput } from '@/lib/validation/requests';

export const dynamic = 'force-dynamic';

/**
 * POST /api/v1/profiles/{slug}/requests (API.md): with an integration key and a phone it verified
 * itself, the request is created (201); otherwise a one-time code goes to the patient and nothing
 * is held until it comes back (202).
 */
export const POST = apiRoute<{ slug: string }>('v1.requests.create', async (req, { params }) => {
  const { slug } = await params;
  const integration = await apiCaller(req, slug);
  const body = (await readJsonBody(req)) as CreateRequestInput;
  const outcome = await createRequest(
    { clientAddress: clientAddress(req), baseUrl: publicOrigin(req), idempotencyKey: req.headers.get('idempotency-key'), integration },
    slug,
    body,
  );
  const headers = { 'Cache-Control': 'no-store' };
  if (outcome.kind === 'verification') {
    const { id, channel, sentTo, expiresAt } = outcome.verification;
    return apiJson({ verification: { id, channel, sentTo, expiresAt } }, { status: 202, headers });
  }
  const { id, status, startsAt, endsAt, expiresAt, token, statusUrl } = outcome.request;
  return apiJson({ id, status, startsAt, endsAt, expiresAt, token, statusUrl }, { status: 201, headers });
});
