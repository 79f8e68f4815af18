/**
 * The browser tests' mailbox: a real SMTP server (tests/helpers/smtp.ts, the `smtp-server`
 * package) that the app under test sends to, and a small HTTP endpoint on 127.0.0.1 that lists
 * what it received for a recipient. serve.ts starts both in its own process and gives the app
 * SMTP_URL; the specs read codes with latestCode().
 *
 *   GET http://127.0.0.1:<mailbox port>/messages?to=<address>
 *   → [{ "to": [...], "subject": "...", "text": "...", "receivedAt": "ISO" }, ...] in arrival order
 *
 * The port is E2E_MAILBOX_PORT, or E2E_PORT + 99 (3199 beside the default 3100), so parallel runs on
 * their own E2E_PORT get their own mailbox.
 */
import { createServer, type Server } from 'node:http';
import type { APIRequestContext } from '@playwright/test';
import { startSmtpServer } from '../helpers/smtp';

export function mailboxPort(): number {
  return Number(process.env.E2E_MAILBOX_PORT ?? Number(process.env.E2E_PORT ?? '3100') + 99);
}

export interface MailboxMessage {
  to: string[];
  subject: string;
  text: string;
  receivedAt: string;
}

/** Starts the SMTP server (a free port) and the HTTP endpoint; returns the app's SMTP_URL. */
export async function startMailbox(port = mailboxPort()): Promise<{ smtpUrl: string; close: () => Promise<void> }> {
  const smtp = await startSmtpServer();
  const received = new WeakMap<object, string>();
  const http: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method !== 'GET' || url.pathname !== '/messages') {
      res.writeHead(404).end();
      return;
    }
    const to = url.searchParams.get('to');
    const list = to ? smtp.to(to) : smtp.messages;
    const now = new Date().toISOString();
    const body: MailboxMessage[] = list.map((m) => {
      if (!received.has(m)) received.set(m, now);
      return { to: m.envelopeTo, subject: m.subject, text: m.text, receivedAt: received.get(m)! };
    });
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    smtpUrl: smtp.url,
    close: async () => {
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await smtp.close();
    },
  };
}

/** The messages the mailbox received for one address, oldest first. */
export async function messagesTo(request: APIRequestContext, email: string): Promise<MailboxMessage[]> {
  const res = await request.get(`http://127.0.0.1:${mailboxPort()}/messages?to=${encodeURIComponent(email)}`);
  if (!res.ok()) throw new Error(`mailbox answered ${res.status()}`);
  return (await res.json()) as MailboxMessage[];
}

/** The codes sent to an address so far, oldest first. */
export async function codesTo(request: APIRequestContext, email: string): Promise<string[]> {
  return (await messagesTo(request, email))
    .filter((m) => /^Your code for /.test(m.subject))
    .map((m) => /\b(\d{6})\b/.exec(m.text)?.[1])
    .filter((c): c is string => Boolean(c));
}

/**
 * The newest 6-digit code e-mailed to an address, waiting (up to `timeoutMs`) until more than
 * `after` codes have arrived: pass the count seen before asking for a new one.
 */
export async function latestCode(request: APIRequestContext, email: string, opts: { after?: number; timeoutMs?: number } = {}): Promise<string> {
  const after = opts.after ?? 0;
  const deadline = Date.now() + (opts.timeoutMs ?? 20_000);
  for (;;) {
    const codes = await codesTo(request, email);
    if (codes.length > after) return codes[codes.length - 1];
    if (Date.now() > deadline) throw new Error(`no code e-mailed to ${email} (had ${codes.length}, waited for more than ${after})`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The demo seed's integration key (README): creates requests for `demo` only, with a phone it vouches for. */
export const DEMO_INTEGRATION_KEY = 'cst_demo_4f1c2a9e7b3d5e6f8a0b1c2d3e4f5a6b';

export interface ApiRequestBody {
  serviceId: string;
  startsAt: string;
  patient: { name: string; phone: string; email?: string; dateOfBirth?: string };
  reason?: string;
  consent: true;
  whatsappOptOut?: boolean;
}

export interface ApiCreated {
  id: string;
  token: string;
  startsAt: string;
  status: string;
}

/**
 * A request made through the public API as a real client would: for `demo` with the demo
 * integration key (201 at once); for any other practice anonymously, reading the code from the
 * mailbox and sending it back (202, then 201). The patient needs an e-mail on the code path.
 */
export async function createRequestViaApi(request: APIRequestContext, slug: string, body: ApiRequestBody, opts: { address?: string } = {}): Promise<ApiCreated> {
  const headers: Record<string, string> = opts.address ? { 'x-forwarded-for': opts.address } : {};
  if (slug === 'demo') {
    const res = await request.post(`/api/v1/profiles/${slug}/requests`, {
      headers: { ...headers, authorization: `Bearer ${DEMO_INTEGRATION_KEY}` },
      data: { ...body, patient: { ...body.patient, phoneVerified: true } },
    });
    if (res.status() !== 201) throw new Error(`keyed request answered ${res.status()}: ${await res.text()}`);
    return (await res.json()) as ApiCreated;
  }
  const email = body.patient.email;
  if (!email) throw new Error('an anonymous request needs an e-mail for its code');
  const before = (await codesTo(request, email)).length;
  const started = await request.post(`/api/v1/profiles/${slug}/requests`, { headers, data: body });
  if (started.status() !== 202) throw new Error(`anonymous request answered ${started.status()}: ${await started.text()}`);
  const { verification } = (await started.json()) as { verification: { id: string } };
  const code = await latestCode(request, email, { after: before });
  const res = await request.post(`/api/v1/verifications/${verification.id}`, { headers, data: { code } });
  if (res.status() !== 201) throw new Error(`the code answered ${res.status()}: ${await res.text()}`);
  return (await res.json()) as ApiCreated;
}
