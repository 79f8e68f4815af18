import { randomUUID } from 'node:crypto';
import { audit } from '@/lib/audit';
import { getDb } from '@/lib/db';
import { logWarn } from '@/lib/log';
import { channelReady, notificationConfig, type NotificationConfig } from '@/lib/notifications/config';
import { deliver } from '@/lib/notifications/transports';

/**
 * Staff e-mails (verification, invitation, password reset) go straight through the notifications'
 * transport after the commit, not through the `notifications` outbox: that table belongs to a
 * practice (`profile_id` is required) and a password reset belongs to a person; and these mails
 * carry a sign-in-grade link that must not wait in a table in plain text. Each is short-lived and
 * asked for by someone waiting for it, who can ask again: nothing to retry later. The send is
 * recorded in `audit_log` (purpose and outcome; never the link).
 */
export type StaffMailPurpose = 'email_verification' | 'invitation' | 'password_reset';

export type StaffMailOutcome = 'sent' | 'logged' | 'failed' | 'not_configured';

export interface StaffMail {
  purpose: StaffMailPurpose;
  to: string;
  subject: string;
  text: string;
  /** The audit entry's subject. */
  profileId: string | null;
  userId: string | null;
  entityType: 'user' | 'invitation';
  entityId: string;
}

export async function sendStaffMail(mail: StaffMail, config: NotificationConfig = notificationConfig()): Promise<StaffMailOutcome> {
  let outcome: StaffMailOutcome;
  if (!channelReady('email', config)) {
    // Production without SMTP_URL: there is nowhere to send it and it must not be printed.
    outcome = 'not_configured';
  } else {
    const id = randomUUID();
    try {
      const { providerId } = await deliver(
        { id, dedupeKey: `staff-${mail.purpose}-${id}`, channel: 'email', recipient: mail.to, subject: mail.subject, body: mail.text, payload: {} },
        config,
      );
      outcome = providerId === 'log' ? 'logged' : 'sent';
    } catch (err) {
      logWarn('staff_mail.failed', { purpose: mail.purpose, error: err instanceof Error ? err.name : 'unknown' });
      outcome = 'failed';
    }
  }
  try {
    await audit(await getDb(), {
      profileId: mail.profileId,
      actorUserId: null,
      actorKind: 'system',
      action: `mail.${mail.purpose}`,
      entityType: mail.entityType,
      entityId: mail.entityId,
      details: { outcome },
    });
  } catch (err) {
    logWarn('staff_mail.audit_failed', { purpose: mail.purpose, error: err instanceof Error ? err.name : 'unknown' });
  }
  return outcome;
}

/** What a page says after a mail was asked for. */
export function mailOutcomeText(outcome: StaffMailOutcome, what: string): string {
  switch (outcome) {
    case 'sent':
      return `We sent ${what}.`;
    case 'logged':
      return `Mail is not configured on this server: ${what} was printed to the server log (development only).`;
    case 'not_configured':
      return `Mail is not configured on this server, so ${what} could not be sent. Ask the operator to set SMTP_URL.`;
    case 'failed':
      return `${what[0].toUpperCase()}${what.slice(1)} could not be sent just now. Try again in a minute.`;
  }
}
