// Notice texts in zh-CN and English for every template of the port. One text serves SMS,
// mail and webhook; `assertSmsSafe` enforces the SMS gateway rules on the rendered text.
import { NOTICE_TEMPLATES, type NoticeTemplate } from './notifier.port.ts';

export type Lang = 'zh-CN' | 'en';
export const LANGS: readonly Lang[] = ['zh-CN', 'en'];

export interface RenderedNotice {
  subject: string;
  text: string;
}

type Vars = Record<string, string | number>;
interface Ctx {
  shop: string;
  domain: string;
  v: (name: string, fallback?: string) => string;
}
type Texts = Record<NoticeTemplate, { subject: (c: Ctx) => string; text: (c: Ctx) => string }>;

const zh: Texts = {
  'refund.requested': {
    subject: (c) => `【${c.shop}】退款申请提醒：谨防冒充客服诈骗`,
    text: (c) =>
      `【${c.shop}】您的订单${c.v('orderId')}已提交退款申请。${c.shop}客服绝不会来电要求您"重新办理"退款，绝不会索要银行卡号、身份证号或验证码，也绝不会为退款发送任何链接。如有人来电，请打开App内的"官方联系状态"卡片核实；卡片显示"未在联系您"就请立即挂断。`,
  },
  'refund.completed': {
    subject: (c) => `【${c.shop}】退款已完成`,
    text: (c) => `【${c.shop}】您的订单${c.v('orderId')}退款已完成，款项将原路退回，无需您进行任何操作。任何要求您转账、提供验证码的来电都是诈骗。`,
  },
  'login.new_device': {
    subject: (c) => `【${c.shop}】新设备登录提醒`,
    text: (c) =>
      `【${c.shop}】您的账户于${c.v('time', '刚刚')}在新设备${c.v('device', '')}${c.v('city', '') ? `（${c.v('city')}）` : ''}登录。如非本人操作，请立即在App内修改密码。我们不会来电索要验证码。`,
  },
  'login.breached_password': {
    subject: (c) => `【${c.shop}】请更换密码`,
    text: (c) => `【${c.shop}】您使用的密码出现在公开泄露的密码库中，为保护账户安全，请尽快在App内更换为新密码。我们不会来电或发链接要求您提供密码。`,
  },
  'account.password_changed': {
    subject: (c) => `【${c.shop}】密码已修改`,
    text: (c) => `【${c.shop}】您的账户密码已修改。如非本人操作，请立即在App内找回账户并联系官方客服。`,
  },
  'account.phone_changed': {
    subject: (c) => `【${c.shop}】手机号已修改`,
    text: (c) => `【${c.shop}】您账户绑定的手机号已修改。如非本人操作，请立即在App内找回账户并联系官方客服。`,
  },
  'account.address_changed': {
    subject: (c) => `【${c.shop}】收货地址已修改`,
    text: (c) => `【${c.shop}】您账户的收货地址已修改。如非本人操作，请在App内核对并联系官方客服。`,
  },
  'contact.opened': {
    subject: (c) => `【${c.shop}】官方客服正在联系您`,
    text: (c) =>
      `【${c.shop}】客服${c.v('staffName')}${c.v('team', '') ? `（${c.v('team')}）` : ''}正在联系您${c.v('orderId', '') ? `，事由涉及订单${c.v('orderId')}` : ''}。请在App内的"官方联系状态"卡片核对对方说出的口令；您无需向对方报出任何信息或验证码。`,
  },
  'incident.notice': {
    subject: (c) => `【${c.shop}】关于您个人信息安全的重要通知`,
    text: (c) =>
      `【${c.shop}】我们发现${c.v('when', '近期')}有人未经授权查看了部分订单信息${c.v('fields', '') ? `（${fieldNames(c.v('fields'), 'zh-CN')}）` : ''}，您的订单可能在其中。不法分子可能冒充客服以退款、理赔为由联系您：${c.shop}绝不会来电要求重新办理退款、转账、索要银行卡号或验证码、或发送退款链接。接到来电时，请在App「官方联系」中核实；详情请访问 ${c.domain}。`,
  },
};

const en: Texts = {
  'refund.requested': {
    subject: (c) => `[${c.shop}] Refund requested: beware of fake customer-service calls`,
    text: (c) =>
      `[${c.shop}] A refund was requested for your order ${c.v('orderId')}. ${c.shop} will never call you to "redo" a refund, never ask for your bank card number, ID number or a verification code, and never send you a link for it. If someone calls, open the "official contact" card in our app: if it says we are not contacting you, hang up.`,
  },
  'refund.completed': {
    subject: (c) => `[${c.shop}] Refund completed`,
    text: (c) =>
      `[${c.shop}] The refund for your order ${c.v('orderId')} is complete and goes back to your original payment method; you need to do nothing. Any call asking you to transfer money or give a code is a scam.`,
  },
  'login.new_device': {
    subject: (c) => `[${c.shop}] Sign-in from a new device`,
    text: (c) =>
      `[${c.shop}] Your account was signed in ${c.v('time', 'just now')} from a new device${c.v('device', '') ? ` (${c.v('device')})` : ''}${c.v('city', '') ? ` near ${c.v('city')}` : ''}. If this was not you, change your password in the app now. We never call to ask for codes.`,
  },
  'login.breached_password': {
    subject: (c) => `[${c.shop}] Please change your password`,
    text: (c) =>
      `[${c.shop}] The password you use appears in a public list of leaked passwords. Please change it in the app soon. We never call or send links asking for your password.`,
  },
  'account.password_changed': {
    subject: (c) => `[${c.shop}] Your password was changed`,
    text: (c) => `[${c.shop}] Your account password was changed. If this was not you, recover your account in the app and contact official support.`,
  },
  'account.phone_changed': {
    subject: (c) => `[${c.shop}] Your phone number was changed`,
    text: (c) => `[${c.shop}] The phone number on your account was changed. If this was not you, recover your account in the app and contact official support.`,
  },
  'account.address_changed': {
    subject: (c) => `[${c.shop}] Your delivery address was changed`,
    text: (c) => `[${c.shop}] The delivery address on your account was changed. If this was not you, check it in the app and contact official support.`,
  },
  'contact.opened': {
    subject: (c) => `[${c.shop}] Our customer service is contacting you`,
    text: (c) =>
      `[${c.shop}] ${c.v('staffName')}${c.v('team', '') ? ` (${c.v('team')})` : ''} from our customer service is contacting you${c.v('orderId', '') ? ` about order ${c.v('orderId')}` : ''}. Check the phrase they say against the "official contact" card in our app; you never need to tell them anything or read out a code.`,
  },
  'incident.notice': {
    subject: (c) => `[${c.shop}] Important notice about your personal data`,
    text: (c) =>
      `[${c.shop}] We found that ${c.v('when', 'recently')} someone viewed some order data without authorisation${c.v('fields', '') ? ` (${fieldNames(c.v('fields'), 'en')})` : ''}; your order may be among them. Criminals may call pretending to be our customer service about a refund or compensation: ${c.shop} never calls to redo a refund, never asks you to transfer money, never asks for card numbers or codes and never sends refund links. If someone calls, check it in the "official contact" card in our app. Details: ${c.domain}`,
  },
};

/** incident.notice carries field codes (name,phone,…): each language names them itself. */
const FIELD_NAMES: Record<Lang, Record<string, string>> = {
  'zh-CN': {
    name: '姓名',
    phone: '电话',
    email: '邮箱',
    address: '地址',
    items: '商品',
    price: '金额',
    placedAt: '下单时间',
    refund: '退款信息',
    orderNo: '订单号',
  },
  en: {
    name: 'name',
    phone: 'phone',
    email: 'e-mail',
    address: 'address',
    items: 'items',
    price: 'price',
    placedAt: 'order time',
    refund: 'refund details',
    orderNo: 'order number',
  },
};
function fieldNames(codes: string, lang: Lang): string {
  return codes
    .split(/[,\s]+/)
    .filter(Boolean)
    .map((f) => FIELD_NAMES[lang][f] ?? f)
    .join(lang === 'en' ? ', ' : '、');
}

const TEXTS: Record<Lang, Texts> = { 'zh-CN': zh, en };

/** Template variables may not smuggle links, markup or long texts into a notice. */
function cleanVar(value: string | number): string {
  return (
    String(value)
      // eslint-disable-next-line no-control-regex -- control characters are what is stripped
      .replace(/[\u0000-\u001f<>]/g, ' ')
      .replace(/(https?:\/\/|www\.)\S*/gi, '')
      .trim()
      .slice(0, 80)
  );
}

export function pickLang(lang: string | null | undefined): Lang {
  return lang === 'en' ? 'en' : 'zh-CN';
}

export function renderNotice(
  template: NoticeTemplate,
  lang: Lang,
  vars: Vars,
  opts: { shopName: Record<Lang, string>; officialDomain: string },
): RenderedNotice {
  const t = TEXTS[lang][template];
  const c: Ctx = {
    shop: opts.shopName[lang],
    domain: opts.officialDomain,
    v: (name, fallback) => (vars[name] !== undefined && vars[name] !== '' ? cleanVar(vars[name]!) : (fallback ?? '')),
  };
  return { subject: t.subject(c), text: t.text(c) };
}

export function isTemplate(x: string): x is NoticeTemplate {
  return (NOTICE_TEMPLATES as readonly string[]).includes(x);
}

const LINKISH =
  /(https?:\/\/[^\s，。]+|www\.[^\s，。]+|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|cn|net|org|top|xyz|shop|vip|cc|info|io|me|app|link|site|online)\b[^\s，。]*)/gi;

/**
 * SMS gateway rules: a message carrying a code has no link at all; any other message may name
 * only the fixed official domain (no paths to other hosts, no shorteners). Throws when broken.
 */
export function assertSmsSafe(text: string, officialDomain: string, opts: { carriesCode?: boolean } = {}): void {
  const links = text.match(LINKISH) ?? [];
  if (links.length && opts.carriesCode) throw new Error('sms-rule: no links in a message that carries a code');
  const official = officialDomain.toLowerCase();
  for (const l of links) {
    const host = l
      .replace(/^https?:\/\//i, '')
      .split(/[/?#:]/)[0]!
      .toLowerCase();
    if (host !== official && host !== `www.${official}`) throw new Error('sms-rule: only the official domain may appear in an SMS');
  }
}

// --- Texts edited at run time (settings): {name} placeholders in place of the built-in functions ---

/** The variables each template's texts may use besides {shop} and {domain}. */
export const TEMPLATE_VARS: Record<NoticeTemplate, readonly string[]> = {
  'refund.requested': ['orderId'],
  'refund.completed': ['orderId'],
  'login.new_device': ['time', 'device', 'city'],
  'login.breached_password': [],
  'account.password_changed': [],
  'account.phone_changed': [],
  'account.address_changed': [],
  'contact.opened': ['staffName', 'team', 'orderId'],
  'incident.notice': ['when', 'fields'],
};
/** The shop's name in the notice's language and the official domain: usable in every template. */
export const COMMON_VARS = ['shop', 'domain'] as const;

export interface TemplateText {
  subject: string;
  text: string;
}

/** {name} with a name of letters, digits and underscores; anything else in braces is an error. */
export const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9_]*)\}/g;

/** A built-in text with its variables as {placeholders} (optional parts shown): the editor's start. */
export function builtInText(template: NoticeTemplate, lang: Lang): TemplateText {
  const vars = Object.fromEntries(TEMPLATE_VARS[template].map((v) => [v, `{${v}}`]));
  const t = TEXTS[lang][template];
  const c: Ctx = { shop: '{shop}', domain: '{domain}', v: (name, fallback) => vars[name] ?? fallback ?? '' };
  return { subject: t.subject(c), text: t.text(c) };
}

/** Renders an edited text: variables are cleaned as for the built-in texts; absent ones are empty. */
export function renderTemplateText(tt: TemplateText, lang: Lang, vars: Vars, opts: { shopName: Record<Lang, string>; officialDomain: string }): RenderedNotice {
  const fill = (s: string) =>
    s.replace(PLACEHOLDER, (_, name: string) => {
      if (name === 'shop') return opts.shopName[lang];
      if (name === 'domain') return opts.officialDomain;
      const v = vars[name];
      if (v === undefined || v === '') return '';
      return name === 'fields' ? fieldNames(cleanVar(v), lang) : cleanVar(v);
    });
  return { subject: fill(tt.subject), text: fill(tt.text) };
}
