import { sql } from 'drizzle-orm';
import { NextResponse } from 'next/server';
import { getDb } from '@/db/client';

export const dynamic = 'force-dynamic';

/** Liveness with a database round trip: load balancers and the test server wait on it. */
export async function GET() {
  try {
    const db = await getDb();
    await db.execute(sql`SELECT 1`);
    return NextResponse.json({ ok: true });
  } catch (err) {
    console.error('[health] database unreachable', err);
    return NextResponse.json({ ok: false }, { status: 503 });
  }
}
