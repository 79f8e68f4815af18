import { NextResponse } from 'next/server';
import { apiRoute, publicOrigin } from '@/lib/api/http';
import { buildOpenApiDocument } from '@/lib/api/openapi';

export const dynamic = 'force-dynamic';

export const GET = apiRoute('v1.openapi', async (req) => NextResponse.json(buildOpenApiDocument(publicOrigin(req))));
