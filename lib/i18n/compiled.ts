import { IntlMessageFormat, type PrimitiveType } from 'intl-messageformat';

/**
 * Messages compiled once and formatted straight away, for lib's translator and the components'
 * useTranslations (lib/i18n/use-translations.ts). use-intl finds a compiled message by
 * serializing its formats on every call: a tenth of a booking's CPU, and with the translator it
 * built per component, the largest part of a requests page's render (50 cards). This is the same IntlMessageFormat
 * over the same catalogs with no custom formats (the app gives use-intl none); whatever it cannot
 * say as a plain string (a missing message or value, rich text) answers undefined, and the caller
 * asks use-intl, which says it (and reports it) as before. tests/unit/translator.test.ts checks
 * every message, branch and locale against use-intl.
 */
export function formatCompiled(locale: string, messages: object, path: string, values?: Record<string, unknown>): string | undefined {
  let byPath = compiled.get(messages);
  if (!byPath) compiled.set(messages, (byPath = new Map()));
  const key = `${locale}\u0000${path}`;
  let format = byPath.get(key);
  if (format === undefined) {
    const message = messageAt(messages, path);
    try {
      format = message === undefined ? null : new IntlMessageFormat(message, locale);
    } catch {
      format = null;
    }
    byPath.set(key, format);
  }
  if (!format) return undefined;
  try {
    const out = format.format(values as Record<string, PrimitiveType> | undefined);
    return typeof out === 'string' ? out : undefined;
  } catch {
    return undefined;
  }
}

/** Per catalog object (a locale's catalog, or a provider's picked messages): path → its compiled message, or null for none. */
const compiled = new WeakMap<object, Map<string, IntlMessageFormat | null>>();

/** The catalog's message at a dotted path, if it is one. */
export function messageAt(messages: unknown, path: string): string | undefined {
  let node = messages;
  for (const part of path.split('.')) node = node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined;
  return typeof node === 'string' ? node : undefined;
}
