import { createServer, type IncomingMessage } from 'node:http';
import { setNotificationConfig } from '@/lib/notifications';
import { startSmtpServer, type TestSmtpServer } from './smtp';

/** One call to the stand-in, as the Cloud API would receive it. */
export interface WhatsAppCall {
  path: string;
  authorization: string | undefined;
  body: {
    messaging_product: string;
    to: string;
    type: string;
    template: { name: string; language: { code: string }; components: { type: string; parameters: { type: string; text: string }[] }[] };
  };
  /** The status the stand-in answered with. */
  status: number;
  /** The message id it returned, when it accepted. */
  id: string | null;
}

export interface TestWhatsAppApi {
  /** What to put in WHATSAPP_API_BASE_URL. */
  baseUrl: string;
  calls: WhatsAppCall[];
  /** Accepted messages to one number (E.164 or digits). */
  acceptedTo(phone: string): WhatsAppCall[];
  /** Calls for one number, accepted or not. */
  callsTo(phone: string): WhatsAppCall[];
  /** Answers every message to this number with an HTTP error, until `accept` is called. */
  failFor(phone: string, status: number): void;
  accept(phone: string): void;
  close(): Promise<void>;
}

const digits = (phone: string) => phone.replace(/^\+/, '');

/**
 * A local HTTP server standing in for the WhatsApp Cloud API: `POST /{phone-number-id}/messages`
 * answers like Meta's (`{"messages": [{"id": "wamid…"}]}`) and records every call.
 */
export async function startWhatsAppApi(): Promise<TestWhatsAppApi> {
  const calls: WhatsAppCall[] = [];
  const failing = new Map<string, number>();
  let counter = 0;
  const server = createServer(async (req, res) => {
    const body = JSON.parse((await readBody(req)) || '{}') as WhatsAppCall['body'];
    const status = failing.get(body.to) ?? (req.method === 'POST' && /\/messages$/.test(req.url ?? '') ? 200 : 404);
    const id = status === 200 ? `wamid.TEST${++counter}` : null;
    calls.push({ path: req.url ?? '', authorization: req.headers.authorization, body, status, id });
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify(
        id
          ? { messaging_product: 'whatsapp', contacts: [{ input: body.to, wa_id: body.to }], messages: [{ id }] }
          : { error: { message: status >= 500 ? 'An unknown error has occurred.' : 'Invalid parameter', type: 'OAuthException', code: status >= 500 ? 1 : 100 } },
      ),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as { port: number };
  return {
    baseUrl: `http://127.0.0.1:${port}/v23.0`,
    calls,
    acceptedTo: (phone) => calls.filter((c) => c.body.to === digits(phone) && c.status === 200),
    callsTo: (phone) => calls.filter((c) => c.body.to === digits(phone)),
    failFor: (phone, status) => failing.set(digits(phone), status),
    accept: (phone) => failing.delete(digits(phone)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** The body parameters ({{1}}, {{2}}, …) of a template call. */
export function templateParameters(call: WhatsAppCall): string[] {
  return call.body.template.components.find((c) => c.type === 'body')?.parameters.map((p) => p.text) ?? [];
}

/** A test SMTP server and WhatsApp API stand-in, installed as the channels' settings. */
export interface MessageStandIns {
  smtp: TestSmtpServer;
  whatsapp: TestWhatsAppApi;
  /** Back to the environment's settings; both servers closed. */
  close(): Promise<void>;
}

/**
 * Starts both stand-ins and points lib/notifications at them: mail from "Citas <citas@demo.test>",
 * WhatsApp templates named `tpl_<kind>` in Spanish.
 */
export async function startMessageStandIns(opts: { phoneNumberId: string; appUrl: string | null }): Promise<MessageStandIns> {
  const smtp = await startSmtpServer();
  const whatsapp = await startWhatsAppApi();
  setNotificationConfig({
    smtpUrl: smtp.url,
    mailFrom: 'Citas <citas@demo.test>',
    whatsapp: {
      baseUrl: whatsapp.baseUrl,
      token: 'test-token',
      phoneNumberId: opts.phoneNumberId,
      language: 'es',
      templates: { received: 'tpl_received', approved: 'tpl_approved', rejected: 'tpl_rejected', expired: 'tpl_expired', cancelled: 'tpl_cancelled', reminder: 'tpl_reminder', code: 'tpl_code' },
    },
    appUrl: opts.appUrl,
  });
  return {
    smtp,
    whatsapp,
    async close() {
      setNotificationConfig(undefined);
      await smtp.close();
      await whatsapp.close();
    },
  };
}
