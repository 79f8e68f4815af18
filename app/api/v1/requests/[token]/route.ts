import { NextResponse } from 'next/server';
import { getDb } from '@/db/client';
import { apiRoute } from '@/lib/api/http';
import { getRequestByToken } from '@/lib/booking/status';
import { requestToJson } from '@/lib/booking/view';

export const dynamic = 'force-dynamic';

export const GET = apiRoute<{ token: string }>(async (_req, { params }) => {
  const { token } = await params;
  const view = await getRequestByToken(await getDb(), token);
  return NextResponse.json(requestToJson(view), { headers: { 'Cache-Control': 'no-store' } });
});
