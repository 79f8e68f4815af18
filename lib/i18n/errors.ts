import type { ErrorCode } from '@/lib/errors';
import type { Locale } from './locales';
import { translator } from './translator';

/**
 * Error messages a person reads, in their language, while the JSON API keeps English (its codes
 * are the contract). The mechanism:
 *
 * 1. lib/ writes a message with `errorText(key, values)` instead of an English literal: it
 *    returns the English text from messages/en/errors.json (so the API, logs and tests read
 *    exactly what they did) and remembers which key and values made it.
 * 2. The form's side (lib/actions `errorState`, or a page with `localizeError`) turns a
 *    message back into the reader's language: a remembered message is formatted from
 *    messages/<locale>/errors.json with the same values; an unknown one (an English literal not
 *    moved yet) falls back to the generic text of its code (`errors.code.<code>`), never to
 *    English on a Spanish page.
 *
 * To translate another message: add its key to messages/{en,es}/errors.json (the English text
 * exactly as today) and replace the literal by `errorText('group.key', { ... })`. In Spanish a
 * field's own name (`what`) is usually implied by where the message is shown: the translation
 * may ignore it with `{what, select, other {...}}` (the catalog test then sees the same arguments).
 */

type Values = Record<string, string | number>;

interface Entry {
  key: string;
  values?: Values;
  /** Values written differently in each language (a date, a time zone's name). */
  perLocale?: (locale: Locale) => Values;
}

// On globalThis: Next bundles pages and actions with separate copies of this module, and a schema
// built in one copy may be read in another. Bounded: values come from the code, not from people.
const REGISTRY_KEY = Symbol.for('consulta.i18n.errorTexts');
const MAX_ENTRIES = 5000;
const registry: Map<string, Entry> = ((globalThis as Record<symbol, unknown>)[REGISTRY_KEY] as Map<string, Entry>) ??
  ((globalThis as Record<symbol, unknown>)[REGISTRY_KEY] = new Map<string, Entry>());

/**
 * The English text of an errors.json message, remembered so that a page can show it translated.
 * `perLocale` gives the values that are written differently in each language (a date formatted
 * for the reader: `(l) => ({ at: formatDateTime(l, instant, zone) })`).
 */
export function errorText(key: string, values?: Values, perLocale?: (locale: Locale) => Values): string {
  const text = translator('en', 'errors')(key as never, { ...values, ...perLocale?.('en') } as never);
  if (!registry.has(text) && registry.size < MAX_ENTRIES) registry.set(text, { key, values, perLocale });
  return text;
}

/**
 * A message made by `errorText` (or any English message with its error code) in `locale`.
 * English stays as it is; an unknown message is the generic text of its code, or itself without one.
 */
export function localizeError(message: string, locale: Locale, code?: ErrorCode): string {
  if (locale === 'en') return message;
  const entry = registry.get(message);
  if (entry) return translator(locale, 'errors')(entry.key as never, { ...entry.values, ...entry.perLocale?.(locale) } as never);
  return code ? translator(locale, 'errors.code')(code) : message;
}

// i18n-keys: errors.code.* (the fallback of localizeError, by error code)

/** Each field's messages in `locale` (an action state's `fieldErrors`). */
export function localizeFieldErrors(fields: Record<string, string[]> | undefined, locale: Locale): Record<string, string[]> | undefined {
  if (!fields || locale === 'en') return fields;
  return Object.fromEntries(Object.entries(fields).map(([k, list]) => [k, list.map((m) => localizeError(m, locale, 'invalid_request'))]));
}
