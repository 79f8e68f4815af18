import { describe, expect, it } from 'vitest';
import { GET } from '@/app/api/v1/openapi.json/route';

describe('GET /api/v1/openapi.json', () => {
  it('describes exactly the routes of API.md, generated from the zod schemas', async () => {
    const res = await GET(new Request('http://localhost:3000/api/v1/openapi.json'), { params: Promise.resolve({}) });
    expect(res.status).toBe(200);
    const doc = await res.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/api/v1/profiles/{slug}',
      '/api/v1/profiles/{slug}/requests',
      '/api/v1/profiles/{slug}/slots',
      '/api/v1/requests/{token}',
      '/api/v1/requests/{token}/cancel',
      '/api/v1/verifications/{id}',
    ]);
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining(['BookableSlots', 'CreateRequest', 'CreatedRequest', 'Error', 'PublicProfile', 'Request']),
    );
    // Every reference resolves inside the document.
    const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
    expect(refs.length).toBeGreaterThan(5);
    for (const r of refs) {
      const target = r.slice(8, -1).replace('#/components/schemas/', '');
      expect(doc.components.schemas, r).toHaveProperty([target]);
    }
    expect(doc.paths['/api/v1/profiles/{slug}/requests'].post.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/CreateRequest' });
    const body = doc.components.schemas.CreateRequest;
    expect(body.required).toEqual(expect.arrayContaining(['serviceId', 'startsAt', 'patient', 'consent']));
    expect(doc.components.schemas.Patient.properties.phone.pattern).toBeDefined();
    expect(body.properties.consent.const).toBe(true);
    const post = doc.paths['/api/v1/profiles/{slug}/requests'].post;
    expect(Object.keys(post.responses).sort()).toEqual(['201', '202', '400', '401', '403', '404', '409', '413', '415', '422', '429', '503']);
    expect(post.parameters.map((p: { name: string }) => p.name)).toEqual(['slug', 'Idempotency-Key']);
    const slots = doc.paths['/api/v1/profiles/{slug}/slots'].get;
    expect(slots.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`)).toEqual(['path:slug', 'query:serviceId', 'query:from', 'query:to']);
    expect(doc.components.schemas.Error.properties.error.properties.code.enum).toContain('slot_unavailable');
  });
});
