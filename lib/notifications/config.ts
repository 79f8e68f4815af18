import { env } from '@/lib/env';
import type { Channel, TemplatedKind } from './kinds';

export interface WhatsAppConfig {
  /** e.g. https://graph.facebook.com/v23.0 */
  baseUrl: string;
  token: string;
  phoneNumberId: string;
  language: string;
  /** Approved template names by message kind (the moves' kinds use others': kinds.ts WHATSAPP_TEMPLATE_OF). */
  templates: Record<Exclude<TemplatedKind, 'patient_link'>, string> & { patient_link?: string };
}

export interface NotificationConfig {
  /** SMTP connection URL (smtp://user:pass@host:587, smtps://…); null: e-mails are printed to the log. */
  smtpUrl: string | null;
  /** "Name <address>"; the practice's name replaces the name on each message. */
  mailFrom: string;
  /** Null unless the token and the phone-number id are both set. */
  whatsapp: WhatsAppConfig | null;
  /** Public origin for links in messages written after the request (booking page); null: none. */
  appUrl: string | null;
  /**
   * A message whose channel is not configured is printed to the server log (and marked sent)
   * instead of waiting in the outbox: in development only, where the log is the developer's own
   * screen. In production it waits: a status link or a patient's details in a log is a leak.
   */
  printUnsent: boolean;
}

let override: Partial<NotificationConfig> | undefined;

/** The channels' settings, from the environment (lib/env) unless overridden. */
export function notificationConfig(): NotificationConfig {
  const e = env();
  const base: NotificationConfig = {
    smtpUrl: e.SMTP_URL || null,
    mailFrom: e.MAIL_FROM,
    whatsapp:
      e.WHATSAPP_TOKEN && e.WHATSAPP_PHONE_NUMBER_ID
        ? {
            baseUrl: e.WHATSAPP_API_BASE_URL,
            token: e.WHATSAPP_TOKEN,
            phoneNumberId: e.WHATSAPP_PHONE_NUMBER_ID,
            language: e.WHATSAPP_TEMPLATE_LANGUAGE,
            templates: {
              received: e.WHATSAPP_TEMPLATE_RECEIVED,
              approved: e.WHATSAPP_TEMPLATE_APPROVED,
              rejected: e.WHATSAPP_TEMPLATE_REJECTED,
              expired: e.WHATSAPP_TEMPLATE_EXPIRED,
              cancelled: e.WHATSAPP_TEMPLATE_CANCELLED,
              reminder: e.WHATSAPP_TEMPLATE_REMINDER,
              code: e.WHATSAPP_TEMPLATE_CODE,
              patient_link: e.WHATSAPP_TEMPLATE_PATIENT_LINK,
            },
          }
        : null,
    appUrl: e.APP_URL ?? null,
    printUnsent: e.NODE_ENV === 'development',
  };
  return override ? { ...base, ...override } : base;
}

/**
 * Points the channels somewhere else for this process (tests: a local SMTP server and a stand-in
 * for the WhatsApp API). `undefined` goes back to the environment.
 */
/** Whether a channel has a provider configured. */
export function channelConfigured(channel: Channel, config: NotificationConfig): boolean {
  return channel === 'email' ? Boolean(config.smtpUrl) : Boolean(config.whatsapp);
}

/** Whether a message on this channel can leave the outbox now: sent, or printed in development. */
export function channelReady(channel: Channel, config: NotificationConfig): boolean {
  return channelConfigured(channel, config) || config.printUnsent;
}

export function setNotificationConfig(config: Partial<NotificationConfig> | undefined): void {
  override = config;
}
