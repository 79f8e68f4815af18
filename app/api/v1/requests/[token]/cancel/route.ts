import { NextResponse } from 'next/server';
import { apiRoute } from '@/lib/api/http';
import { cancelRequestByToken } from '@/lib/booking/status';
import { requestToJson } from '@/lib/booking/view';

export const dynamic = 'force-dynamic';

export const POST = apiRoute<{ token: string }>('v1.requests.cancel', async (_req, { params }) => {
  const view = await cancelRequestByToken((await params).token);
  return NextResponse.json(requestToJson(view), { headers: { 'Cache-Control': 'no-store' } });
});
