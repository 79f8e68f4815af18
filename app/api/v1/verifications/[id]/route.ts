import { apiJson, apiRoute, publicOrigin, readJsonBody } from '@/lib/api/http';
import { acceptVerification } from '@/lib/booking/verification';

export const dynamic = 'force-dynamic';

/**
 * POST /api/v1/verifications/{id} with `{code}` (or `{code, startsAt}` after a 409): the code
 * proves the contact and, in the same transaction, the time is claimed (201, as a keyed request).
 */
export const POST = apiRoute<{ id: string }>('v1.verifications.accept', async (req, { params }) => {
  const { id } = await params;
  const body = (await readJsonBody(req)) as { code?: unknown; startsAt?: unknown };
  const { request } = await acceptVerification(id, body ?? {}, { baseUrl: publicOrigin(req) });
  const { status, startsAt, endsAt, expiresAt, token, statusUrl } = request;
  return apiJson({ id: request.id, status, startsAt, endsAt, expiresAt, token, statusUrl }, { status: 201, headers: { 'Cache-Control': 'no-store' } });
});
