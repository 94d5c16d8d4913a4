// A small i18n layer: zh-CN by default, English on request, remembered in localStorage.
// Messages use {name} placeholders; numbers, money and dates go through Intl with the locale.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { en, zh, type MessageKey } from './messages.ts';

export type Lang = 'zh-CN' | 'en';
const TABLES: Record<Lang, Record<MessageKey, string>> = { 'zh-CN': zh, en };
const STORAGE_KEY = 'fanzha.lang';

export function translate(lang: Lang, key: MessageKey, vars?: Record<string, string | number>): string {
  const template = TABLES[lang][key] ?? zh[key] ?? key;
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

export function initialLang(stored: string | null | undefined): Lang {
  return stored === 'en' ? 'en' : 'zh-CN';
}

/** The message `prefix + value` when there is one (a known code), else the value itself. */
export function knownLabel(t: (k: MessageKey) => string, prefix: string, v: string): string {
  const key = `${prefix}${v}`;
  return key in zh ? t(key as MessageKey) : v;
}

export interface I18n {
  lang: Lang;
  setLang(l: Lang): void;
  t(key: MessageKey, vars?: Record<string, string | number>): string;
}

const Ctx = createContext<I18n>({ lang: 'zh-CN', setLang: () => {}, t: (k, v) => translate('zh-CN', k, v) });

function readStored(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

export function I18nProvider({ children, lang: fixed }: { children: ReactNode; lang?: Lang }) {
  const [lang, setLangState] = useState<Lang>(fixed ?? initialLang(readStored()));
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const setLang = useCallback((l: Lang) => {
    setLangState(l);
    try {
      localStorage.setItem(STORAGE_KEY, l);
    } catch {
      /* private mode: the choice lasts for this page only */
    }
  }, []);
  const value = useMemo<I18n>(() => ({ lang, setLang, t: (k, v) => translate(lang, k, v) }), [lang, setLang]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export const useI18n = () => useContext(Ctx);

export function LangSwitch({ className }: { className?: string }) {
  const { lang, setLang, t } = useI18n();
  return (
    <button type="button" className={className ?? 'btn btn-ghost'} onClick={() => setLang(lang === 'en' ? 'zh-CN' : 'en')}>
      <span className="sr-only">{t('lang.label')}: </span>
      <span lang={lang === 'en' ? 'zh-CN' : 'en'}>{t('lang.switch')}</span>
    </button>
  );
}
