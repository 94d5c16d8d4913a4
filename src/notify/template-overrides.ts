// Notice texts edited at run time. An override replaces the built-in subject and text of one
// template in one language (settings key "notify.template.<template>.<lang>"); it may use only the
// variables the built-in text has, must keep the shop's signature, and must pass the SMS rules
// (assertSmsSafe) once rendered. The outbox worker renders the override when one is stored.
import type { SettingsStore } from '../settings/settings.service.ts';
import type { Actor } from '../settings/settings.repository.ts';
import { NOTICE_TEMPLATES, type NoticeTemplate } from './notifier.port.ts';
import { DomainError } from '../lib/errors.ts';
import {
  COMMON_VARS,
  LANGS,
  PLACEHOLDER,
  TEMPLATE_VARS,
  assertSmsSafe,
  builtInText,
  renderNotice,
  renderTemplateText,
  type Lang,
  type RenderedNotice,
  type TemplateText,
} from './templates.ts';

export const TEMPLATE_KEY_PREFIX = 'notify.template.';
export const templateKey = (template: NoticeTemplate, lang: Lang) => `${TEMPLATE_KEY_PREFIX}${template}.${lang}`;
export const TEXT_LIMITS = { subject: 120, text: 700 } as const;

/** Made-up values for previews and for checking a text before it is stored. */
export const SAMPLE_VARS: Record<Lang, Record<string, string>> = {
  'zh-CN': {
    orderId: 'D20260714001',
    time: '7月14日 10:21',
    device: 'iPhone 15',
    city: '深圳',
    staffName: '小王',
    team: '售后',
    when: '7月1日至7月3日',
    fields: 'name,phone,items',
  },
  en: {
    orderId: 'D20260714001',
    time: '14 July 10:21',
    device: 'iPhone 15',
    city: 'Shenzhen',
    staffName: 'Wang',
    team: 'after-sales',
    when: 'between 1 and 3 July',
    fields: 'name,phone,items',
  },
};

/** A template text that breaks a rule: 400 in the API, naming unknown variables (never the text). */
export class TemplateTextError extends DomainError {
  override name = 'TemplateTextError';
  constructor(
    message: string,
    readonly unknownVariables: string[] = [],
  ) {
    super('invalid', message, {
      type: 'invalid-template',
      title: 'The template text breaks a rule',
      extensions: unknownVariables.length ? { unknownVariables } : {},
    });
  }
}

export interface NoticeOpts {
  shopName: Record<Lang, string>;
  officialDomain: string;
}

/** Every variable a template's texts may use. */
export const variablesOf = (template: NoticeTemplate): string[] => [...COMMON_VARS, ...TEMPLATE_VARS[template]];

/** Throws a TemplateTextError naming the first rule the text breaks; messages quote no text. */
export function checkTemplateText(template: NoticeTemplate, lang: Lang, tt: TemplateText, opts: NoticeOpts): void {
  const subject = tt.subject.trim();
  const text = tt.text.trim();
  if (!subject || !text) throw new TemplateTextError('subject and text must not be empty');
  if ([...subject].length > TEXT_LIMITS.subject) throw new TemplateTextError(`the subject is longer than ${TEXT_LIMITS.subject} characters`);
  if ([...text].length > TEXT_LIMITS.text) throw new TemplateTextError(`the text is longer than ${TEXT_LIMITS.text} characters`);
  if (/[\r\n]/.test(subject)) throw new TemplateTextError('the subject must be one line');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0009\u000b-\u001f\u007f<>]/.test(subject + text)) throw new TemplateTextError('control characters and < > are not allowed');
  const allowed = new Set(variablesOf(template));
  const unknown = new Set<string>();
  for (const s of [subject, text]) {
    for (const m of s.matchAll(PLACEHOLDER)) if (!allowed.has(m[1]!)) unknown.add(m[1]!);
    if (/[{}]/.test(s.replace(PLACEHOLDER, ''))) throw new TemplateTextError('a brace that is not part of a {variable}');
  }
  if (unknown.size)
    throw new TemplateTextError(`unknown variables for ${template}: ${[...unknown].join(', ')}; allowed: ${[...allowed].join(', ')}`, [...unknown]);
  if (!text.includes('{shop}')) throw new TemplateTextError('the text must carry the shop signature {shop}');
  const r = renderTemplateText({ subject, text }, lang, SAMPLE_VARS[lang], opts);
  for (const part of [r.subject, r.text]) {
    try {
      assertSmsSafe(part, opts.officialDomain);
    } catch (e) {
      throw new TemplateTextError((e as Error).message.replace(/^sms-rule: /, 'SMS rule: '));
    }
  }
}

export interface TemplateEntry {
  template: NoticeTemplate;
  lang: Lang;
  variables: string[];
  builtIn: TemplateText;
  override: (TemplateText & { updatedAt: number; updatedBy: string | null }) | null;
}

export class TemplateOverrides {
  constructor(
    private readonly store: SettingsStore,
    private readonly opts: NoticeOpts,
  ) {}

  async get(template: NoticeTemplate, lang: Lang): Promise<TemplateText | undefined> {
    return (await this.store.get<TemplateText>(templateKey(template, lang)))?.value;
  }

  async list(): Promise<TemplateEntry[]> {
    const stored = await this.store.list<TemplateText>(TEMPLATE_KEY_PREFIX);
    return NOTICE_TEMPLATES.flatMap((template) =>
      LANGS.map((lang) => {
        const s = stored.get(templateKey(template, lang));
        return {
          template,
          lang,
          variables: variablesOf(template),
          builtIn: builtInText(template, lang),
          override: s ? { subject: s.value.subject, text: s.value.text, updatedAt: s.updatedAt, updatedBy: s.updatedBy } : null,
        };
      }),
    );
  }

  async entry(template: NoticeTemplate, lang: Lang): Promise<TemplateEntry> {
    return (await this.list()).find((e) => e.template === template && e.lang === lang)!;
  }

  /** Checks and stores an override (recorded with who changed it). */
  async put(template: NoticeTemplate, lang: Lang, tt: TemplateText, actor: Actor) {
    checkTemplateText(template, lang, tt, this.opts);
    return this.store.set(templateKey(template, lang), { subject: tt.subject.trim(), text: tt.text.trim() }, actor);
  }

  /** Back to the built-in text; false when there was no override. */
  async remove(template: NoticeTemplate, lang: Lang, actor: Actor): Promise<boolean> {
    return (await this.store.set(templateKey(template, lang), null, actor)).changed;
  }

  /** What a notice says: the override when one is stored, else the built-in text. */
  async render(template: NoticeTemplate, lang: Lang, vars: Record<string, string | number>): Promise<RenderedNotice> {
    const o = await this.get(template, lang);
    return o ? renderTemplateText(o, lang, vars, this.opts) : renderNotice(template, lang, vars, this.opts);
  }

  /** A text (given, or the one in force) rendered with the sample variables, after the same checks as a save. */
  async preview(template: NoticeTemplate, lang: Lang, tt?: TemplateText): Promise<RenderedNotice> {
    if (tt) {
      checkTemplateText(template, lang, tt, this.opts);
      return renderTemplateText(tt, lang, SAMPLE_VARS[lang], this.opts);
    }
    return this.render(template, lang, SAMPLE_VARS[lang]);
  }
}
