import { useLocale, useMessages, useTimeZone, type useTranslations as useIntlTranslations } from 'next-intl';
import { useMemo } from 'react';
import { createTranslator } from 'use-intl/core';
import { formatCompiled } from './compiled';

type Translator = ReturnType<typeof useIntlTranslations>;

/**
 * next-intl's useTranslations for the components, with each message compiled once and formatted
 * directly (lib/i18n/compiled.ts): use-intl's own hook built a translator per component and
 * serialized its formats per call, the largest part of the requests page's render (50 cards, a few messages
 * with values each). Same messages, same words. `t.rich`, `t.markup`, `t.raw`, `t.has`, and
 * anything the compiled path cannot say, go to use-intl's translator over the same provider
 * values (locale, messages, time zone), made when first needed.
 */
export const useTranslations = ((namespace?: string) => {
  const locale = useLocale();
  const messages = useMessages();
  const timeZone = useTimeZone();
  return useMemo(() => {
    let base: Translator | undefined;
    const intl = () => (base ??= createTranslator({ locale, messages, namespace: namespace as never, timeZone }) as unknown as Translator);
    const t = (key: string, values?: Record<string, unknown>) =>
      formatCompiled(locale, messages, namespace ? `${namespace}.${key}` : key, values) ?? intl()(key as never, values as never);
    return Object.assign(t, {
      rich: (...args: Parameters<Translator['rich']>) => intl().rich(...args),
      markup: (...args: Parameters<Translator['markup']>) => intl().markup(...args),
      raw: (...args: Parameters<Translator['raw']>) => intl().raw(...args),
      has: (...args: Parameters<Translator['has']>) => intl().has(...args),
    }) as unknown as Translator;
  }, [locale, messages, namespace, timeZone]);
}) as typeof useIntlTranslations;
