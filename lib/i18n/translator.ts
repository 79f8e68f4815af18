// use-intl/core (next-intl's own core, no React): lib code runs in CLIs and tests too, where React's
// scheduler would keep the process alive.
import { createTranslator, type TranslationValues } from 'use-intl/core';
import { messagesFor } from './catalogs';
import { formatCompiled, messageAt } from './compiled';
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
    const messages = messagesFor(locale);
    const base = createTranslator({ locale, messages, namespace: namespace as never });
    // Compiled once, formatted directly (lib/i18n/compiled.ts); use-intl says anything else.
    t = (k, values) => formatCompiled(locale, messages, namespace ? `${namespace}.${k}` : k, values) ?? base(k as never, values as never);
    cached.set(key, t);
  }
  return t;
}

/** Whether a message exists ('appointments.messages.kind.proposed'): for codes that may come without words yet. */
export function hasMessage(locale: Locale, path: string): boolean {
  return messageAt(messagesFor(locale), path) !== undefined;
}
