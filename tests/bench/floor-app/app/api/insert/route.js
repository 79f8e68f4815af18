/**
 * The floor of bench:roundtrips' HTTP booking route: a Next route that reads a JSON body and does
 * one INSERT through the same driver the app uses (drizzle on a node-postgres Pool of the same
 * size), and answers 201 with the new id. Nothing else: no validation, no transaction.
 */
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { Pool } from 'pg';

const g = globalThis;
g.__floorDb ??= drizzle({ client: new Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.PG_POOL_MAX ?? 20) }) });

export const dynamic = 'force-dynamic';

export async function POST(req) {
  const body = await req.json();
  const result = await g.__floorDb.execute(sql`INSERT INTO bench_floor (body) VALUES (${JSON.stringify(body)}::jsonb) RETURNING id`);
  return Response.json({ id: result.rows[0].id }, { status: 201, headers: { 'Cache-Control': 'no-store' } });
}

export async function GET() {
  return Response.json({ ok: true });
}
