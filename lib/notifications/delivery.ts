import { and, eq, lte, sql } from 'drizzle-orm';
import { z } from 'zod';
import { notifications } from '@/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { authorize } from '@/lib/auth/permissions';
import { executor, type CallOptions } from '@/lib/db';
import { parseInput } from '@/lib/validation/fields';
import { channelConfigured, notificationConfig } from './config';

/** Whether the practice's e-mails can leave, for the dashboard's banner. */
export interface MailDeliveryStatus {
  /** SMTP_URL is set: e-mails are sent. */
  configured: boolean;
  /** Not configured, but printed to the server log instead (development only). */
  printedToLog: boolean;
  /** Not configured: the practice's e-mails due now and waiting in the outbox (0 when configured). */
  waiting: number;
}

/**
 * What the dashboard says about e-mail: without SMTP_URL in production, messages wait in the
 * outbox ("mail is not configured: N messages are waiting") until it is set; the sweep then sends them.
 */
export async function mailDeliveryStatus(actor: Actor | null, profileId: string, input: Record<string, never> = {}, opts?: CallOptions): Promise<MailDeliveryStatus> {
  authorize(actor, profileId, 'practice.view');
  parseInput(z.object({}), input);
  const config = notificationConfig();
  if (channelConfigured('email', config)) return { configured: true, printedToLog: false, waiting: 0 };
  if (config.printUnsent) return { configured: false, printedToLog: true, waiting: 0 };
  const db = await executor(opts);
  const now = opts?.now ?? new Date();
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(notifications)
    .where(and(eq(notifications.profileId, profileId), eq(notifications.channel, 'email'), eq(notifications.status, 'pending'), lte(notifications.dueAt, now)));
  return { configured: false, printedToLog: false, waiting: row?.n ?? 0 };
}
