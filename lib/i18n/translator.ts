// use-intl/core (next-intl's own core, no React): lib code runs in CLIs and tests too, where React's
// scheduler would keep the process alive.
import { IntlMessageFormat, type PrimitiveType } from 'intl-messageformat';
import { createTranslator, type TranslationValues } from 'use-intl/core';
import { messagesFor } from './catalogs';
import type { Locale } from './locales';

/** A translator bound to a locale and namespace: `t('key', { count })`. */
export type Translate = (key: string, values?: TranslationValues) => string;

const cached = new Map<string, Translate>();

/**
 * Messages outside React (lib/, e-mails, WhatsApp, .ics, action errors): next-intl's
 * createTranslator over the same catalogs the pages read (ICU plurals and selects included).
 * `translator('es', 'common.zone')('cityTime', { city: 'Madrid' })` → "hora de Madrid".
 * Phase 2 (notifications) uses it with the request's language.
 */
export function translator(locale: Locale, namespace?: string): Translate {
  const key = `${locale}|${namespace ?? ''}`;
  let t = cached.get(key);
  if (!t) {
    const base = createTranslator({ locale, messages: messagesFor(locale), namespace: namespace as never });
    const slow: Translate = (k, values) => base(k as never, values as never);
    // Each message compiled once and formatted straight away: use-intl's translator serializes its
    // formats on every call to find the compiled message, which made composing a booking's
    // messages a fifth of its CPU (bench:roundtrips). The same IntlMessageFormat over the same
    // catalog (no custom formats, as createTranslator is given none); anything else (a missing
    // message, a missing value, rich text) goes to use-intl, which reports it as before.
    const compiled = new Map<string, IntlMessageFormat | null>();
    t = (k, values) => {
      let format = compiled.get(k);
      if (format === undefined) {
        const message = messageAt(locale, namespace ? `${namespace}.${k}` : k);
        format = message === undefined ? null : new IntlMessageFormat(message, locale);
        compiled.set(k, format);
      }
      if (format) {
        try {
          const out = format.format(values as Record<string, PrimitiveType>);
          if (typeof out === 'string') return out;
        } catch {
          // use-intl reports it
        }
      }
      return slow(k, values);
    };
    cached.set(key, t);
  }
  return t;
}

/** The catalog's message at a dotted path, if it is one. */
function messageAt(locale: Locale, path: string): string | undefined {
  let node: unknown = messagesFor(locale);
  for (const part of path.split('.')) node = node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined;
  return typeof node === 'string' ? node : undefined;
}

/** Whether a message exists ('appointments.messages.kind.proposed'): for codes that may come without words yet. */
export function hasMessage(locale: Locale, path: string): boolean {
  return messageAt(locale, path) !== undefined;
}
