import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { NextIntlClientProvider, useTranslations as useIntlTranslations } from 'next-intl';
import { createElement, type ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { createTranslator } from 'use-intl/core';
import { describe, expect, it } from 'vitest';
import { messagesFor } from '@/lib/i18n/catalogs';
import { LOCALES } from '@/lib/i18n/locales';
import { translator } from '@/lib/i18n/translator';
import { useTranslations } from '@/lib/i18n/use-translations';

/**
 * lib's translator compiles each message once and formats it with intl-messageformat itself
 * (use-intl's own lookup per call was a fifth of a booking's CPU). It must say exactly what
 * use-intl says: every message of every catalog, with every branch of its plurals and selects.
 * Messages with tags are the pages' rich text (t.rich in React), not lib's.
 */
type Tree = { [k: string]: string | Tree };

function messages(tree: Tree, prefix = ''): [string, string][] {
  return Object.entries(tree).flatMap(([k, v]) => (typeof v === 'string' ? [[`${prefix}${k}`, v] as [string, string]] : messages(v, `${prefix}${k}.`)));
}

interface Arg {
  name: string;
  kind: 'text' | 'number' | 'plural' | 'select' | 'tag';
  options: string[];
}

function argsOf(elements: MessageFormatElement[], out: Arg[] = []): Arg[] {
  for (const el of elements) {
    if (el.type === TYPE.argument) out.push({ name: el.value, kind: 'text', options: [] });
    else if (el.type === TYPE.number) out.push({ name: el.value, kind: 'number', options: [] });
    else if (el.type === TYPE.plural || el.type === TYPE.select) {
      out.push({ name: el.value, kind: el.type === TYPE.plural ? 'plural' : 'select', options: Object.keys(el.options) });
      for (const option of Object.values(el.options)) argsOf(option.value, out);
    } else if (el.type === TYPE.tag) out.push({ name: el.value, kind: 'tag', options: [] });
  }
  return out;
}

/** Value sets that reach every branch: plurals 0, 1, 2, 5 and 21; each select's options in turn, and one it lacks. */
function valueSets(args: Arg[]): Record<string, string | number>[] {
  const selects = args.filter((a) => a.kind === 'select');
  const rounds = Math.max(5, ...selects.map((a) => a.options.length + 1));
  const counts = [0, 1, 2, 5, 21];
  return Array.from({ length: rounds }, (_, i) =>
    Object.fromEntries(
      args.map((a) => [a.name, a.kind === 'select' ? (a.options[i] ?? 'not-an-option') : a.kind === 'text' ? `Ana ${i}` : counts[i % counts.length]]),
    ),
  );
}

describe('lib translator', () => {
  it('says what use-intl says, for every message, branch and locale', () => {
    let checked = 0;
    for (const locale of LOCALES) {
      const reference = createTranslator({ locale, messages: messagesFor(locale), onError: () => {} });
      const t = translator(locale);
      for (const [key, text] of messages(messagesFor(locale) as Tree)) {
        const args = argsOf(parse(text));
        if (args.some((a) => a.kind === 'tag')) continue;
        for (const values of valueSets(args)) {
          expect(t(key, values), `${locale} ${key} ${JSON.stringify(values)}`).toBe(reference(key as never, values as never));
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it('answers through a namespace, and as use-intl does for a missing value', () => {
    const t = translator('es', 'common.zone');
    const reference = createTranslator({ locale: 'es', messages: messagesFor('es'), namespace: 'common.zone' as never, onError: () => {} });
    expect(t('cityTime', { city: 'Madrid' })).toBe(reference('cityTime' as never, { city: 'Madrid' } as never));
    expect(t('cityTime', { city: 'Madrid' })).toContain('Madrid');
    const errors = console.error;
    console.error = () => {};
    try {
      expect(t('cityTime')).toBe(reference('cityTime' as never));
    } finally {
      console.error = errors;
    }
  });

  it('in components (useTranslations): the same words as the next-intl hook, rich text included', () => {
    type Hook = typeof useIntlTranslations;
    const Probe = ({ hook }: { hook: Hook }) => {
      const t = hook('requests.board');
      const format = hook('common.span');
      const rich = hook();
      return createElement('p', null, [
        t('approveFor', { name: 'Ana' }),
        t('approve'),
        format('minutes', { count: 1 }),
        format('minutes', { count: 5 }),
        String(t.has('approve')),
        rich.rich('requests.board.approveFor', { name: 'Ana' }) as ReactNode,
      ].join(' | '));
    };
    for (const locale of LOCALES) {
      const page = (hook: Hook) =>
        renderToStaticMarkup(
          // eslint-disable-next-line react/no-children-prop -- the provider's props type requires children
          createElement(NextIntlClientProvider, { locale, messages: messagesFor(locale), timeZone: 'UTC', children: createElement(Probe, { hook }) }),
        );
      const ours = page(useTranslations);
      expect(ours).toBe(page(useIntlTranslations));
      expect(ours).toContain('Ana');
    }
  });
});
