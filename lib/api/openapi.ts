import { z } from 'zod';
import { ERRORS, type ErrorCode } from '@/lib/errors';
import { bookableSlotSchema, moneySchema, profileSlugSchema, publicProfileResponseSchema, publicServiceSchema, slotsQuerySchema, slotsResponseSchema } from '@/lib/validation/api';
import { apiErrorSchema } from '@/lib/validation/errors';
import { createdRequestSchema, createRequestBodySchema, idempotencyKeySchema, patientSchema, requestTokenSchema, requestViewSchema, verificationCodeSchema, verificationStartedSchema } from '@/lib/validation/requests';

/**
 * The OpenAPI 3.1 document of /api/v1, generated from the zod schemas the routes parse and answer
 * with: a change to a schema changes the document.
 */
export function buildOpenApiDocument(serverUrl: string) {
  const named = [
    publicProfileResponseSchema,
    publicServiceSchema,
    moneySchema,
    slotsResponseSchema,
    bookableSlotSchema,
    createRequestBodySchema,
    patientSchema,
    createdRequestSchema,
    requestViewSchema,
    verificationCodeSchema,
    verificationStartedSchema,
    apiErrorSchema,
  ];
  const registry = z.registry<{ id: string }>();
  for (const schema of named) {
    const id = (z.globalRegistry.get(schema) as { id?: string } | undefined)?.id;
    if (id) registry.add(schema, { id });
  }
  const { schemas } = z.toJSONSchema(registry, { uri: (id) => `#/components/schemas/${id}`, io: 'output', unrepresentable: 'any' });
  for (const s of Object.values(schemas)) delete (s as Record<string, unknown>).$schema;

  const ref = (schema: z.ZodType) => ({ $ref: `#/components/schemas/${(z.globalRegistry.get(schema) as { id: string }).id}` });
  const json = (schema: z.ZodType) => ({ 'application/json': { schema: ref(schema) } });
  // Each route's errors by code, from lib/errors' one list: codes that share a status share a response.
  const errors = (...codes: ErrorCode[]) => {
    const out: Record<number, { description: string; content: ReturnType<typeof json>; headers?: Record<string, unknown> }> = {};
    for (const code of [...codes, 'unavailable' as const]) {
      const { status, description } = ERRORS[code];
      const line = `\`${code}\`: ${description}`;
      out[status] = out[status] ? { ...out[status], description: `${out[status].description} ${line}` } : { description: line, content: json(apiErrorSchema) };
      if (status === 429 || status === 503) out[status].headers = { 'Retry-After': { schema: { type: 'integer' } } };
    }
    return out;
  };
  const param = (name: string, where: 'path' | 'query' | 'header', schema: z.ZodType, required = true) => {
    const s = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
    delete s.$schema;
    return { name, in: where, required, schema: s, ...(typeof s.description === 'string' ? { description: s.description } : {}) };
  };
  const slug = param('slug', 'path', profileSlugSchema);
  const token = param('token', 'path', requestTokenSchema.meta({ description: 'The token returned when the request was created.' }));
  const query = Object.entries(slotsQuerySchema.shape).map(([name, schema]) => param(name, 'query', schema as z.ZodType));

  return {
    openapi: '3.1.0',
    info: {
      title: 'Consulta public API',
      version: '1.0.0',
      description: 'Practices, free times and appointment requests. Times are ISO 8601 in UTC; each practice names its IANA time zone.',
    },
    servers: [{ url: serverUrl }],
    paths: {
      '/api/v1/profiles/{slug}': {
        get: {
          operationId: 'getProfile',
          summary: 'A practice and its active services',
          parameters: [slug],
          responses: { 200: { description: 'The practice', content: json(publicProfileResponseSchema) }, ...errors('not_found') },
        },
      },
      '/api/v1/profiles/{slug}/slots': {
        get: {
          operationId: 'listSlots',
          summary: 'Bookable starts of a service between two local dates',
          parameters: [slug, ...query],
          responses: {
            200: { description: 'Bookable starts, sorted', content: json(slotsResponseSchema) },
            ...errors('not_found', 'invalid_request'),
          },
        },
      },
      '/api/v1/profiles/{slug}/requests': {
        post: {
          operationId: 'createRequest',
          summary: 'Request an appointment (the doctor must approve it before it expires)',
          description:
            'With an integration key and `patient.phoneVerified: true` the request is created at once (201). Otherwise nothing is held yet: a one-time code goes to the patient (202) and the time is claimed when it comes back to POST /api/v1/verifications/{id}.',
          security: [{}, { integrationKey: [] }],
          parameters: [slug, param('Idempotency-Key', 'header', idempotencyKeySchema, false)],
          requestBody: { required: true, content: json(createRequestBodySchema) },
          responses: {
            201: { description: 'The pending request; the token is shown once', content: json(createdRequestSchema) },
            202: { description: 'A code was sent; nothing is held until it is given back', content: json(verificationStartedSchema) },
            ...errors('invalid_json', 'unauthorized', 'forbidden', 'not_found', 'slot_unavailable', 'too_many_pending', 'payload_too_large', 'unsupported_media_type', 'invalid_request', 'rate_limited'),
          },
        },
      },
      '/api/v1/verifications/{id}': {
        post: {
          operationId: 'acceptVerification',
          summary: 'Give back the one-time code: the contact is proved and the time claimed in one step',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' }, description: 'The verification id of the 202 answer.' }],
          requestBody: { required: true, content: json(verificationCodeSchema) },
          responses: {
            201: { description: 'The pending request, as a keyed request would get it', content: json(createdRequestSchema) },
            ...errors('invalid_json', 'not_found', 'slot_unavailable', 'too_many_pending', 'verification_expired', 'payload_too_large', 'unsupported_media_type', 'invalid_request', 'wrong_code'),
          },
        },
      },
      '/api/v1/requests/{token}': {
        get: {
          operationId: 'getRequest',
          summary: 'A request’s status',
          parameters: [token],
          responses: { 200: { description: 'The request', content: json(requestViewSchema) }, ...errors('not_found') },
        },
      },
      '/api/v1/requests/{token}/cancel': {
        post: {
          operationId: 'cancelRequest',
          summary: 'Cancel a pending request or a confirmed appointment',
          parameters: [token],
          responses: {
            200: { description: 'The cancelled request', content: json(requestViewSchema) },
            ...errors('not_found', 'request_not_pending'),
          },
        },
      },
    },
    components: {
      schemas,
      securitySchemes: { integrationKey: { type: 'http', scheme: 'bearer', description: 'A practice’s integration key (cst_…), created by its admins in the dashboard.' } },
    },
  };
}
