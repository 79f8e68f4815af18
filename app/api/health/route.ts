import { NextResponse } from 'next/server';
import { databaseReachable } from '@/lib/db';

export const dynamic = 'force-dynamic';

/** Liveness with a database round trip: load balancers and the test server wait on it. */
export async function GET() {
  const ok = await databaseReachable();
  return NextResponse.json({ ok }, { status: ok ? 200 : 503, headers: { 'Cache-Control': 'no-store', ...(ok ? {} : { 'Retry-After': '5' }) } });
}
