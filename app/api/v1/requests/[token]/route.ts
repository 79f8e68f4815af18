import { apiJson, apiCaller, apiRoute } from '@/lib/api/http';
import { getRequestByToken } from '@/lib/booking/status';
import { requestToJson } from '@/lib/booking/view';

export const dynamic = 'force-dynamic';

export const GET = apiRoute<{ token: string }>('v1.requests.read', async (req, { params }) => {
  await apiCaller(req);
  const view = await getRequestByToken((await params).token);
  return apiJson(requestToJson(view), { headers: { 'Cache-Control': 'no-store' } });
});
