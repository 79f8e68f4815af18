import { NextResponse } from 'next/server';
import { getDb } from '@/db/client';
import { apiRoute, clientAddress, parseOrThrow, readJson } from '@/lib/api/http';
import { createRequest } from '@/lib/booking/create';
import { DomainError } from '@/lib/errors';
import { createRequestBodySchema, idempotencyKeySchema } from '@/lib/validation/requests';
import { z } from 'zod';

export const dynamic = 'force-dynamic';

const slugSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/);

export const POST = apiRoute<{ slug: string }>(async (req, { params }) => {
  const { slug } = await params;
  if (!slugSchema.safeParse(slug).success) throw new DomainError('not_found', 'No such practice.');
  const body = await readJson(req, createRequestBodySchema);
  const rawKey = req.headers.get('idempotency-key');
  const idempotencyKey =
    rawKey === null
      ? undefined
      : parseOrThrow(z.object({ 'Idempotency-Key': idempotencyKeySchema }), { 'Idempotency-Key': rawKey })['Idempotency-Key'];
  const created = await createRequest(await getDb(), {
    slug,
    body,
    idempotencyKey,
    clientAddress: clientAddress(req),
    baseUrl: process.env.APP_URL ?? new URL(req.url).origin,
  });
  return NextResponse.json(
    { id: created.id, status: created.status, startsAt: created.startsAt, endsAt: created.endsAt, expiresAt: created.expiresAt, token: created.token, statusUrl: created.statusUrl }, { status: 201, headers: { 'Cache-Control': 'no-store' } });
});
