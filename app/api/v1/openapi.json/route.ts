import { NextResponse } from 'next/server';
import { buildOpenApiDocument } from '@/lib/api/openapi';

export const dynamic = 'force-dynamic';

export function GET(req: Request) {
  return NextResponse.json(buildOpenApiDocument(process.env.APP_URL ?? new URL(req.url).origin));
}
