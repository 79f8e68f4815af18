'use server';

import { refresh } from 'next/cache';
import { z } from 'zod';
import { publicAction } from '@/lib/actions';
import { cancelRequestByToken } from '@/lib/booking/status';
import { requestTokenSchema } from '@/lib/validation/requests';

/** The patient cancels with their status token; the page then re-renders in its new state. */
export const cancelRequestAction = publicAction(z.object({ token: requestTokenSchema }), async ({ token }, { db }) => {
  try {
    await cancelRequestByToken(db, token);
  } finally {
    // Cancelled, or it had moved on meanwhile (expired, decided): either way show its state now.
    refresh();
  }
  return { ok: true, message: 'Cancelled. The time is free again for other patients.' };
});
