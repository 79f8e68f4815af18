import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import type { NotificationConfig, WhatsAppConfig } from './config';
import type { Channel, NotificationPayload } from './kinds';

/** A message ready to go out: the row's content with the status link put back in. */
export interface OutgoingMessage {
  id: string;
  dedupeKey: string;
  channel: Channel;
  recipient: string;
  subject: string | null;
  body: string;
  payload: NotificationPayload;
}

/**
 * Why a provider did not take a message, and so what the sender does next:
 * `retry` it (it surely was not accepted: connection refused, 4xx SMTP, HTTP 5xx/429),
 * give up as `permanent` (address refused, 5xx SMTP, HTTP 4xx), or give up as `unknown`
 * (the provider may have accepted it: a timeout after the request was sent). Retrying an
 * `unknown` one could deliver it twice.
 */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly disposition: 'retry' | 'permanent' | 'unknown',
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

/** The provider's id for the message; `log` when it was printed to the server log instead. */
export async function deliver(message: OutgoingMessage, config: NotificationConfig): Promise<{ providerId: string }> {
  if (message.channel === 'email') {
    return config.smtpUrl ? sendEmail(message, config.smtpUrl, config.mailFrom) : printToLog(message, 'SMTP_URL is not set');
  }
  return config.whatsapp ? sendWhatsApp(message, config.whatsapp) : printToLog(message, 'WhatsApp is not configured');
}

export const WHATSAPP_TIMEOUT_MS = 20_000;

// ---------------------------------------------------------------------------
// E-mail over SMTP
// ---------------------------------------------------------------------------

const transporters = new Map<string, Transporter<SMTPTransport.SentMessageInfo>>();

function transporter(url: string): Transporter<SMTPTransport.SentMessageInfo> {
  let t = transporters.get(url);
  if (!t) {
    // Bounded waits: a send must end well within the sender's lease (send.ts).
    t = nodemailer.createTransport({ url, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 });
    transporters.set(url, t);
  }
  return t;
}

/** "Name <address>" or a bare address. */
export function parseMailFrom(from: string): { name: string | null; address: string } {
  const m = /^\s*"?([^"<]*?)"?\s*<([^>]+)>\s*$/.exec(from);
  return m ? { name: m[1].trim() || null, address: m[2].trim() } : { name: null, address: from.trim() };
}

async function sendEmail(message: OutgoingMessage, url: string, mailFrom: string): Promise<{ providerId: string }> {
  const from = parseMailFrom(mailFrom);
  const name = message.payload.fromName ?? from.name;
  let info: SMTPTransport.SentMessageInfo;
  try {
    info = await transporter(url).sendMail({
      from: name ? { name, address: from.address } : from.address,
      to: message.recipient,
      replyTo: message.payload.replyTo,
      subject: message.subject ?? '',
      text: message.body,
      // Derived from the row: a mail system that sees the same message twice can drop the copy.
      messageId: `<${message.dedupeKey}@${from.address.split('@')[1] ?? 'localhost'}>`,
      attachments: message.payload.attachments?.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content })),
    });
  } catch (err) {
    throw smtpError(err);
  }
  if (info.rejected.length) throw new DeliveryError(`SMTP refused ${message.recipient}: ${info.response}`, 'permanent');
  return { providerId: info.messageId };
}

function smtpError(err: unknown): DeliveryError {
  const e = err as { responseCode?: number; response?: string; code?: string; message?: string };
  const text = `SMTP ${e.responseCode ?? e.code ?? 'error'}: ${(e.response ?? e.message ?? String(err)).slice(0, 500)}`;
  // 5xx: the server refuses for good; 4xx and connection trouble: try again later.
  return new DeliveryError(text, e.responseCode && e.responseCode >= 500 ? 'permanent' : 'retry');
}

// ---------------------------------------------------------------------------
// WhatsApp Cloud API (template messages)
// ---------------------------------------------------------------------------

async function sendWhatsApp(message: OutgoingMessage, config: WhatsAppConfig): Promise<{ providerId: string }> {
  const template = message.payload.whatsapp;
  if (!template) throw new DeliveryError('No WhatsApp template on this message.', 'permanent');
  const url = `${config.baseUrl.replace(/\/$/, '')}/${encodeURIComponent(config.phoneNumberId)}/messages`;
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${config.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        to: message.recipient.replace(/^\+/, ''),
        type: 'template',
        template: {
          name: template.name,
          language: { code: template.language },
          components: [{ type: 'body', parameters: template.parameters.map((text) => ({ type: 'text', text })) }],
        },
      }),
      signal: AbortSignal.timeout(WHATSAPP_TIMEOUT_MS),
    });
  } catch (err) {
    throw fetchError(err);
  }
  const text = await res.text().catch(() => '');
  if (!res.ok) {
    const retry = res.status >= 500 || res.status === 429 || res.status === 408;
    throw new DeliveryError(`WhatsApp API ${res.status}: ${apiErrorText(text)}`, retry ? 'retry' : 'permanent');
  }
  let id: unknown;
  try {
    id = (JSON.parse(text) as { messages?: { id?: unknown }[] }).messages?.[0]?.id;
  } catch {
    id = undefined;
  }
  // Accepted (2xx) even without an id we can read: it must not be sent again.
  return { providerId: typeof id === 'string' && id ? id : 'whatsapp:accepted-without-id' };
}

function fetchError(err: unknown): DeliveryError {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') {
    return new DeliveryError(`WhatsApp API did not answer within ${WHATSAPP_TIMEOUT_MS / 1000} s; it may have accepted the message`, 'unknown');
  }
  const code = e.cause?.code ?? '';
  const before = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT', 'EHOSTUNREACH', 'ENETUNREACH'];
  const text = `WhatsApp API unreachable: ${code || e.cause?.message || e.message || String(err)}`;
  // Failing to connect means nothing was sent; a connection lost mid-request may have delivered it.
  return new DeliveryError(text, before.includes(code) ? 'retry' : 'unknown');
}

function apiErrorText(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: { message?: string; code?: number } };
    if (parsed.error?.message) return `${parsed.error.message}${parsed.error.code ? ` (code ${parsed.error.code})` : ''}`;
  } catch {
    // not JSON: the raw text below
  }
  return body.slice(0, 300) || 'no body';
}

// ---------------------------------------------------------------------------
// Local demo: no provider configured
// ---------------------------------------------------------------------------

function printToLog(message: OutgoingMessage, why: string): { providerId: string } {
  const lines = [
    `[notifications] ${why}: ${message.channel} to ${message.recipient} printed here instead of sent (${message.dedupeKey})`,
    ...(message.subject ? [`Subject: ${message.subject}`] : []),
    ...(message.payload.whatsapp ? [`Template: ${message.payload.whatsapp.name} (${message.payload.whatsapp.language})`] : []),
    message.body,
    ...(message.payload.attachments ?? []).map((a) => `[attachment ${a.filename}, ${a.contentType}, ${a.content.length} bytes]`),
  ];
  console.info(lines.join('\n'));
  return { providerId: 'log' };
}
