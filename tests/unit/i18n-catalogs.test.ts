import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { describe, expect, it } from 'vitest';
import { LOCALES } from '@/lib/i18n/locales';
import { messagesFor, NAMESPACES } from '@/lib/i18n/catalogs';

/**
 * The catalogs are complete and used (issue 17):
 * - every key of one locale is in every other, and nothing but strings are leaves;
 * - every message parses as ICU, and its arguments are the same in every locale (names, and kinds
 *   that take the same values: a plural and a number take a number, a select a string);
 * - every key is used in the code, and every key the code names exists.
 *
 * How the code is read (app/, components/, lib/): a file's namespaces are the string literals
 * given to useTranslations / getTranslations / actionTranslator / translator(locale, '...') /
 * `namespace: '...'`;
 * its keys are the literals given to a translate function (t('x'), tNav('x'), t.rich('x')).
 * A key is used when some file names it under one of its namespaces.
 *
 * Dynamic keys: a template literal `t(`status.${s}`)` marks every key under `status.` as used.
 * Keys reached in another way (a map of codes, a list in lib/) are declared in the source with
 * a comment `i18n-keys: dashboard.nav.*` (a namespace followed by `.*`, or a full key).
 */

type Tree = { [k: string]: string | Tree };
const ROOT = path.resolve(import.meta.dirname, '../..');

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else if (v && typeof v === 'object') for (const [kk, vv] of flatten(v, key)) out.set(kk, vv);
    else out.set(key, `\u0000not a string: ${JSON.stringify(v)}`);
  }
  return out;
}

const catalogs = Object.fromEntries(LOCALES.map((l) => [l, flatten(messagesFor(l) as Tree)])) as Record<string, Map<string, string>>;
const english = catalogs.en;

/** Each argument of a message with its kind, e.g. `count:plural`, `city:argument`. */
function argumentsOf(elements: MessageFormatElement[], out = new Set<string>()): Set<string> {
  for (const el of elements) {
    switch (el.type) {
      case TYPE.argument:
        out.add(`${el.value}:argument`);
        break;
      case TYPE.number:
        out.add(`${el.value}:number`);
        break;
      case TYPE.date:
      case TYPE.time:
        out.add(`${el.value}:date`);
        break;
      case TYPE.plural:
      case TYPE.select:
        out.add(`${el.value}:${el.type === TYPE.plural ? 'plural' : 'select'}`);
        for (const option of Object.values(el.options)) argumentsOf(option.value, out);
        break;
      case TYPE.tag:
        out.add(`${el.value}:tag`);
        argumentsOf(el.children, out);
        break;
      default:
        break;
    }
  }
  return out;
}

/** Kinds that take the same values: a plain `{x}` takes anything; select a string; plural a number. */
function kindClass(kind: string): string {
  return kind === 'select' ? 'string' : kind === 'plural' ? 'number' : kind;
}

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) sourceFiles(full, out);
    else if (/\.(ts|tsx)$/.test(name)) out.push(full);
  }
  return out;
}

const NAMESPACE_CALL = /(?:useTranslations|getTranslations|actionTranslator|translator\((?:[^,()]|\([^()]*\))*,)\s*\(?\s*['"]([\w.]+)['"]|namespace:\s*['"]([\w.]+)['"]/g;
const KEY_CALL = /\bt(?:[A-Z]\w*)?(?:\.(?:rich|markup|raw|has))?\(\s*(['"])([\w.-]+)\1/g;
const TEMPLATE_KEY_CALL = /\bt(?:[A-Z]\w*)?(?:\.(?:rich|markup|raw|has))?\(\s*`([\w.-]*)\$\{/g;
const DIRECT_CALL = /(?:translator\((?:[^,()]|\([^()]*\))*,|(?:getTranslations|actionTranslator)\()\s*['"]([\w.]+)['"]\)\)?\(\s*['"]([\w.-]+)['"]/g;
const ERROR_TEXT = /errorText\(\s*['"]([\w.-]+)['"]/g;
const DECLARED = /i18n-keys:\s*([\w.*,\s-]+)/g;

interface Usage {
  exact: Set<string>;
  prefixes: Set<string>;
  /** Key literals whose full key was not found, with their file. */
  unknown: string[];
}

function scanUsage(): Usage {
  const usage: Usage = { exact: new Set(), prefixes: new Set(), unknown: [] };
  const files = ['app', 'components', 'lib'].flatMap((d) => sourceFiles(path.join(ROOT, d)));
  for (const file of files) {
    const raw = readFileSync(file, 'utf8');
    // Comments explain, they do not use keys (the i18n-keys declarations are read from `raw`).
    const src = raw.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
    const namespaces = new Set<string>(['']);
    for (const m of src.matchAll(NAMESPACE_CALL)) namespaces.add(m[1] ?? m[2]);
    if (namespaces.size === 1 && !/useTranslations|getTranslations|ranslator\(|errorText\(|i18n-keys/.test(raw)) continue;
    const join = (ns: string, key: string) => (ns ? `${ns}.${key}` : key);
    for (const m of src.matchAll(KEY_CALL)) {
      const found = [...namespaces].map((ns) => join(ns, m[2])).filter((k) => english.has(k));
      if (found.length) for (const k of found) usage.exact.add(k);
      else if (namespaces.size > 1) usage.unknown.push(`${path.relative(ROOT, file)}: ${m[2]}`);
    }
    for (const m of src.matchAll(DIRECT_CALL)) usage.exact.add(join(m[1], m[2]));
    for (const m of src.matchAll(ERROR_TEXT)) {
      if (english.has(`errors.${m[1]}`)) usage.exact.add(`errors.${m[1]}`);
      else usage.unknown.push(`${path.relative(ROOT, file)}: errors.${m[1]}`);
    }
    for (const m of src.matchAll(TEMPLATE_KEY_CALL)) for (const ns of namespaces) usage.prefixes.add(join(ns, m[1]));
    for (const m of raw.matchAll(DECLARED)) {
      for (const item of m[1].split(/[,\s]+/).filter(Boolean)) {
        if (item.endsWith('.*')) usage.prefixes.add(item.slice(0, -1));
        else usage.exact.add(item);
      }
    }
  }
  return usage;
}

describe('message catalogs', () => {
  it('have a file per namespace in every locale', () => {
    for (const locale of LOCALES) {
      const files = readdirSync(path.join(ROOT, 'messages', locale)).map((f) => f.replace(/\.json$/, ''));
      expect(files.sort(), locale).toEqual([...NAMESPACES].sort());
    }
  });

  it('have the same keys in every locale', () => {
    for (const locale of LOCALES) {
      const keys = catalogs[locale];
      const missing = [...english.keys()].filter((k) => !keys.has(k));
      const extra = [...keys.keys()].filter((k) => !english.has(k));
      expect({ locale, missing, extra }).toEqual({ locale, missing: [], extra: [] });
    }
  });

  it('hold ICU messages that parse, with the same arguments in every locale', () => {
    const problems: string[] = [];
    for (const [key, en] of english) {
      let enArgs: Set<string>;
      try {
        enArgs = argumentsOf(parse(en));
      } catch (err) {
        problems.push(`en ${key}: ${(err as Error).message}`);
        continue;
      }
      for (const locale of LOCALES) {
        const text = catalogs[locale].get(key);
        if (text === undefined || locale === 'en') continue;
        try {
          const args = argumentsOf(parse(text));
          const kinds = (set: Set<string>) => new Map([...set].map((a) => a.split(':') as [string, string]));
          const [enKinds, kinds2] = [kinds(enArgs), kinds(args)];
          const names = (m: Map<string, string>) => [...m.keys()].sort().join(' ');
          if (names(enKinds) !== names(kinds2)) problems.push(`${locale} ${key}: arguments ${names(kinds2) || '(none)'} but English has ${names(enKinds) || '(none)'}`);
          for (const [name, kind] of kinds2) {
            const other = enKinds.get(name);
            if (other && kindClass(kind) !== kindClass(other) && kind !== 'argument' && other !== 'argument') {
              problems.push(`${locale} ${key}: ${name} is a ${kind} but a ${other} in English`);
            }
          }
        } catch (err) {
          problems.push(`${locale} ${key}: ${(err as Error).message}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('are used in the code, and the code names no key they lack', () => {
    const usage = scanUsage();
    const unused = [...english.keys()].filter((k) => !usage.exact.has(k) && ![...usage.prefixes].some((p) => k.startsWith(p)));
    expect(unused).toEqual([]);
    expect(usage.unknown).toEqual([]);
  });
});
