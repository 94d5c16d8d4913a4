// Pulls identifiers out of a leaked file: phones (any common spelling: +86, 0086, 86, spaces,
// dashes, dots, brackets, full-width digits), e-mails, substitute tokens, order-number-like ids
// and Chinese names, grouped per record (a line, or a JSON object). Pure: no storage.
import { normalizePhone } from '../lib/phone.ts';
import { TOKEN_PATTERN } from './exports.tokens.ts';
import { emailSpans } from '../lib/pii-text.ts';

export type LeakFormat = 'auto' | 'csv' | 'tsv' | 'jsonl' | 'json' | 'text';

export interface LeakRecord {
  phones: string[];
  emails: string[];
  tokens: string[];
  orderNos: string[];
  names: string[];
}

export interface Extraction {
  format: Exclude<LeakFormat, 'auto'>;
  records: LeakRecord[];
  /** Records (lines/objects) with no identifier at all: headers, blank lines, noise. */
  skipped: number;
}

// Every pattern below is bounded per starting position (fixed-width look-arounds, bounded
// repetition), so each is linear in the text; e-mails use the linear scanner of lib/pii-text.ts
// (the old /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/ was quadratic on long runs).
// Digits with the separators people type inside a number; a lone leading + or 00 allowed.
const PHONE_SPACED = /(?<![\dA-Za-z])(?:\+|00)?\d(?:[ \-.()]{0,2}\d){6,16}(?![\dA-Za-z])/g;
const DIGIT_RUN = /(?<![\dA-Za-z])\+?\d{7,17}(?![\dA-Za-z])/g;
const ID_LIKE = /(?<![A-Za-z0-9_-])[A-Za-z0-9][A-Za-z0-9_-]{5,63}(?![A-Za-z0-9_-])/g;
const HAN_NAME = /^[\p{Script=Han}·]{2,5}$/u;
const CELL_SPLIT = /[,\t|;\u3001\uff0c]+/;
const CN_MOBILE = /^\+861[3-9]\d{9}$/;
// Column headings that look like two-to-five-character names.
const HEADINGS = new Set(
  '姓名 名字 客户 电话 手机 手机号 手机号码 联系电话 电话号码 地址 收件人 收货人 收货地址 详细地址 订单 订单号 订单编号 商品 商品名称 型号 颜色 尺码 数量 金额 价格 单价 邮箱 备注 时间 下单时间 省份 城市 区县 退款 退款状态 快递 运单号 买家 卖家'.split(
    ' ',
  ),
);

const CN_MOBILE_DIGITS = /^(?:\+86|0086|86)?(1[3-9]\d{9})$/;

function phoneOf(raw: string): string | null {
  let s = raw.replace(/[ \-.()]/g, '');
  // Fast path for the common case; gives what libphonenumber gives for these (possible-length check).
  const cn = CN_MOBILE_DIGITS.exec(s);
  if (cn) return '+86' + cn[1];
  if (/^861[3-9]\d{9}$/.test(s)) s = '+' + s;
  const hadPrefix = /^(\+|00)/.test(s);
  const p = normalizePhone(s);
  if (!p) return null;
  // Without an explicit country prefix only mainland mobiles count: dates, amounts and order
  // numbers are digit runs too, and some of them parse as landlines.
  return CN_MOBILE.test(p) || hadPrefix ? p : null;
}

/**
 * A spaced run that is not one number may be a number glued to its neighbours by the separators
 * ("客户1 170-1000-0001", "2 138 1234 5678"): try every contiguous run of its digit groups.
 */
function phonesInGroups(run: string): string[] {
  const groups = run.split(/[ \-.()]+/).filter(Boolean);
  const out: string[] = [];
  if (groups.length > 12) return out;
  for (let i = 0; i < groups.length; i++) {
    for (let j = i + 1; j <= groups.length; j++) {
      const cand = groups.slice(i, j).join('');
      if (cand.replace('+', '').length < 7) continue;
      if (cand.replace('+', '').length > 17) break;
      if (i === 0 && j === groups.length) continue;
      const p = phoneOf(cand);
      if (p) out.push(p);
    }
  }
  return out;
}

export function extractFromText(text: string): LeakRecord {
  const phones = new Set<string>();
  const tried = new Set<string>();
  for (const re of [PHONE_SPACED, DIGIT_RUN]) {
    for (const m of text.matchAll(re)) {
      if (tried.has(m[0])) continue;
      tried.add(m[0]);
      const p = phoneOf(m[0]);
      if (p) phones.add(p);
      else if (re === PHONE_SPACED) for (const q of phonesInGroups(m[0])) phones.add(q);
    }
  }
  const emails = new Set(emailSpans(text).map((m) => text.slice(m.start, m.end).toLowerCase()));
  const tokens = new Set([...text.matchAll(TOKEN_PATTERN)].map((m) => m[0].toUpperCase()));
  const orderNos = new Set<string>();
  for (const m of text.matchAll(ID_LIKE)) {
    // An order number has digits; pure words are not worth a lookup.
    if ((m[0].match(/\d/g)?.length ?? 0) >= 4 && !m[0].includes('@')) orderNos.add(m[0]);
  }
  const names = new Set<string>();
  for (const cell of text.split(CELL_SPLIT)) {
    const c = cell.trim().replace(/^"|"$/g, '');
    if (HAN_NAME.test(c) && !HEADINGS.has(c)) names.add(c);
  }
  return { phones: [...phones], emails: [...emails], tokens: [...tokens], orderNos: [...orderNos], names: [...names] };
}

function flatten(v: unknown, out: string[]) {
  if (v === null || v === undefined) return;
  if (typeof v === 'string' || typeof v === 'number') out.push(String(v));
  else if (Array.isArray(v)) for (const x of v) flatten(x, out);
  else if (typeof v === 'object') for (const x of Object.values(v as Record<string, unknown>)) flatten(x, out);
}

function detect(text: string): Exclude<LeakFormat, 'auto'> {
  const head = text.trimStart();
  if (head.startsWith('[')) return 'json';
  if (head.startsWith('{')) return 'jsonl';
  const first = head.split(/\r?\n/, 1)[0] ?? '';
  if (first.includes('\t')) return 'tsv';
  if (first.includes(',')) return 'csv';
  return 'text';
}

export function extractLeak(content: string, format: LeakFormat = 'auto'): Extraction {
  // NFKC turns full-width digits, letters and @ into ASCII.
  const text = content.normalize('NFKC').replace(/^\uFEFF/, '');
  const fmt = format === 'auto' ? detect(text) : format;
  let units: string[];
  if (fmt === 'json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    units = Array.isArray(parsed)
      ? parsed.map((x) => {
          const o: string[] = [];
          flatten(x, o);
          return o.join('\t');
        })
      : text.split(/\r?\n/);
  } else if (fmt === 'jsonl') {
    units = text.split(/\r?\n/).map((line) => {
      const t = line.trim();
      if (!t.startsWith('{')) return t;
      try {
        const o: string[] = [];
        flatten(JSON.parse(t), o);
        return o.join('\t');
      } catch {
        return t;
      }
    });
  } else units = text.split(/\r?\n/);
  const records: LeakRecord[] = [];
  let skipped = 0;
  for (const u of units) {
    const r = extractFromText(u);
    if (r.phones.length + r.emails.length + r.tokens.length + r.orderNos.length + r.names.length === 0) skipped++;
    else records.push(r);
  }
  return { format: fmt, records, skipped };
}
