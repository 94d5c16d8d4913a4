import { describe, expect, it } from 'vitest';
import { en, zh } from './messages.ts';
import { initialLang, translate } from './i18n.tsx';

describe('i18n', () => {
  it('has every key in both languages, none empty', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zh).sort());
    for (const [k, v] of Object.entries(en)) expect(v, k).not.toBe('');
  });
  it('uses the same placeholders in both languages', () => {
    const vars = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const k of Object.keys(zh) as (keyof typeof zh)[]) expect(vars(en[k]), k).toEqual(vars(zh[k]));
  });
  it('defaults to zh-CN and switches to English only when asked', () => {
    expect(initialLang(null)).toBe('zh-CN');
    expect(initialLang('fr')).toBe('zh-CN');
    expect(initialLang('en')).toBe('en');
    expect(translate('zh-CN', 'nav.cases')).toBe('案件');
    expect(translate('en', 'nav.cases')).toBe('Cases');
  });
  it('fills placeholders and leaves unknown ones visible', () => {
    expect(translate('en', 'report.step', { n: 2, total: 4 })).toBe('Step 2 of 4');
    expect(translate('en', 'report.step', { n: 2 })).toBe('Step 2 of {total}');
  });
});
