import { apiJson, apiCaller, apiRoute } from '@/lib/api/http';
import { cancelRequestByToken } from '@/lib/booking/status';
import { requestToJson } from '@/lib/booking/view';

export const dynamic = 'force-dynamic';

export const POST = apiRoute<{ token: string }>('v1.requests.cancel', async (req, { params }) => {
  await apiCaller(req);
  const view = await cancelRequestByToken((await params).token);
  return apiJson(requestToJson(view), { headers: { 'Cache-Control': 'no-store' } });
});
