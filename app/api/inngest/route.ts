import { NextResponse } from 'next/server';
import { serve } from 'inngest/next';
import { inngest } from '@/inngest/client';
import { functions } from '@/inngest';
import { workflowEndpointConfigured } from '@/lib/env';

const handlers = serve({ client: inngest, functions });

/**
 * Without Inngest Cloud keys or a Dev Server the endpoint has no engine to talk to (the app then
 * runs the sweeps itself): say so plainly instead of failing inside the SDK.
 */
const notConfigured = () =>
  NextResponse.json(
    { error: { code: 'not_configured', message: 'No workflow engine is configured: set INNGEST_SIGNING_KEY (Inngest Cloud) or INNGEST_DEV=1.' } },
    { status: 503 },
  );

type Handler = (typeof handlers)['GET'];

function guarded(handler: Handler): Handler {
  return ((...args: Parameters<Handler>) => (workflowEndpointConfigured() ? handler(...args) : notConfigured())) as Handler;
}

export const GET = guarded(handlers.GET);
export const POST = guarded(handlers.POST);
export const PUT = guarded(handlers.PUT);
