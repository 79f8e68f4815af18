/**
 * Shared by zz-hostile-input.spec.ts and log-privacy.spec.ts: raw HTTP against a production build,
 * server actions called the way React's client calls them, the list of every route handler and
 * every server action read from the code and the build, and the hostile values.
 */
import http from 'node:http';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext } from '@playwright/test';

export const ROOT = process.cwd();
// The build serve.ts made (NEXT_DIST_DIR when a run builds into its own folder).
export const DIST = path.join(ROOT, process.env.NEXT_DIST_DIR || '.next-e2e');

// ---------------------------------------------------------------------------
// Raw HTTP: node:http keeps the path exactly as given (malformed percent-encoding included).
// ---------------------------------------------------------------------------

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  error?: string;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

export function rawRequest(
  base: string,
  opts: { method: string; path: string; headers?: Record<string, string>; body?: Buffer | string; timeoutMs?: number },
): Promise<RawResponse> {
  const url = new URL(base);
  return new Promise((resolve) => {
    let settled = false;
    const done = (r: RawResponse) => {
      if (!settled) {
        settled = true;
        resolve(r);
      }
    };
    let req: http.ClientRequest;
    try {
      req = http.request(
        {
          agent,
          host: url.hostname,
          port: url.port,
          method: opts.method,
          path: opts.path,
          headers: {
            ...(opts.body !== undefined ? { 'content-length': String(Buffer.byteLength(opts.body)) } : {}),
            ...opts.headers,
          },
          timeout: opts.timeoutMs ?? 30_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (c: Buffer) => {
            size += c.length;
            if (size < 2_000_000) chunks.push(c);
          });
          res.on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', (e) => done({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'), error: String(e) }));
        },
      );
    } catch (e) {
      // node refuses to send some paths/headers itself (e.g. a raw CR): nothing reached the server.
      done({ status: -1, headers: {}, body: '', error: `client refused: ${(e as Error).message}` });
      return;
    }
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e) => done({ status: 0, headers: {}, body: '', error: String(e) }));
    if (opts.body !== undefined) req.end(opts.body);
    else req.end();
  });
}

export async function cookieHeader(context: BrowserContext): Promise<string> {
  return (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
}

// ---------------------------------------------------------------------------
// Route handlers: every app/**/route.ts and its exported HTTP methods.
// ---------------------------------------------------------------------------

const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) walk(full, out);
    else out.push(full);
  }
  return out;
}

export interface RouteHandler {
  file: string;
  /** URL segments; dynamic ones as `[name]` / `[...name]`. */
  segments: string[];
  methods: string[];
}

export function exportedNames(source: string): string[] {
  const names = new Set<string>();
  for (const m of source.matchAll(/export\s+(?:async\s+)?function\s*\*?\s*([A-Za-z_$][\w$]*)/g)) names.add(m[1]);
  for (const m of source.matchAll(/export\s+(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*[=:]/g)) names.add(m[1]);
  for (const m of source.matchAll(/export\s+(?:const|let|var)\s*\{([^}]*)\}\s*=/g)) {
    for (const part of m[1].split(',')) {
      const name = part.split(':').pop()!.trim();
      if (name) names.add(name);
    }
  }
  for (const m of source.matchAll(/export\s*\{([^}]*)\}/g)) {
    for (const part of m[1].split(',')) {
      const name = part.split(/\s+as\s+/).pop()!.trim();
      if (name) names.add(name);
    }
  }
  return [...names];
}

export function listRouteHandlers(): RouteHandler[] {
  return walk(path.join(ROOT, 'app'))
    .filter((f) => /\/route\.(ts|tsx|js|mjs)$/.test(f))
    .map((file) => {
      const rel = path.relative(path.join(ROOT, 'app'), file);
      const segments = rel
        .split(path.sep)
        .slice(0, -1)
        .filter((s) => !/^\(.*\)$/.test(s) && !s.startsWith('@'));
      const methods = exportedNames(readFileSync(file, 'utf8')).filter((n) => HTTP_METHODS.includes(n));
      return { file: path.relative(ROOT, file), segments, methods };
    })
    .sort((a, b) => a.file.localeCompare(b.file));
}

export function listPages(): { file: string; segments: string[] }[] {
  return walk(path.join(ROOT, 'app'))
    .filter((f) => /\/page\.(ts|tsx|js|mjs)$/.test(f))
    .map((file) => {
      const rel = path.relative(path.join(ROOT, 'app'), file);
      const segments = rel
        .split(path.sep)
        .slice(0, -1)
        .filter((s) => !/^\(.*\)$/.test(s) && !s.startsWith('@'));
      return { file: path.relative(ROOT, file), segments };
    })
    .sort((a, b) => a.file.localeCompare(b.file));
}

// ---------------------------------------------------------------------------
// Server actions: from the build's manifest, checked against the 'use server' files' exports.
// ---------------------------------------------------------------------------

export interface ServerAction {
  id: string;
  name: string;
  file: string;
  /** App-router entries (`app/dashboard/requests/page`) whose page may be posted to. */
  pages: string[];
  /** React's encodeReply root for a form submit: `(prevState, formData)` or `(formData)`. */
  formArgs: 'prev-and-form' | 'form-only';
}

export function listUseServerExports(): { name: string; file: string; formArgs: ServerAction['formArgs'] }[] {
  const out: { name: string; file: string; formArgs: ServerAction['formArgs'] }[] = [];
  for (const dir of ['app', 'lib', 'components']) {
    if (!existsSync(path.join(ROOT, dir))) continue;
    for (const file of walk(path.join(ROOT, dir))) {
      if (!/\.(ts|tsx|js|mjs)$/.test(file)) continue;
      const source = readFileSync(file, 'utf8');
      if (!/^\s*(?:\/\/[^\n]*\n|\/\*[\s\S]*?\*\/\s*)*['"]use server['"]/.test(source)) continue;
      for (const name of exportedNames(source)) {
        out.push({ name, file: path.relative(ROOT, file), formArgs: formArgsOf(source, name) });
      }
    }
  }
  return out.sort((a, b) => (a.file + a.name).localeCompare(b.file + b.name));
}

/**
 * How a form calls the action: an action made by a wrapper or declared with two parameters takes
 * (prevState, formData) from useActionState; one declared with a single parameter or none is a
 * plain `<form action>` and gets (formData).
 */
function formArgsOf(source: string, name: string): ServerAction['formArgs'] {
  const fn = new RegExp(`export\\s+(?:async\\s+)?function\\s+${name}\\s*\\(([^)]*)\\)`).exec(source);
  if (fn) {
    const params = fn[1].replace(/:[^,]*(?:<[^>]*>)?/g, '').split(',').map((s) => s.trim()).filter(Boolean);
    return params.length >= 2 ? 'prev-and-form' : 'form-only';
  }
  return 'prev-and-form';
}

export function listServerActions(): ServerAction[] {
  const manifestPath = path.join(DIST, 'server', 'server-reference-manifest.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    node: Record<string, { workers: Record<string, unknown>; exportedName?: string; filename?: string }>;
  };
  const scanned = listUseServerExports();
  return Object.entries(manifest.node)
    .map(([id, entry]) => {
      const name = entry.exportedName ?? '';
      const file = entry.filename ?? '';
      const src = scanned.find((s) => s.name === name && s.file === file);
      return { id, name, file, pages: Object.keys(entry.workers), formArgs: src?.formArgs ?? 'prev-and-form' };
    })
    .sort((a, b) => (a.file + a.name).localeCompare(b.file + b.name));
}

/** A page path for an app entry such as `app/dashboard/appointments/[id]/page`. */
export function pagePath(entry: string, params: Record<string, string>): string | null {
  const segs = entry.replace(/^app\//, '').replace(/\/?page$/, '').split('/').filter(Boolean);
  const out: string[] = [];
  for (const s of segs) {
    if (/^\(.*\)$/.test(s) || s.startsWith('@')) continue;
    const dyn = /^\[(?:\.\.\.)?([^\]]+)\]$/.exec(s);
    if (dyn) {
      const v = params[dyn[1]];
      if (v === undefined) return null;
      out.push(encodeURIComponent(v));
    } else out.push(s);
  }
  return `/${out.join('/')}`;
}

/**
 * The multipart body React's `encodeReply` sends for a form submit: the form's entries as
 * `_1_<name>` (React 19.2+; older versions used `1_<name>`) and the root `0` referencing it.
 */
export function actionBody(
  formArgs: ServerAction['formArgs'] | 'raw-root',
  fields: [string, string][],
  rootOverride?: string,
): { body: Buffer; contentType: string } {
  const boundary = `----hostile${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  const add = (name: string, value: string) => {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name.replace(/["\r\n]/g, '_')}"\r\n\r\n`, 'utf8'));
    parts.push(Buffer.from(value, 'utf8'));
    parts.push(Buffer.from('\r\n', 'utf8'));
  };
  for (const [k, v] of fields) add(`_1_${k}`, v);
  add('0', rootOverride ?? (formArgs === 'form-only' ? '["$K1"]' : '["$undefined","$K1"]'));
  parts.push(Buffer.from(`--${boundary}--\r\n`, 'utf8'));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

export function callAction(
  base: string,
  action: ServerAction,
  page: string,
  fields: [string, string][],
  opts: { cookie?: string; rootOverride?: string; headers?: Record<string, string> } = {},
) {
  const { body, contentType } = actionBody(action.formArgs, fields, opts.rootOverride);
  return rawRequest(base, {
    method: 'POST',
    path: page,
    body,
    headers: {
      'content-type': contentType,
      'next-action': action.id,
      accept: 'text/x-component',
      origin: base,
      host: new URL(base).host,
      ...(opts.cookie ? { cookie: opts.cookie } : {}),
      ...opts.headers,
    },
  });
}

/** The action's own return value in a React Flight answer: row 0 is `{"a":"$@N",...}`, row N the state. */
export function actionResult(body: string): unknown {
  const lines = body.split('\n');
  const row = (id: string) => lines.find((l) => l.startsWith(`${id}:`))?.slice(id.length + 1);
  try {
    const root = JSON.parse(row('0') ?? 'null') as { a?: unknown } | null;
    if (!root || !('a' in root)) return undefined;
    if (typeof root.a === 'string' && root.a.startsWith('$@')) return JSON.parse(row(root.a.slice(2)) ?? 'null');
    return root.a;
  } catch {
    return undefined;
  }
}

/** What an action answered: its state says error/ok, it redirected, or it was refused before running. */
export function actionOutcome(res: RawResponse): 'refused' | 'ok' | 'redirect' | 'unknown' {
  if (res.status >= 400 || res.status <= 0) return 'refused';
  const location = String(res.headers['x-action-redirect'] ?? res.headers.location ?? '');
  // The proxy sends a signed-out caller to the sign-in page: nothing ran.
  if (/^\/login\b/.test(location.replace(/^https?:\/\/[^/]+/, '')) && res.status >= 300 && res.status < 400) return 'refused';
  if (location || (res.status >= 300 && res.status < 400)) return 'redirect';
  const state = actionResult(res.body) as { error?: unknown; fieldErrors?: unknown; ok?: unknown } | null | undefined;
  if (state && typeof state === 'object') {
    if (state.error || state.fieldErrors) return 'refused';
    if (state.ok) return 'ok';
  }
  return 'unknown';
}

/** An internal error showing through: the API's code, or an action's "went wrong on our side". */
export function internalErrorIn(body: string): boolean {
  // The API's error body names its code as `"code":"internal_error"`; the OpenAPI document merely
  // lists the code among the others.
  return /"code"\s*:\s*"internal_error"/.test(body) || /went wrong on our side/i.test(body);
}

// ---------------------------------------------------------------------------
// Hostile values.
// ---------------------------------------------------------------------------

export const NUL = '\u0000';

/** Characters a single-line text field must refuse (issue 11); never accepted silently. */
export const MUST_REFUSE = [NUL, '\u0001', '\u0008', '\u000b', '\u001b', '\u007f', '\u202e', '\u2066'];

export const HOSTILE_ATOMS = [
  NUL,
  '\u0001',
  '\u0007',
  '\u0008',
  '\u000b',
  '\u000c',
  '\u001b',
  '\u001f',
  '\u007f',
  '\u0085',
  '\u009b',
  '\r\n',
  '\r',
  '\n',
  '\r\nX-Injected: 1',
  '\n[api] forged log line',
  '\u2028',
  '\u2029',
  '\u202e',
  '\u202a',
  '\u2066',
  '\u2069',
  '\u200f',
  '\u200b',
  '\ufeff',
  '\ud800',
  '\udfff',
  '\udbff\u0041',
  '\uffff',
  '\ufffd',
  '%00',
  '%ED%A0%80',
  '%C0%AF',
  '%',
  '%zz',
  '%%',
  "'",
  '"',
  '\\',
  '`',
  "'; DROP TABLE patients; --",
  '<script>alert(1)</script>',
  '${7*7}',
  '{{7*7}}',
  '../../etc/passwd',
  '$undefined',
  '$K1',
  '$@0',
  'NaN',
  'Infinity',
  '-Infinity',
  '1e20',
  '-1e20',
  '1e-20',
  '1e308',
  '5e-324',
  '0x10',
  '-0',
  '-1',
  '0',
  '99999999999999999999999999999999999999',
  '9007199254740993',
  '0000-01-01',
  '9999-12-31',
  '0000-01-01T00:00',
  '9999-12-31T23:59',
  '0000-01-01T00:00:00Z',
  '9999-12-31T23:59:59.999Z',
  '+275760-09-13T00:00:00Z',
  '-271821-04-20T00:00:00Z',
  '2026-02-30',
  '2026-13-01',
  '1899-12-31',
  '2201-01-01',
  '24:00',
  '23:59:60',
  '99:99',
  'null',
  'undefined',
  'true',
  'false',
  '[]',
  '{}',
  '[object Object]',
  '',
  ' ',
  'é',
  'e\u0301',
  '😀',
  '\ud83d\ude00'.repeat(3),
  'ﷺ',
  'İ',
];

export const LONG_LENGTHS = [121, 1001, 2001, 10_001, 70_000];
