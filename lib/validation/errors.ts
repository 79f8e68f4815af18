import { z } from 'zod';

/** The body of every API error (API.md). */
export const apiErrorSchema = z
  .object({
    error: z.object({
      code: z
        .enum(['invalid_json', 'invalid_request', 'not_found', 'slot_unavailable', 'request_not_pending', 'payload_too_large', 'rate_limited'])
        .meta({ description: 'Stable, machine-readable code.' }),
      message: z.string().meta({ description: 'What went wrong, for a person.' }),
      fields: z
        .record(z.string(), z.string())
        .optional()
        .meta({ description: 'With invalid_request: each bad field by its dot path (`patient.phone`) and its message.' }),
    }),
  })
  .meta({ id: 'Error' });
