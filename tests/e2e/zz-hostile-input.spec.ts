/**
 * Generated hostile input (fast-check, fixed seed) against EVERY route handler (app/**\/route.ts and
 * its exported methods), EVERY server action (the build's server-reference-manifest.json, checked
 * against the exports of the 'use server' files) and every page's query string, on the production
 * build that tests/e2e/serve.ts starts. Asserts: never a 5xx, never an internal error in a body,
 * and (on Postgres) no row of the domain tables changed by a refused call.
 */
import { expect, test, type Browser } from '@playwright/test';
import fc from 'fast-check';
import { Client } from 'pg';
import { withDatabase } from '../helpers/pg-url';
import { DEMO_PASSWORD, signIn } from './helpers';
import { DEMO_INTEGRATION_KEY } from './mailbox';
import {
  actionOutcome,
  callAction,
  cookieHeader,
  HOSTILE_ATOMS,
  internalErrorIn,
  listPages,
  listRouteHandlers,
  listServerActions,
  listUseServerExports,
  LONG_LENGTHS,
  MUST_REFUSE,
  NUL,
  pagePath,
  rawRequest,
  type RawResponse,
  type ServerAction,
} from './hostile-kit';

const SEED = 20261124;
const BASE = `http://127.0.0.1:${process.env.E2E_PORT ?? '3100'}`;
const RUNS = { perRouteMethod: 130, perPage: 45, perAction: 85 };
const CONCURRENCY = 8;
const ZONE = 'Europe/Madrid';

type Who = 'doctor' | 'admin' | 'doctor2' | 'anon';

interface Call {
  kind: 'route' | 'page' | 'action';
  target: string;
  who: Who;
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
  action?: ServerAction;
  fields?: [string, string][];
  rootOverride?: string;
}

interface Outcome {
  call: Call;
  res: RawResponse;
  refused: boolean;
}

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

function today(offset = 0): string {
  const t = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE }).format(new Date());
  const d = new Date(`${t}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + offset);
  return d.toISOString().slice(0, 10);
}

function lastWeekday(): string {
  const d = new Date(`${today()}T12:00:00Z`);
  do d.setUTCDate(d.getUTCDate() - 1);
  while (d.getUTCDay() === 0 || d.getUTCDay() === 6);
  return d.toISOString().slice(0, 10);
}

function addDays(date: string, n: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

const decodeEntities = (s: string) =>
  s.replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** The named fields of the forms on a page, first value wins. */
function harvestFields(html: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of html.matchAll(/<input\b[^>]*>/g)) {
    const tag = m[0];
    const name = /\bname="([^"]*)"/.exec(tag)?.[1];
    if (!name || name.startsWith('$')) continue;
    const type = /\btype="([^"]*)"/.exec(tag)?.[1] ?? 'text';
    const value = decodeEntities(/\bvalue="([^"]*)"/.exec(tag)?.[1] ?? '');
    if (type === 'checkbox' || type === 'radio') {
      if (/\bchecked\b/.test(tag) && !out.has(name)) out.set(name, value || 'on');
      continue;
    }
    if (!out.has(name)) out.set(name, value);
  }
  for (const m of html.matchAll(/<select\b[^>]*\bname="([^"]*)"[^>]*>([\s\S]*?)<\/select>/g)) {
    const selected = /<option\b[^>]*\bvalue="([^"]*)"[^>]*\bselected\b/.exec(m[2]) ?? /<option\b[^>]*\bselected\b[^>]*\bvalue="([^"]*)"/.exec(m[2]);
    if (!out.has(m[1])) out.set(m[1], decodeEntities(selected?.[1] ?? /<option\b[^>]*\bvalue="([^"]*)"/.exec(m[2])?.[1] ?? ''));
  }
  for (const m of html.matchAll(/<textarea\b[^>]*\bname="([^"]*)"[^>]*>([\s\S]*?)<\/textarea>/g)) {
    if (!out.has(m[1])) out.set(m[1], decodeEntities(m[2]));
  }
  return out;
}

function allValues(html: string, name: string): string[] {
  return [...html.matchAll(new RegExp(`<input\\b[^>]*\\bname="${name.replace(/[[\]]/g, '\\$&')}"[^>]*\\bvalue="([^"]*)"`, 'g'))].map((m) => m[1]);
}

/** percent-encodes a value the way a browser would, but keeps lone surrogates as their raw (invalid) UTF-8 bytes. */
function encodeComponent(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) <= 0xdfff) {
      out += encodeURIComponent(s.slice(i, i + 2));
      i++;
    } else if (c >= 0xd800 && c <= 0xdfff) {
      out += '%' + [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f)].map((b) => b.toString(16).toUpperCase()).join('%');
    } else out += encodeURIComponent(s[i]);
  }
  return out;
}

/** The body shown in the report: short, with invisible characters escaped. */
function show(s: string | undefined, max = 160): string {
  if (s === undefined) return '';
  const escaped = JSON.stringify(s.length > max ? `${s.slice(0, max)}…(${s.length} chars)` : s);
  return escaped.slice(1, -1);
}

// ---------------------------------------------------------------------------
// Arbitraries
// ---------------------------------------------------------------------------

const atom = fc.constantFrom(...HOSTILE_ATOMS);
const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: atom },
  { weight: 3, arbitrary: fc.tuple(fc.constantFrom('Zyxw Leakname', 'Ana', '45.00', 'EUR', '2026-12-01', '10:00', 'x'), atom, fc.constantFrom('', 'tail', '\r\nSet-Cookie: a=b')).map(([a, b, c]) => a + b + c) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(...MUST_REFUSE, 'a', ' ', '\n'), maxLength: 30 }) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...LONG_LENGTHS), fc.constantFrom('a', 'é', '\u202e', NUL, '😀')).map(([n, c]) => c.repeat(Math.ceil(n / c.length))) },
);
const hostileNumberText = fc.constantFrom('NaN', 'Infinity', '-Infinity', '1e20', '-1e20', '1e-20', '1e308', '0x1F', '-0', '', ' ', '1.5', '-1', '99999999999', '9007199254740993', '30\u0000', '３０', '1_000', '+30');
const hostileDate = fc.constantFrom('0000-01-01', '9999-12-31', '0000-01-01T00:00', '9999-12-31T23:59', '-000001-01-01', '+010000-01-01', '1899-12-31', '2201-01-01', '2026-02-30', '2026-13-01', '2026-1-1', '1e20', 'Infinity', '0000-01-01T00:00:00Z', '9999-12-31T23:59:59Z', '+275760-09-13T00:00:00.000Z', '');
const anyHostileText = fc.oneof({ weight: 6, arbitrary: hostileString }, { weight: 2, arbitrary: hostileNumberText }, { weight: 2, arbitrary: hostileDate });

const hostileJsonValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 5, arbitrary: anyHostileText },
  { weight: 2, arbitrary: fc.constantFrom(1e20, -1e20, 1e-20, 5e-324, 1.7976931348623157e308, 0, -1, 2 ** 53 + 2, true, false, null) },
  { weight: 1, arbitrary: fc.constantFrom([], {}, ['a'], { $ne: 1 }, [[[[[[[[[[]]]]]]]]]]) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

/** A path segment: a real value, an encoded hostile string, or a raw malformed encoding. */
function segmentArb(real: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    ...(real.length ? [{ weight: 3, arbitrary: fc.constantFrom(...real).map(encodeComponent) }] : []),
    { weight: 3, arbitrary: hostileString.map((v) => encodeComponent(v.slice(0, 300))) },
    { weight: 2, arbitrary: fc.constantFrom('%ED%A0%80', '%C0%AF', '%', '%zz', '%E2%80%AE', '%00', '%FF', '%2e%2e', '%2F', '%C3%28', '%F0%28%8C%BC', '%c0%80', 'a%0D%0AX-Injected:%201', '%25', '..') },
  );
}

function queryArb(params: Record<string, fc.Arbitrary<string>>): fc.Arbitrary<string> {
  const names = Object.keys(params);
  return fc
    .tuple(
      fc.subarray(names),
      fc.array(fc.tuple(fc.constantFrom(...names, 'x', '%ED%A0%80', '\u0000'), anyHostileText), { maxLength: 2 }),
      fc.option(fc.constantFrom('p=%', 'p=%ED%A0%80', 'p=%C0%AF', 'p=%zz'), { nil: undefined, freq: 4 }),
    )
    .chain(([chosen, extra, malformed]) =>
      fc.tuple(...chosen.map((n) => params[n].map((v) => [n, v] as const))).map((pairs) => {
        const all = [...pairs, ...extra];
        // Values stay short in URLs: Node itself refuses request lines over 16 KiB (431), not the app.
        const q = all.map(([k, v]) => `${encodeComponent(k)}=${encodeComponent(v.slice(0, 400))}`).join('&');
        return (q ? `?${q}` : '') + (malformed ? `${q ? '&' : '?'}${malformed}` : '');
      }),
    );
}

// ---------------------------------------------------------------------------
// Database fingerprint (Postgres only)
// ---------------------------------------------------------------------------

/**
 * One md5 per domain table. Columns the background sweeps change by themselves (a message's
 * delivery state, including the sealed link or code its payload drops once sent; an overdue request turning `expired` and its slots `available`; a passed slot
 * turning `expired`) are left out, so a difference is a change made by a call.
 */
function fingerprintSql(t0: string): string {
  const views: Record<string, string> = {
    profiles: 'SELECT * FROM profiles',
    profile_members: 'SELECT * FROM profile_members',
    users: 'SELECT * FROM users',
    medical_services: 'SELECT * FROM medical_services',
    availability_rules: 'SELECT * FROM availability_rules',
    availability_exceptions: 'SELECT * FROM availability_exceptions',
    time_slots: `SELECT id, profile_id, starts_at, ends_at, service_ids, block_reason,
        CASE WHEN status IN ('available','pending_approval','expired') THEN 'fluid' ELSE status::text END AS s,
        CASE WHEN status = 'reserved' THEN request_id END AS r
      FROM time_slots`,
    patients: 'SELECT * FROM patients',
    reservation_requests: `SELECT id, profile_id, service_id, patient_id, starts_at, ends_at, reason, consent_at,
        CASE WHEN status = 'expired' THEN 'pending' ELSE status::text END AS s, expires_at, decided_at, decided_by,
        decision_reason, token_hash, idempotency_key, idempotency_body_hash, created_at FROM reservation_requests`,
    reservations: 'SELECT * FROM reservations',
    // Sending drops the sealed link and code from the payload (delivery state: the e2e server has a
    // mailbox), and writes a digest's e-mail as it went out (count and every line) on its first row.
    notifications: `SELECT id, profile_id, request_id, reservation_id, dedupe_key, kind, channel, recipient,
        CASE WHEN payload ? 'digest' THEN NULL ELSE subject END AS subject, CASE WHEN payload ? 'digest' THEN NULL ELSE body END AS body,
        payload - 'sealedStatusLink' - 'sealedCode' AS payload, due_at
      FROM notifications WHERE kind NOT ILIKE '%expir%'`,
    appointment_notes: 'SELECT * FROM appointment_notes',
    audit_log: `SELECT * FROM audit_log WHERE action NOT IN ('auth.sign_in', 'auth.sign_in_failed', 'note.read', 'request.expired') AND created_at >= '${t0}'::timestamptz - interval '1 day'`,
  };
  return Object.entries(views)
    .map(([t, q]) => `SELECT '${t}' AS t, count(*)::int AS n, md5(coalesce(string_agg(md5(x::text), '' ORDER BY md5(x::text)), '')) AS h FROM (${q}) x`)
    .join(' UNION ALL ');
}

class Fingerprinter {
  constructor(
    private client: Client,
    private sql: string,
  ) {}
  async take(): Promise<Map<string, string>> {
    const r = await this.client.query<{ t: string; n: number; h: string }>(this.sql);
    return new Map(r.rows.map((row) => [row.t, `${row.n}:${row.h}`]));
  }
  static diff(a: Map<string, string>, b: Map<string, string>): string[] {
    return [...a.keys()].filter((k) => a.get(k) !== b.get(k));
  }
}

async function findServerDatabase(profileId: string): Promise<{ client: Client; name: string } | null> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) return null;
  const admin = new Client({ connectionString: withDatabase(url, 'postgres') });
  await admin.connect();
  const dbs = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'dap_e2e_%' ORDER BY datname DESC`);
  await admin.end();
  for (const { datname } of dbs.rows) {
    const client = new Client({ connectionString: withDatabase(url, datname) });
    await client.connect();
    const hit = await client.query(`SELECT 1 FROM profiles WHERE id::text = $1`, [profileId]).catch(() => ({ rowCount: 0 }));
    if (hit.rowCount) return { client, name: datname };
    await client.end();
  }
  return null;
}

// ---------------------------------------------------------------------------
// The test
// ---------------------------------------------------------------------------

async function signedInCookie(browser: Browser, email: string): Promise<string> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, email);
  const cookie = await cookieHeader(context);
  await context.close();
  return cookie;
}

test('hostile input never answers 5xx or internal_error, and a refused call changes no row', async ({ browser }) => {
  test.setTimeout(600_000);
  const started = Date.now();

  // -- What to call: listed from the code and the build ----------------------------------------
  const routes = listRouteHandlers();
  const actions = listServerActions();
  const pages = listPages();
  const scanned = listUseServerExports();
  expect(routes.length, 'route handlers found under app/').toBeGreaterThan(0);
  expect(actions.length, 'server actions in the build manifest').toBeGreaterThan(0);
  // The build and the source agree on the server actions (a stale build would miss a new one).
  expect(actions.map((a) => `${a.file}#${a.name}`).sort()).toEqual(scanned.map((s) => `${s.file}#${s.name}`).sort());

  // -- Sign-ins and the demo practice's real ids -------------------------------------------------
  const cookies: Record<Who, string> = {
    doctor: await signedInCookie(browser, 'doctor@demo.test'),
    admin: await signedInCookie(browser, 'admin@demo.test'),
    doctor2: await signedInCookie(browser, 'doctor2@demo.test'),
    anon: '',
  };
  const get = (path: string, who: Who = 'anon') => rawRequest(BASE, { method: 'GET', path, headers: cookies[who] ? { cookie: cookies[who] } : {} });

  const profile = JSON.parse((await get('/api/v1/profiles/demo')).body) as { services: { id: string; durationMinutes: number }[] };
  const service = profile.services.find((s) => s.durationMinutes === 30) ?? profile.services[0];
  const serviceIds = profile.services.map((s) => s.id);
  const slotsRes = await get(`/api/v1/profiles/demo/slots?serviceId=${service.id}&from=${today(3)}&to=${today(30)}`);
  const slots = (JSON.parse(slotsRes.body) as { slots: { startsAt: string }[] }).slots.map((s) => s.startsAt);
  expect(slots.length, 'free times of the demo practice').toBeGreaterThan(60);

  let phoneSeq = 0;
  // Set-up requests through the demo integration key (anonymous calls get a code first).
  const createRequest = async (name: string, startsAt: string) => {
    const res = await rawRequest(BASE, {
      method: 'POST',
      path: '/api/v1/profiles/demo/requests',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.77.0.${++phoneSeq}`, authorization: `Bearer ${DEMO_INTEGRATION_KEY}` },
      body: JSON.stringify({ serviceId: service.id, startsAt, patient: { name, phone: `+3469900${String(1000 + phoneSeq)}`, email: `fuzz${phoneSeq}@example.com`, phoneVerified: true }, reason: 'Fuzz set-up', consent: true }),
    });
    expect(res.status, `creating ${name}: ${res.body}`).toBe(201);
    return JSON.parse(res.body) as { id: string; token: string; startsAt: string };
  };
  const reqA = await createRequest('Fuzz Pending', slots[0]);
  const reqC = await createRequest('Fuzz Cancelme', slots[8]);
  const reqD = await createRequest('Fuzz Tokenholder', slots[16]);
  // A real verification (an anonymous request waiting for its code) for the code step's inputs.
  const codeStarted = await rawRequest(BASE, {
    method: 'POST',
    path: '/api/v1/profiles/demo/requests',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': '10.77.1.1' },
    body: JSON.stringify({ serviceId: service.id, startsAt: slots[24], patient: { name: 'Fuzz Coder', phone: '+34699002999', email: 'fuzz-code@example.com' }, consent: true }),
  });
  expect(codeStarted.status, `starting a verification: ${codeStarted.body}`).toBe(202);
  const verificationId = (JSON.parse(codeStarted.body) as { verification: { id: string } }).verification.id;

  const requestsHtml = (await get('/dashboard/requests', 'doctor')).body;
  const profileId = harvestFields(requestsHtml).get('profileId');
  expect(profileId, 'profileId on the requests page').toMatch(/^[0-9a-f-]{36}$/);

  const server = await findServerDatabase(profileId!);
  if (process.env.TEST_DATABASE_URL) {
    expect(server, 'the server database (pg_database dap_e2e_%) holding this demo practice').not.toBeNull();
  } else {
    console.log('[hostile-input] NOTE: PGlite run (no TEST_DATABASE_URL): the row fingerprint checks are skipped; only statuses and bodies are checked.');
  }
  const t0 = new Date().toISOString();
  const fingerprinter = server ? new Fingerprinter(server.client, fingerprintSql(t0)) : null;
  const fpProbe = fingerprinter;

  const approve = actions.find((a) => a.name === 'approveRequestAction');
  expect(approve, 'approveRequestAction in the manifest').toBeTruthy();
  const fpBeforeApprove = await fpProbe?.take();
  const approved = await callAction(BASE, approve!, '/dashboard/requests', [['profileId', profileId!], ['requestId', reqC.id]], { cookie: cookies.doctor });
  expect(actionOutcome(approved), `approving the set-up request: ${approved.status} ${approved.body.slice(0, 300)}`).toBe('ok');

  if (fpProbe && fpBeforeApprove) {
    // The fingerprint must see a real change, or its checks below could never fail.
    expect(Fingerprinter.diff(fpBeforeApprove, await fpProbe.take()), 'fingerprint sees an approval').toEqual(expect.arrayContaining(['reservation_requests', 'reservations']));
  }
  const appointmentLinks = async (date: string) =>
    [...(await get(`/dashboard/appointments?view=day&date=${date}`, 'doctor')).body.matchAll(/href="\/dashboard\/appointments\/([0-9a-f-]{36})"[^>]*>([\s\S]*?)<\/a>/g)].map((m) => ({
      id: m[1],
      text: m[2].replace(/<[^>]*>/g, ''),
    }));
  const cDate = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE }).format(new Date(reqC.startsAt));
  const resC = (await appointmentLinks(cDate)).find((l) => l.text.includes('Fuzz Cancelme'))?.id;
  // A past appointment that the notes spec does not use: a note can only be written from the start on.
  const resPast = (await appointmentLinks(addDays(lastWeekday(), -28))).find((l) => l.text.includes('María'))?.id;
  expect(resC, 'the approved set-up appointment in the agenda').toBeTruthy();
  expect(resPast, 'a past demo appointment (María Sánchez, 4 weeks ago)').toBeTruthy();

  const availabilityHtml = (await get('/dashboard/availability', 'admin')).body;
  const ruleIds = allValues(availabilityHtml, 'ruleId');
  const exceptionIds = allValues(availabilityHtml, 'exceptionId');
  const settingsBaseline = harvestFields((await get('/dashboard/settings', 'admin')).body);
  expect(settingsBaseline.get('timeZone'), 'settings form read from the page').toBeTruthy();
  const randomUuid = '3f1c2a9e-7b3d-4e6f-8a0b-1c2d3e4f5a6b';
  const realIds = [profileId!, reqA.id, resC!, resPast!, verificationId, ...serviceIds, ...ruleIds, ...exceptionIds, randomUuid];


  // -- Inputs --------------------------------------------------------------------------------------
  const calls: Call[] = [];
  const whoArb = fc.constantFrom<Who>('doctor', 'doctor', 'admin', 'admin', 'doctor2', 'anon');
  const safeHeader = (s: string) => s.replace(/[^\x20-\x7e]/g, '?').slice(0, 200);

  const validBooking = (startsAt: string) => ({
    serviceId: service.id,
    startsAt,
    patient: { name: 'Zyxw Leakname', phone: '+34699887766', email: 'leak@example.com', dateOfBirth: '1980-01-01' },
    reason: 'LEAKREASON-fuzz',
    consent: true,
  });
  const bookingPaths = ['serviceId', 'startsAt', 'patient', 'patient.name', 'patient.phone', 'patient.email', 'patient.dateOfBirth', 'patient.phoneVerified', 'reason', 'consent', 'whatsappOptOut', 'extra'];
  const mutatedBooking = fc
    .tuple(fc.constantFrom(...slots.slice(40)), fc.array(fc.tuple(fc.constantFrom(...bookingPaths), hostileJsonValue), { minLength: 0, maxLength: 3 }))
    .map(([startsAt, muts]) => {
      const body = validBooking(startsAt) as Record<string, unknown>;
      for (const [p, v] of muts) {
        const [a, b] = p.split('.');
        if (b) {
          if (typeof body[a] !== 'object' || body[a] === null) body[a] = {};
          (body[a] as Record<string, unknown>)[b] = v;
        } else body[a] = v;
      }
      return body;
    });
  const jsonBody = fc.oneof(
    { weight: 5, arbitrary: mutatedBooking.map((b) => ({ ct: 'application/json', body: JSON.stringify(b) as string | Buffer })) },
    { weight: 1, arbitrary: hostileJsonValue.map((v) => ({ ct: 'application/json', body: JSON.stringify(v) ?? 'undefined' })) },
    { weight: 1, arbitrary: fc.constantFrom('{"a":', '\u0000', '{"serviceId":"\\ud800"}', '[', 'null', '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{}}}').map((b) => ({ ct: 'application/json', body: b })) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((a) => ({ ct: 'application/json', body: Buffer.from(a) })) },
    { weight: 1, arbitrary: fc.constantFrom('text/plain', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded', 'application/json; charset=utf-16', '').map((ct) => ({ ct, body: JSON.stringify(validBooking(slots[45])) })) },
    { weight: 1, arbitrary: fc.constantFrom(17_000, 1_100_000).map((n) => ({ ct: 'application/json', body: JSON.stringify({ ...validBooking(slots[46]), reason: 'x'.repeat(n) }) })) },
  );

  for (const route of routes) {
    for (const method of route.methods) {
      const segArbs = route.segments.map((s) => {
        const dyn = /^\[(\.\.\.)?([^\]]+)\]$/.exec(s);
        if (!dyn) return fc.constant(s);
        const name = dyn[2];
        if (name === 'slug') return segmentArb(['demo', 'demo-2', 'DEMO', 'demo ']);
        if (name === 'token') return segmentArb([reqD.token, reqA.token, reqD.token.slice(0, 10)]);
        if (dyn[1]) return fc.oneof(fc.constantFrom('session', 'csrf', 'providers', 'signin', 'signout', 'callback/credentials', 'error', 'signin/credentials'), segmentArb([]));
        return segmentArb(realIds);
      });
      const query = queryArb({
        serviceId: fc.oneof(fc.constantFrom(service.id, ...serviceIds), anyHostileText),
        from: fc.oneof(fc.constant(today(1)), hostileDate, anyHostileText),
        to: fc.oneof(fc.constant(today(20)), hostileDate, anyHostileText),
        callbackUrl: fc.oneof(fc.constant('/dashboard'), anyHostileText, fc.constantFrom('/dashboard\r\nX: y', '//evil.test', 'http://[::1')),
        error: anyHostileText,
        fnId: anyHostileText,
        stepId: anyHostileText,
      });
      const arb = fc.record({
        segs: fc.tuple(...segArbs),
        query,
        who: whoArb,
        body: jsonBody,
        idem: fc.option(anyHostileText.map(safeHeader), { nil: undefined }),
        auth: fc.option(fc.oneof(fc.constant('Bearer cst_demo_4f1c2a9e7b3d5e6f8a0b1c2d3e4f5a6b'), anyHostileText.map((s) => `Bearer ${safeHeader(s)}`)), { nil: undefined }),
        xff: fc.ipV4(),
      });
      const target = `${method} /${route.segments.join('/')} (${route.file})`;
      for (const s of fc.sample(arb, { seed: SEED + calls.length, numRuns: RUNS.perRouteMethod })) {
        const hasBody = method !== 'GET' && method !== 'HEAD';
        calls.push({
          kind: 'route',
          target,
          who: s.who,
          method,
          path: `/${s.segs.join('/')}${s.query}`,
          headers: {
            'x-forwarded-for': s.xff,
            ...(hasBody ? { 'content-type': s.body.ct } : {}),
            ...(s.idem !== undefined ? { 'idempotency-key': s.idem } : {}),
            ...(s.auth !== undefined ? { authorization: s.auth } : {}),
          },
          body: hasBody ? s.body.body : undefined,
        });
      }
    }
  }

  const pageParams: Record<string, fc.Arbitrary<string>> = {
    tab: fc.oneof(fc.constantFrom('history', 'pending'), anyHostileText),
    page: fc.oneof(fc.constantFrom('1', '2', '1e20', 'Infinity', '-Infinity', 'NaN', '-1', '0', '10001', '1.5', '9007199254740993'), anyHostileText),
    view: fc.oneof(fc.constantFrom('week', 'day', 'month'), anyHostileText),
    date: fc.oneof(fc.constant(today()), hostileDate, anyHostileText),
    what: fc.oneof(fc.constantFrom('note', 'request', 'service', 'auth'), anyHostileText),
    service: fc.oneof(fc.constantFrom(...serviceIds), anyHostileText),
    serviceId: fc.oneof(fc.constantFrom(...serviceIds), anyHostileText),
    callbackUrl: fc.oneof(fc.constantFrom('/dashboard/requests', '/dashboard%0D%0ASet-Cookie:%20a=b', '/dashboard\r\nLocation: //evil.test', '//evil.test'), anyHostileText),
    next: fc.oneof(fc.constantFrom('/dashboard\r\nX: y'), anyHostileText),
    sent: fc.oneof(fc.constant('1'), anyHostileText),
    from: hostileDate,
    to: hostileDate,
    start: fc.oneof(fc.constant(slots[50]), hostileDate),
  };
  for (const pg of pages) {
    const segArbs = pg.segments.map((s) => {
      const dyn = /^\[(\.\.\.)?([^\]]+)\]$/.exec(s);
      if (!dyn) return fc.constant(s);
      if (dyn[2] === 'slug') return segmentArb(['demo', 'demo-2']);
      if (dyn[2] === 'token') return segmentArb([reqD.token]);
      return segmentArb([resPast!, resC!, ...realIds]);
    });
    const arb = fc.record({ segs: fc.tuple(...segArbs), query: queryArb(pageParams), who: whoArb });
    for (const s of fc.sample(arb, { seed: SEED + calls.length, numRuns: RUNS.perPage })) {
      calls.push({ kind: 'page', target: `GET page ${pg.file}`, who: s.who, method: 'GET', path: `/${s.segs.join('/')}${s.query}`.replace(/^\/\//, '/') });
    }
  }
  // The inputs a review found, always in the run.
  const fixed: [string, Who][] = [
    ['/dashboard/requests?tab=history&page=1e20', 'doctor'],
    ['/dashboard/requests?tab=history&page=Infinity', 'doctor'],
    ['/dashboard/requests?tab=history&page=-Infinity', 'admin'],
    ['/dashboard/appointments?view=week&date=0000-01-01', 'doctor'],
    ['/dashboard/appointments?view=day&date=9999-12-31', 'doctor'],
    ['/dashboard/appointments?view=week&date=9999-12-31', 'admin'],
    ['/dashboard/appointments?view=day&date=0000-01-01', 'admin'],
    ['/api/v1/requests/%ED%A0%80', 'anon'],
    ['/api/v1/requests/%ED%A0%80/cancel', 'anon'],
    ['/api/v1/profiles/%C0%AF', 'anon'],
    ['/book/%C0%AF', 'anon'],
    ['/book/%ED%A0%80', 'anon'],
    ['/requests/%ED%A0%80', 'anon'],
    ['/dashboard/appointments/%ED%A0%80', 'doctor'],
    ['/login?callbackUrl=%2Fdashboard%0D%0ASet-Cookie%3A%20x%3D1', 'anon'],
    ['/login?callbackUrl=%ED%A0%80', 'anon'],
  ];
  for (const [p, who] of fixed) calls.push({ kind: 'page', target: `GET ${p}`, who, method: p.endsWith('/cancel') ? 'POST' : 'GET', path: p });

  // Server actions.
  const slotFree = slots.slice(60);
  const baselines: Record<string, () => [string, string][]> = {
    signInAction: () => [['email', 'doctor@demo.test'], ['password', DEMO_PASSWORD], ['next', '/dashboard/requests']],
    signOutAction: () => [],
    switchPracticeAction: () => [['practice', 'demo']],
    requestAppointmentAction: () => [
      ['slug', 'demo'], ['serviceId', service.id], ['startsAt', slotFree[0]], ['patient.name', 'Zyxw Leakname'], ['patient.phone', '+34 699 887 766'],
      ['patient.email', 'leak@example.com'], ['patient.dateOfBirth', '1980-01-01'], ['reason', 'LEAKREASON-form'], ['consent', 'on'],
    ],
    cancelRequestAction: () => [['token', reqD.token]],
    acceptCodeAction: () => [['id', verificationId], ['slug', 'demo'], ['code', '000000']],
    resendCodeAction: () => [['id', verificationId], ['slug', 'demo']],
    saveNoteAction: () => [['profileId', profileId!], ['reservationId', resPast!], ['baseVersion', '0'], ['subjective', 'LEAKNOTE-s'], ['objective', 'o'], ['assessment', 'a'], ['plan', 'p']],
    cancelAppointmentAction: () => [['profileId', profileId!], ['reservationId', resC!], ['reason', 'Doctor unavailable']],
    recordOutcomeAction: () => [['profileId', profileId!], ['reservationId', resC!], ['outcome', 'completed']],
    approveRequestAction: () => [['profileId', profileId!], ['requestId', reqA.id]],
    rejectRequestAction: () => [['profileId', profileId!], ['requestId', reqA.id], ['reason', 'LEAKREJECT-fuzz']],
    createRulesAction: () => [['profileId', profileId!], ['weekdays[]', '6'], ['weekdays[]', '7'], ['startTime', '20:00'], ['endTime', '21:00'], ['serviceIds[]', service.id], ['validFrom', today(200)], ['validUntil', today(210)]],
    updateRuleAction: () => [['profileId', profileId!], ['ruleId', ruleIds[0] ?? randomUuid], ['weekday', '1'], ['startTime', '09:00'], ['endTime', '14:00'], ['validFrom', ''], ['validUntil', '']],
    deactivateRuleAction: () => [['profileId', profileId!], ['ruleId', randomUuid]],
    createExceptionAction: () => [['profileId', profileId!], ['date', today(250)], ['kind', 'closed'], ['startTime', ''], ['endTime', ''], ['reason', 'LEAKEXC-holiday']],
    deleteExceptionAction: () => [['profileId', profileId!], ['exceptionId', exceptionIds[0] ?? randomUuid]],
    blockTimeAction: () => [['profileId', profileId!], ['from', `${today(300)}T09:00`], ['to', `${today(300)}T10:00`], ['reason', 'LEAKBLOCK']],
    unblockTimeAction: () => [['profileId', profileId!], ['from', `${today(300)}T09:00`], ['to', `${today(300)}T10:00`]],
    createServiceAction: () => [['profileId', profileId!], ['name', 'Fuzz service'], ['description', 'd'], ['durationMinutes', '30'], ['price', '45.00'], ['currency', 'EUR']],
    updateServiceAction: () => [['profileId', profileId!], ['serviceId', service.id], ['name', 'General consultation'], ['description', ''], ['durationMinutes', String(service.durationMinutes)], ['price', '45.00'], ['currency', 'EUR']],
    setServiceActiveAction: () => [['profileId', profileId!], ['serviceId', service.id], ['active', 'true']],
    updateSettingsAction: () => [...settingsBaseline.entries()].filter(([k]) => !k.startsWith('$')).concat(settingsBaseline.has('profileId') ? [] : [['profileId', profileId!]]),
  };
  // Arguments of the wrong type that React's decodeReply accepts (what it refuses itself, such as
  // invalid JSON or a dangling reference, is the framework's business, not the app's).
  const rootOverrides = ['["$K1"]', '["$undefined","$K1"]', '[1e20,"$K1"]', '[null,null]', '[]', '["$undefined","$K1","\\u0000"]', '["$undefined","$n99999999999999999999"]', '["$undefined",{"profileId":"x"}]', '["$undefined","$K1"]'];
  for (const action of actions) {
    const base = baselines[action.name]?.() ?? [['profileId', profileId!]];
    const names = [...new Set(base.map(([k]) => k)), 'profileId', 'extra', '$ACTION_ID_x', '__proto__'];
    const arb = fc.record({
      mutate: fc.array(fc.tuple(fc.nat(base.length + 2), fc.oneof(anyHostileText, fc.constantFrom(...realIds))), { minLength: 0, maxLength: 3 }),
      add: fc.array(fc.tuple(fc.constantFrom(...names), anyHostileText), { maxLength: 2 }),
      drop: fc.option(fc.nat(base.length), { nil: undefined }),
      who: whoArb,
      root: fc.option(fc.constantFrom(...rootOverrides), { nil: undefined, freq: 8 }),
      nulSection: fc.constantFrom('subjective', 'objective', 'assessment', 'plan'),
    });
    for (const s of fc.sample(arb, { seed: SEED + calls.length, numRuns: RUNS.perAction })) {
      const fields: [string, string][] = base.map(([k, v]) => [k, v]);
      for (const [i, v] of s.mutate) if (i < fields.length) fields[i] = [fields[i][0], v];
      if (s.drop !== undefined && s.drop < fields.length) fields.splice(s.drop, 1);
      fields.push(...s.add);
      let who = s.who;
      // Signing out (one session or all) as the fuzz's own users would end the sessions the rest of the run uses.
      if (['signInAction', 'signOutAction', 'signOutEverywhereAction', 'signOutSessionAction', 'requestAppointmentAction', 'cancelRequestAction', 'acceptCodeAction', 'resendCodeAction'].includes(action.name)) who = 'anon';
      if (action.name === 'signInAction') {
        // Never a wrong password for a real account: that would lock the demo sign-ins for 15 minutes.
        const email = fields.find(([k]) => k === 'email')?.[1] ?? '';
        if (/demo\.test/i.test(email)) {
          for (const f of fields) if (f[0] === 'password') f[1] = DEMO_PASSWORD;
          if (!fields.some(([k]) => k === 'password')) fields.push(['password', DEMO_PASSWORD]);
        }
      }
      if (action.name === 'saveNoteAction') {
        // A note that would save must carry a NUL: the run never writes a note (the notes spec counts them).
        const bv = fields.find(([k]) => k === 'baseVersion');
        if (!bv || Number(bv[1]) === 0) {
          const sec = fields.find(([k]) => k === s.nulSection);
          if (sec && !sec[1].includes(NUL)) sec[1] = `LEAKNOTE${NUL}${sec[1]}`;
          else if (!sec) fields.push([s.nulSection, `LEAKNOTE${NUL}`]);
        }
      }
      const entry = action.pages.find((p) => !p.includes('[')) ?? action.pages[0];
      const page = pagePath(entry, { slug: 'demo', token: reqD.token, id: entry.includes('verify') ? verificationId : resC! }) ?? '/';
      calls.push({ kind: 'action', target: `action ${action.name} (${action.file})`, who, method: 'POST', path: page, action, fields, rootOverride: s.root });
    }
    // One body over 1 MB per action.
    const entry = action.pages.find((p) => !p.includes('[')) ?? action.pages[0];
    calls.push({
      kind: 'action',
      target: `action ${action.name} (${action.file})`,
      who: action.name === 'signInAction' ? 'anon' : 'admin',
      method: 'POST',
      path: pagePath(entry, { slug: 'demo', token: reqD.token, id: resC! }) ?? '/',
      action,
      fields: [...base.filter(([k]) => k !== 'password'), ['big', 'x'.repeat(1_100_000)]],
    });
  }
  // Sign-in `next` with CRLF (the correct password: a refused one would count against the account).
  const signInA = actions.find((a) => a.name === 'signInAction');
  if (signInA) {
    for (const next of ['/dashboard\r\nSet-Cookie: x=1', '/dashboard\nLocation: //evil.test', '/dashboard%0D%0AX: y', '/dashboard/\u0000', '/dashboard/%ED%A0%80', '/dashboard/\ud800']) {
      calls.push({ kind: 'action', target: `action signInAction (${signInA.file})`, who: 'anon', method: 'POST', path: '/login', action: signInA, fields: [['email', 'admin@demo.test'], ['password', DEMO_PASSWORD], ['next', next]] });
    }
  }

  // Every route method, page and action got inputs.
  for (const r of routes) for (const m of r.methods) expect(calls.some((c) => c.target.startsWith(`${m} /${r.segments.join('/')} `)), `${m} ${r.file}`).toBe(true);
  for (const a of actions) expect(calls.filter((c) => c.action?.id === a.id).length, a.name).toBeGreaterThanOrEqual(RUNS.perAction);
  expect(calls.length).toBeGreaterThanOrEqual(3000);

  // -- Run ------------------------------------------------------------------------------------------
  const failures: string[] = [];
  const statuses = new Map<string, number>();
  let notSent = 0;
  let fingerprintChecks = 0;
  const tags = (c: Call) =>
    [
      c.rootOverride && c.rootOverride !== (c.action?.formArgs === 'form-only' ? '["$K1"]' : '["$undefined","$K1"]') ? '[wrong-type action arguments]' : '',
      c.fields?.some(([, v]) => v.length > 1_000_000) || (c.body && c.body.length > 1_000_000) ? '[body > 1 MB]' : '',
      /%(?![0-9a-fA-F]{2})|%(?:C0|c0|ED|F0%28|C3%28|FF)/.test(c.path.split('?')[0]) ? '[malformed path encoding]' : '',
      c.fields?.some(([, v]) => v.includes('\u0000')) || (typeof c.body === 'string' && c.body.includes('\\u0000')) ? '[NUL in a field]' : '',
    ]
      .filter(Boolean)
      .join(' ');
  const describe = (c: Call) =>
    `${c.target} ${tags(c)} as ${c.who}: ${c.method} ${show(c.path, 200)}` +
    (c.fields ? ` fields ${show(JSON.stringify(c.fields.map(([k, v]) => [k, v.length > 80 ? `${v.slice(0, 80)}…(${v.length})` : v])), 400)}` : '') +
    (c.rootOverride ? ` root ${show(c.rootOverride)}` : '') +
    (typeof c.body === 'string' ? ` body ${show(c.body, 240)}` : c.body ? ` body <${c.body.length} bytes>` : '');

  let sent = 0;
  const send = async (c: Call): Promise<Outcome | null> => {
    const cookie = cookies[c.who];
    let res: RawResponse;
    if (c.kind === 'action') {
      res = await callAction(BASE, c.action!, c.path, c.fields ?? [], { cookie, rootOverride: c.rootOverride, headers: { 'x-forwarded-for': `10.9.${++sent % 250}.${(sent >> 8) % 250}` } });
    } else {
      res = await rawRequest(BASE, { method: c.method, path: c.path, headers: { ...(cookie ? { cookie } : {}), ...c.headers }, body: c.body });
    }
    if (res.status === -1) {
      notSent++;
      return null;
    }
    const key = `${c.kind}:${res.status}`;
    statuses.set(key, (statuses.get(key) ?? 0) + 1);
    const refused = c.kind === 'action' ? actionOutcome(res) === 'refused' || res.status >= 500 : res.status >= 400;
    return { call: c, res, refused };
  };

  const judge = (o: Outcome) => {
    const { res, call } = o;
    const inngestNotConfigured = res.status === 503 && /"not_configured"/.test(res.body) && call.path.startsWith('/api/inngest');
    if (res.status === 0) failures.push(`no answer (${res.error}) — ${describe(call)}`);
    else if (res.status >= 500 && !inngestNotConfigured) failures.push(`${res.status} ${show(res.body.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim(), 120)} — ${describe(call)}`);
    else if (internalErrorIn(res.body)) failures.push(`${res.status} internal error in body: ${show((/.{0,60}(internal_error|went wrong on our side).{0,60}/i.exec(res.body) ?? [''])[0])} — ${describe(call)}`);
  };

  for (let i = 0; i < calls.length; i += CONCURRENCY) {
    const batch = calls.slice(i, i + CONCURRENCY);
    const before = fingerprinter ? await fingerprinter.take() : null;
    const outcomes = (await Promise.all(batch.map(send))).filter((o): o is Outcome => o !== null);
    outcomes.forEach(judge);
    if (!fingerprinter || !before) continue;
    const after = await fingerprinter.take();
    fingerprintChecks++;
    const changed = Fingerprinter.diff(before, after);
    if (!changed.length) continue;
    const refused = outcomes.filter((o) => o.refused);
    if (!refused.length) continue;
    // Something changed: replay each refused call alone to find the one that changed rows.
    await new Promise((r) => setTimeout(r, 200));
    let found = false;
    for (const o of refused) {
      const b = await fingerprinter.take();
      const again = await send(o.call);
      const a = await fingerprinter.take();
      fingerprintChecks++;
      const diff = Fingerprinter.diff(b, a);
      if (again?.refused && diff.length) {
        found = true;
        failures.push(`refused (${again.res.status}) but changed ${diff.join(', ')} — ${describe(o.call)}`);
      }
    }
    if (!found && refused.length === outcomes.length) {
      failures.push(`a batch of refused calls changed ${changed.join(', ')} (not reproduced alone): ${refused.map((o) => `[${o.res.status}] ${describe(o.call)}`).join(' | ')}`);
    }
  }
  await server?.client.end();

  // -- Report ------------------------------------------------------------------------------------
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const statusLine = [...statuses.entries()].sort().map(([k, n]) => `${k}×${n}`).join(' ');
  console.log(
    `[hostile-input] ${calls.length} inputs (${routes.reduce((n, r) => n + r.methods.length, 0)} route methods, ${pages.length} pages, ${actions.length} actions) in ${seconds}s; ` +
      `${notSent} not sendable by node; fingerprint checks: ${fingerprintChecks}${fingerprinter ? '' : ' (skipped: PGlite)'}\n[hostile-input] statuses: ${statusLine}`,
  );
  // Group the failures by what failed and how, with one example each.
  const groups = new Map<string, { n: number; examples: string[] }>();
  for (const f of failures) {
    const status = /^(\d+|no answer|refused|a batch)/.exec(f)?.[1] ?? '?';
    const target = /— ((?:GET|POST|PUT|action) [^\s]+(?: [^\s(]+)?)/.exec(f)?.[1] ?? f.slice(0, 80);
    const key = `${status} — ${target} ${[...new Set(f.match(/\[(?:wrong-type action arguments|body > 1 MB|malformed path encoding|NUL in a field)\]/g) ?? [])].join(' ')}`.trim();
    const g = groups.get(key) ?? { n: 0, examples: [] };
    g.n++;
    if (g.examples.length < 3) g.examples.push(f.slice(0, 700));
    groups.set(key, g);
  }
  const report = [...groups.entries()].map(([k, g]) => `${g.n}× ${k}\n${g.examples.map((e) => `    e.g. ${e}`).join('\n')}`);
  if (report.length) console.log(`[hostile-input] ${failures.length} failures in ${groups.size} groups:\n${report.join('\n')}`);
  expect(report, 'hostile inputs answered with a 5xx, an internal error, or changed rows while refused').toEqual([]);
});
