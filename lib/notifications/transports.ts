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

/**
 * The provider's id for the message; `log` when it was printed to the server log instead (a
 * channel not configured, in development only: send.ts never hands such a message over otherwise).
 */
export async function deliver(message: OutgoingMessage, config: NotificationConfig): Promise<{ providerId: string }> {
  if (message.channel === 'email') {
    if (config.smtpUrl) return sendEmail(message, config.smtpUrl, config.mailFrom);
    return printToLog(message, 'SMTP_URL is not set', config);
  }
  if (config.whatsapp) return sendWhatsApp(message, config.whatsapp);
  return printToLog(message, 'WhatsApp is not configured', config);
}

const EMAIL = /[^\s<>()"',;:]+@[^\s<>()"',;:]+/g;
const PHONE = /\+?\d[\d ().-]{6,}\d/g;

/**
 * A provider's error as kept on the row for the practice's staff: short, one line, and without
 * the recipient's address or number (servers often echo them back).
 */
export function scrubProviderText(text: string, recipient?: string): string {
  let out = text;
  if (recipient) out = out.split(recipient).join('<recipient>');
  return out
    .replace(EMAIL, '<address>')
    .replace(PHONE, '<number>')
    .replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ')
    .trim()
    .slice(0, 300);
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
    throw smtpError(err, message.recipient);
  }
  if (info.rejected.length) throw new DeliveryError(`SMTP refused the recipient: ${scrubProviderText(info.response, message.recipient)}`, 'permanent');
  return { providerId: info.messageId };
}

function smtpError(err: unknown, recipient: string): DeliveryError {
  const e = err as { responseCode?: number; response?: string; code?: string; message?: string };
  const text = `SMTP ${e.responseCode ?? e.code ?? 'error'}: ${scrubProviderText(e.response ?? e.message ?? String(err), recipient)}`;
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
    throw fetchError(err, message.recipient);
  }
  const text = await res.text().catch(() => '');
  if (!res.ok) {
    const retry = res.status >= 500 || res.status === 429 || res.status === 408;
    throw new DeliveryError(`WhatsApp API ${res.status}: ${scrubProviderText(apiErrorText(text), message.recipient)}`, retry ? 'retry' : 'permanent');
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

function fetchError(err: unknown, recipient: string): DeliveryError {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') {
    return new DeliveryError(`WhatsApp API did not answer within ${WHATSAPP_TIMEOUT_MS / 1000} s; it may have accepted the message`, 'unknown');
  }
  const code = e.cause?.code ?? '';
  const before = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT', 'EHOSTUNREACH', 'ENETUNREACH'];
  const text = `WhatsApp API unreachable: ${code || scrubProviderText(e.cause?.message || e.message || String(err), recipient)}`;
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
// Development: no provider configured
// ---------------------------------------------------------------------------

/** A value on one line: control characters (CR, LF, ANSI escapes) shown as \\uXXXX, not obeyed. */
function oneLine(value: string): string {
  return value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * The developer's stand-in for a mail catcher: the whole message, as one block whose every line
 * after the first is indented, so nothing in it can pass for a log line of its own. Only when
 * `printUnsent` is on (development); send.ts leaves such messages in the outbox otherwise.
 */
function printToLog(message: OutgoingMessage, why: string, config: NotificationConfig): { providerId: string } {
  if (!config.printUnsent) throw new DeliveryError(`${why}: the message waits in the outbox`, 'retry');
  const headers = [
    `[notifications] ${why}: ${message.channel} to ${oneLine(message.recipient)} printed here instead of sent (${oneLine(message.dedupeKey)})`,
    ...(message.subject ? [`Subject: ${oneLine(message.subject)}`] : []),
    ...(message.payload.whatsapp ? [`Template: ${oneLine(message.payload.whatsapp.name)} (${oneLine(message.payload.whatsapp.language)})`] : []),
  ];
  const body = message.body.split(/\r\n|\r|\n|\u2028|\u2029/).map((l) => `| ${oneLine(l)}`);
  const attachments = (message.payload.attachments ?? []).map((a) => `[attachment ${oneLine(a.filename)}, ${oneLine(a.contentType)}, ${a.content.length} bytes]`);
  const [first, ...rest] = [...headers, ...body, ...attachments];
  // The one console call outside lib/log: a development-only message for the developer to read.
  console.info([first, ...rest.map((l) => `    ${l}`)].join('\n'));
  return { providerId: 'log' };
}
