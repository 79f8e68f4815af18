import { unstable_rethrow } from 'next/navigation';
import { revalidatePath } from 'next/cache';
import type { Actor } from '@/lib/auth/actor';
import { currentActor } from '@/lib/auth/session';
import { toDomainError } from '@/lib/errors';
import { localizeError, localizeFieldErrors } from '@/lib/i18n/errors';
import type { Locale } from '@/lib/i18n/locales';
import { requestLocale } from '@/lib/i18n/resolve';
import { translator, type Translate } from '@/lib/i18n/translator';
import { logError, newRequestId } from '@/lib/log';

/**
 * Server actions are thin: the one FormData decoder turns the form into the lib function's input,
 * the lib function parses it with its own schema and checks the actor, and the one error
 * converter puts every field's message back beside its input (useActionState).
 */

/** What every server action returns to its form. Never echoes a password or a token. */
export interface ActionState {
  ok?: boolean;
  message?: string;
  error?: string;
  fieldErrors?: Record<string, string[]>;
  values?: Record<string, string>;
}

const SECRET_FIELDS = /password|token/i;

/**
 * The one FormData decoder: `patient.name` nests, `weekdays[]` is a list (under `weekdays`), the
 * framework's `$ACTION…` fields are dropped, and values stay strings for the lib schemas to coerce.
 */
export function decodeForm(formData: FormData): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const rawKey of new Set(formData.keys())) {
    if (rawKey.startsWith('$')) continue;
    const values = formData.getAll(rawKey).filter((v): v is string => typeof v === 'string');
    const list = rawKey.endsWith('[]');
    const path = (list ? rawKey.slice(0, -2) : rawKey).split('.');
    if (path.some((p) => !p || p === '__proto__' || p === 'constructor' || p === 'prototype')) continue;
    let node = out;
    for (const part of path.slice(0, -1)) {
      const next = node[part];
      node = (next && typeof next === 'object' && !Array.isArray(next) ? next : (node[part] = {})) as Record<string, unknown>;
    }
    node[path[path.length - 1]] = list ? values : values[0];
  }
  return out;
}

/** The typed values to put back in the form; repeated fields (checkbox groups) joined by commas. */
function echo(formData: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const key of new Set(formData.keys())) {
    if (SECRET_FIELDS.test(key) || key.startsWith('$')) continue;
    const all = formData.getAll(key).filter((v): v is string => typeof v === 'string');
    if (all.length) values[key] = all.join(',').slice(0, 20_000);
  }
  return values;
}

/** A lib error's fields as the form's: `weekdays.0` is shown at the `weekdays[]` group. */
function formFieldErrors(fields: Record<string, string> | undefined): Record<string, string[]> | undefined {
  if (!fields) return undefined;
  const out: Record<string, string[]> = {};
  for (const [path, message] of Object.entries(fields)) {
    const key = path.replace(/\.\d+(?=\.|$)/g, '');
    (out[key] ??= []).push(message);
    if (key !== path) (out[`${key}[]`] ??= []).push(message);
  }
  return out;
}

/**
 * The state for an error thrown by a lib function (or a bug, logged by code and id only), in the
 * reader's language (lib/i18n/errors.ts: messages made with `errorText` are translated, others
 * fall back to their code's text).
 */
export async function errorState(err: unknown, formData: FormData | null, action: string): Promise<ActionState> {
  unstable_rethrow(err);
  const known = toDomainError(err);
  const values = formData ? echo(formData) : undefined;
  const locale = await actionLocale();
  if (known) {
    return { error: localizeError(known.message, locale, known.code), fieldErrors: localizeFieldErrors(formFieldErrors(known.fields), locale), values };
  }
  const requestId = newRequestId();
  logError('action_failed', err, { route: action, requestId });
  return { error: translator(locale, 'errors.action')('failed', { reference: requestId }), values };
}

/** The language of this action's page (English outside a request, e.g. in a test). */
export async function actionLocale(): Promise<Locale> {
  try {
    return await requestLocale();
  } catch {
    return 'en';
  }
}

/**
 * An action's words in its page's language (English outside a request, e.g. when a test calls
 * the action): `(await actionTranslator('dashboard.services'))('added', { name })`.
 */
export async function actionTranslator(namespace: string): Promise<Translate> {
  return translator(await actionLocale(), namespace);
}

/** A call that did not come from a form (a hand-made request): refused plainly, nothing run. */
export async function notAFormState(): Promise<ActionState> {
  return { error: translator(await actionLocale(), 'errors.action')('notAForm') };
}

/** What a successful call answers: a message, a state, or nothing; may be async (a translated message). */
type Done<R> = (result: R) => string | ActionState | void | Promise<string | ActionState | void>;

async function stateOf<R>(result: R, done?: Done<R>): Promise<ActionState> {
  const out = await done?.(result);
  if (typeof out === 'string') return { ok: true, message: out };
  return out ?? { ok: true };
}

interface ActionOptions {
  /** A path whose cached pages show what the action changes. */
  revalidate?: string;
  /** The action's name in a log line. */
  name: string;
}

/**
 * A form action on one practice's data: the form carries `profileId`; the lib function checks
 * the actor's permission on it (there is no other gate to forget).
 */
export function practiceAction<I, R>(
  fn: (actor: Actor | null, profileId: string, input: I) => Promise<R>,
  opts: ActionOptions,
  done?: Done<R>,
) {
  return async (_prev: ActionState | undefined, formData: FormData): Promise<ActionState> => {
    if (!(formData instanceof FormData)) return notAFormState();
    try {
      const { profileId, ...input } = decodeForm(formData);
      // The lib function parses both: a missing or foreign practice is its "not found".
      return await stateOf(await fn(await currentActor(), String(profileId ?? ''), input as I), done);
    } catch (err) {
      return errorState(err, formData, opts.name);
    } finally {
      if (opts.revalidate) revalidatePath(opts.revalidate, 'layout');
    }
  };
}

/** A form action anyone may call (the public booking form); the lib function takes the raw input. */
export function publicAction<I, R>(fn: (input: I) => Promise<R>, opts: ActionOptions, done?: Done<R>) {
  return async (_prev: ActionState | undefined, formData: FormData): Promise<ActionState> => {
    if (!(formData instanceof FormData)) return notAFormState();
    try {
      return await stateOf(await fn(decodeForm(formData) as I), done);
    } catch (err) {
      return errorState(err, formData, opts.name);
    }
  };
}
