import { z } from 'zod';
import { ERROR_CODES } from '@/lib/errors';

/** The body of every API error (API.md); the codes are lib/errors' one list. */
export const apiErrorSchema = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES).meta({ description: 'Stable, machine-readable code.' }),
      message: z.string().meta({ description: 'What went wrong, for a person.' }),
      fields: z
        .record(z.string(), z.string())
        .optional()
        .meta({ description: 'With invalid_request: each bad field by its dot path (`patient.phone`) and its message.' }),
      requestId: z.string().optional().meta({ description: 'With internal_error: the id to quote when reporting the problem.' }),
    }),
  })
  .meta({ id: 'Error' });
