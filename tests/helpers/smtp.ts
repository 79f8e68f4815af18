import { SMTPServer } from 'smtp-server';

/** One e-mail as the test SMTP server received it, with its MIME parts decoded. */
export interface ReceivedMail {
  envelopeFrom: string;
  envelopeTo: string[];
  raw: string;
  headers: Record<string, string>;
  subject: string;
  messageId: string;
  text: string;
  attachments: { filename: string; contentType: string; content: string }[];
}

export interface TestSmtpServer {
  url: string;
  messages: ReceivedMail[];
  /** Messages received for one recipient. */
  to(address: string): ReceivedMail[];
  /** Answers the next `count` messages for `address` with this SMTP reply instead of accepting them. */
  refuse(address: string, count: number, code: number, message: string): void;
  close(): Promise<void>;
}

/** A real SMTP server (the `smtp-server` package) on 127.0.0.1 and a free port, keeping what it receives. */
export async function startSmtpServer(): Promise<TestSmtpServer> {
  const messages: ReceivedMail[] = [];
  const refusals = new Map<string, { count: number; code: number; message: string }>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const to = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
        const refusal = to.map((a) => refusals.get(a)).find((r) => r && r.count > 0);
        if (refusal) {
          refusal.count--;
          callback(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
          return;
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        messages.push({ ...parseMail(raw), envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', envelopeTo: to, raw });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.server.address() as { port: number };
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    to: (address) => messages.filter((m) => m.envelopeTo.includes(address.toLowerCase())),
    refuse: (address, count, code, message) => refusals.set(address.toLowerCase(), { count, code, message }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// ---------------------------------------------------------------------------
// A small MIME reader: enough for what nodemailer writes (multipart, base64, quoted-printable).
// ---------------------------------------------------------------------------

function parseMail(raw: string): Omit<ReceivedMail, 'envelopeFrom' | 'envelopeTo' | 'raw'> {
  const part = parsePart(raw);
  const leaves = flatten(part);
  const text = leaves.find((l) => l.contentType.startsWith('text/plain') && !l.filename)?.content ?? '';
  return {
    headers: part.headers,
    subject: decodeWords(part.headers['subject'] ?? ''),
    messageId: part.headers['message-id'] ?? '',
    text,
    attachments: leaves.filter((l) => l.filename).map((l) => ({ filename: l.filename!, contentType: l.contentType, content: l.content })),
  };
}

interface Part {
  headers: Record<string, string>;
  body: string;
  children: Part[];
}

function parsePart(raw: string): Part {
  const split = raw.indexOf('\r\n\r\n');
  const head = split < 0 ? raw : raw.slice(0, split);
  const body = split < 0 ? '' : raw.slice(split + 4);
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const boundary = /boundary="?([^";]+)"?/i.exec(headers['content-type'] ?? '')?.[1];
  const children = boundary
    ? body
        .split(`--${boundary}`)
        .slice(1)
        .filter((chunk) => !chunk.startsWith('--'))
        .map((chunk) => parsePart(chunk.replace(/^\r\n/, '').replace(/\r\n$/, '')))
    : [];
  return { headers, body, children };
}

function flatten(part: Part): { contentType: string; filename: string | null; content: string }[] {
  if (part.children.length) return part.children.flatMap(flatten);
  const contentType = (part.headers['content-type'] ?? 'text/plain').toLowerCase();
  const filename = /filename="?([^";]+)"?/i.exec(part.headers['content-disposition'] ?? '')?.[1] ?? null;
  return [{ contentType, filename, content: decodeBody(part.body, (part.headers['content-transfer-encoding'] ?? '7bit').toLowerCase()) }];
}

function decodeBody(body: string, encoding: string): string {
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(body);
  return body;
}

function decodeQuotedPrintable(text: string): string {
  const soft = text.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < soft.length; i++) {
    if (soft[i] === '=' && /^[0-9A-F]{2}$/i.test(soft.slice(i + 1, i + 3))) {
      bytes.push(parseInt(soft.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(soft[i], 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** RFC 2047 encoded words (=?UTF-8?Q?…?= and =?UTF-8?B?…?=), as in a non-ASCII subject. */
function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([QB])\?([^?]*)\?=/gi, (_, _charset: string, enc: string, data: string) =>
      enc.toUpperCase() === 'B' ? Buffer.from(data, 'base64').toString('utf8') : decodeQuotedPrintable(data.replace(/_/g, ' ')),
    );
}

/** The content lines of an iCalendar file, unfolded (RFC 5545 §3.1). */
export function icsLines(ics: string): string[] {
  return ics.replace(/\r\n[ \t]/g, '').split(/\r\n/).filter(Boolean);
}

/** 2030-01-07T08:30:00.000Z → 20300107T083000Z, the UTC form of DTSTART. */
export function icsUtc(instant: Date | string): string {
  return new Date(instant).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}
