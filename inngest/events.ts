import { eventType } from 'inngest';
import { z } from 'zod';

/** Events of the appointment workflows. Each is written to the outbox before it is sent. */
export const reservationRequested = eventType('reservation/requested', {
  schema: z.object({ requestId: z.string().uuid(), profileId: z.string().uuid(), expiresAt: z.string() }),
});

export const reservationDecided = eventType('reservation/decided', {
  schema: z.object({
    requestId: z.string().uuid(),
    profileId: z.string().uuid(),
    decision: z.enum(['approved', 'rejected']),
  }),
});

export const reservationConfirmed = eventType('reservation/confirmed', {
  schema: z.object({ reservationId: z.string().uuid(), requestId: z.string().uuid(), profileId: z.string().uuid() }),
});

export const reservationCancelled = eventType('reservation/cancelled', {
  schema: z.object({
    requestId: z.string().uuid(),
    profileId: z.string().uuid(),
    reservationId: z.string().uuid().nullable(),
    by: z.enum(['patient', 'doctor', 'system']),
  }),
});

export const workflowEvents = {
  'reservation/requested': reservationRequested,
  'reservation/decided': reservationDecided,
  'reservation/confirmed': reservationConfirmed,
  'reservation/cancelled': reservationCancelled,
} as const;

export type WorkflowEventName = keyof typeof workflowEvents;
export type WorkflowEventData<N extends WorkflowEventName> = z.infer<(typeof workflowEvents)[N]['schema']>;
