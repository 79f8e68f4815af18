import { NextResponse } from 'next/server';
import { getDb } from '@/db/client';
import { apiRoute } from '@/lib/api/http';
import { cancelRequestByToken } from '@/lib/booking/status';
import { requestToJson } from '@/lib/booking/view';

export const dynamic = 'force-dynamic';

export const POST = apiRoute<{ token: string }>(async (_req, { params }) => {
  const { token } = await params;
  const view = await cancelRequestByToken(await getDb(), token);
  return NextResponse.json(requestToJson(view), { headers: { 'Cache-Control': 'no-store' } });
});
