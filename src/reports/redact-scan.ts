// The scanning half of redaction: finds where secrets are in a victim's text, never rewrites it.
//
// Victims write secrets in every way a keyboard allows: full-width digits, card numbers in groups
// with words between them, "CVV 123", "卡背后三位 456", "短信里的数字是 665544", their own phone in a
// link's query string. Matching runs on a *folded view* of the text (full-width ASCII to
// half-width, Chinese digit numerals to digits, ASCII lower case) that has exactly one UTF-16 unit per unit of the original, so a
// span found in the view is the same span in what the victim typed; everything outside removed
// spans is kept byte for byte (Chinese punctuation included).
//
// Every pass is a single left-to-right walk with windows of fixed size (no backtracking regular
// expressions): the work is bounded by a constant times the text length, and `steps` counts it so
// tests can check that bound on pathological input instead of timing it.

export type SecretKind = 'card' | 'id' | 'code' | 'cvv' | 'expiry' | 'password' | 'url';

export interface Span {
  start: number;
  end: number;
  kind: SecretKind;
  /** For 'url': the URL with personal parts removed, replacing the span; otherwise a fixed label. */
  replacement?: string;
}

export interface ScanStats {
  steps: number;
}

/**
 * Chinese numerals that stand for one digit each, as victims write codes and card numbers out
 * ("验证码六六五五四四", a phone read aloud as "幺三八…"): 〇/零 0, 一/幺 1, 二/两 2, 三…九. Numbers
 * with 十/百/千 are not digit strings and stay as typed.
 */
const CJK_DIGITS = new Map<number, number>(
  [...'〇零一幺二两三四五六七八九'].map((ch, i) => [ch.charCodeAt(0), 48 + [0, 0, 1, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9][i]!]),
);

/**
 * One UTF-16 unit in, one out: full-width ASCII → half-width, ideographic space → ' ', Chinese
 * digit numerals → ASCII digits, ASCII lower case.
 */
export function foldChar(c: number): number {
  if (c >= 0xff01 && c <= 0xff5e) c -= 0xfee0;
  else if (c === 0x3000) c = 0x20;
  else c = CJK_DIGITS.get(c) ?? c;
  if (c >= 65 && c <= 90) c += 32;
  return c;
}

export function foldText(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += String.fromCharCode(foldChar(s.charCodeAt(i)));
  return out;
}

const isDigit = (c: number) => c >= 48 && c <= 57;

// ---- keywords (a trie walked from every position: ≤ longest keyword steps per character) ----

type KwKind = 'code' | 'cvv' | 'expiry' | 'password' | 'url';
const KEYWORDS: Record<KwKind, string[]> = {
  code: [
    '验证码',
    '校验码',
    '动态码',
    '动态密码',
    '短信码',
    '认证码',
    '确认码',
    '验证代码',
    '短信验证',
    '短信里',
    '短信上',
    '短信中',
    '短信的数字',
    '信息里的数字',
    '收到的数字',
    '发来的数字',
    '那串数字',
    '几位数字',
    '提取码',
    '授权码',
    '激活码',
    '随机码',
    '安全验证',
    '交易码',
    'code',
    'otp',
    'pin',
    'passcode',
    'captcha',
    'verification',
    'one-time',
    'one time',
    'sms',
    'text message',
    'the digits',
    'the number they sent',
  ],
  cvv: [
    'cvv',
    'cvc',
    'cvn',
    'cid',
    '安全码',
    '卡背后',
    '卡背面',
    '背面三位',
    '背后三位',
    '背面的三位',
    '背后的三位',
    '后三位',
    '末三位',
    '卡片背面',
    'security code',
    'card verification',
    'back of the card',
    'back of my card',
    'three digits on the back',
    '3 digits on the back',
  ],
  expiry: [
    '有效期',
    '到期日',
    '过期日',
    '失效日期',
    '有效日期',
    'exp',
    'expiry',
    'expires',
    'expiration',
    'valid thru',
    'valid through',
    'valid until',
    'good thru',
    'mm/yy',
  ],
  password: ['密码', '口令', '支付密码', '取款密码', '登录密码', '登陆密码', '交易密码', 'password', 'passwd', 'pwd', 'pin码', 'pass word'],
  url: ['http://', 'https://', 'hxxp://', 'hxxps://', 'www.'],
};

interface TrieNode {
  next: Map<number, TrieNode>;
  kind?: KwKind;
}
const TRIE: TrieNode = { next: new Map() };
let MAX_KW = 0;
for (const [kind, words] of Object.entries(KEYWORDS) as [KwKind, string[]][]) {
  for (const w of words) {
    let n = TRIE;
    for (let i = 0; i < w.length; i++) {
      // keywords are matched in the folded view, so they are folded too ('后三位' is '后3位' there)
      const c = foldChar(w.charCodeAt(i));
      let m = n.next.get(c);
      if (!m) n.next.set(c, (m = { next: new Map() }));
      n = m;
    }
    // A longer keyword of another kind wins over a prefix ('pin码' is a password, 'pin' a code).
    n.kind = kind;
    MAX_KW = Math.max(MAX_KW, w.length);
  }
}

interface KwHit {
  start: number;
  end: number;
  kind: KwKind;
}

const isAsciiWordChar = (c: number) => (c >= 97 && c <= 122) || isDigit(c);

function findKeywords(v: string, st: ScanStats): KwHit[] {
  const hits: KwHit[] = [];
  for (let i = 0; i < v.length; i++) {
    let n: TrieNode | undefined = TRIE;
    let best: KwHit | null = null;
    for (let j = i; j < v.length && j - i < MAX_KW; j++) {
      st.steps++;
      n = n.next.get(v.charCodeAt(j));
      if (!n) break;
      if (n.kind) best = { start: i, end: j + 1, kind: n.kind };
    }
    if (!best) continue;
    // Latin keywords must be whole words ("exp" not inside "expensive", "pin" not in "shopping").
    const first = v.charCodeAt(best.start);
    const latin = first < 128 && best.kind !== 'url';
    if (
      latin &&
      ((best.start > 0 && isAsciiWordChar(v.charCodeAt(best.start - 1)) && !isDigit(v.charCodeAt(best.start - 1))) || isLatinWordContinues(v, best.end))
    )
      continue;
    hits.push(best);
    if (best.kind === 'url') i = best.end - 1;
  }
  return hits;
}

// "cvv2", "code:" and "exp." end a keyword; "codes" and "expensive" do not.
function isLatinWordContinues(v: string, end: number): boolean {
  if (end >= v.length) return false;
  const c = v.charCodeAt(end);
  if (c >= 97 && c <= 122) return !(c === 115 && (end + 1 >= v.length || !isAsciiWordChar(v.charCodeAt(end + 1)))); // a plural "s" is fine
  return false;
}

// ---- digit groups ----

interface Group {
  start: number;
  end: number;
  len: number;
}

function digitGroups(v: string, st: ScanStats): Group[] {
  const out: Group[] = [];
  for (let i = 0; i < v.length;) {
    st.steps++;
    if (!isDigit(v.charCodeAt(i))) {
      i++;
      continue;
    }
    let j = i;
    while (j < v.length && isDigit(v.charCodeAt(j))) {
      st.steps++;
      j++;
    }
    out.push({ start: i, end: j, len: j - i });
    i = j;
  }
  return out;
}

const SENTENCE_END = new Set([0x3002, 0x21, 0x3f, 0xff01, 0xff1f, 0x3b, 0xff1b, 0x0a, 0x0d]);
const CURRENCY_AFTER = [
  '元',
  '块',
  '万',
  '千',
  '百',
  'rmb',
  'yuan',
  'cny',
  '¥',
  '￥',
  '%',
  '笔',
  '次',
  '天',
  '个',
  '分钟',
  '秒',
  '小时',
  '号',
  '点',
  '年',
  '月',
  '日',
];
const CURRENCY_BEFORE = ['¥', '￥', '$', 'rmb', 'cny'];

/** True when the digits at [start, end) are an amount, a count or a date part ("3000元", "¥500", "2026年"). */
function isQuantity(v: string, g: { start: number; end: number }): boolean {
  const a = v[g.end] === ' ' ? g.end + 1 : g.end;
  for (const w of CURRENCY_AFTER) if (v.startsWith(w, a)) return true;
  const b = v[g.start - 1] === ' ' ? g.start - 1 : g.start;
  for (const w of CURRENCY_BEFORE) if (b >= w.length && v.endsWith(w, b)) return true;
  return false;
}

const isMobile = (d: string) => /^(?:0086|86)?1[3-9]\d{9}$/.test(d);
const isLandline = (d: string) => /^(?:0086|86)?0\d{9,11}$/.test(d);
export const phoneShaped = (d: string) => isMobile(d) || isLandline(d);

// A gap card groups may be written across: separators, or a few characters of words
// ("6222 0212, then 3456 7890"), never a sentence end.
function gapOk(v: string, from: number, to: number): boolean {
  if (to - from > 10) return false;
  for (let k = from; k < to; k++) if (SENTENCE_END.has(v.charCodeAt(k))) return false;
  return true;
}

/** Card and ID numbers: one run of 12–19 digits, or 2–8 groups (all but the last ≥ 3 digits) totalling 13–19. */
function cardAndIdSpans(v: string, groups: Group[], st: ScanStats, out: Span[]) {
  for (let i = 0; i < groups.length;) {
    const g = groups[i]!;
    st.steps++;
    // Single run first.
    if (g.len >= 12 && g.len <= 22) {
      const d = v.slice(g.start, g.end);
      const x = v.charCodeAt(g.end) === 120; // 'x' (folded)
      if (g.len === 17 && x) out.push({ start: g.start, end: g.end + 1, kind: 'id' });
      else if (!phoneShaped(d) && !isQuantity(v, g))
        out.push({ start: g.start, end: g.end, kind: g.len === 18 || (g.len === 15 && !luhnValid(d)) ? 'id' : 'card' });
      i++;
      continue;
    }
    if (g.len < 3 || g.len > 8 || isQuantity(v, g)) {
      i++;
      continue;
    }
    // Greedy chain of groups, at most 19 digits (17 plus a check 'x' for an ID).
    let total = g.len;
    let k = i;
    while (k + 1 < groups.length && groups[k]!.len >= 3 && k - i < 8) {
      st.steps++;
      const n = groups[k + 1]!;
      if (n.len > 8 || total + n.len > 19 || !gapOk(v, groups[k]!.end, n.start) || isQuantity(v, n)) break;
      total += n.len;
      k++;
    }
    if (k > i && total >= 13) {
      const last = groups[k]!;
      let digits = '';
      let worded = false;
      let round = false;
      for (let m = i; m <= k; m++) {
        digits += v.slice(groups[m]!.start, groups[m]!.end);
        if (m > i && !/^[ \-./_·]{1,3}$/.test(v.slice(groups[m - 1]!.end, groups[m]!.start))) worded = true;
        if (v.startsWith('00', groups[m]!.end - 2)) round = true;
      }
      // Groups with words between them: a card unless they look like a list of round amounts
      // ("转了 3000，又转 5000，再转 2000") that do not pass the Luhn check either.
      if (worded && round && !luhnValid(digits)) {
        i++;
        continue;
      }
      const x = total === 17 && v.charCodeAt(last.end) === 120;
      if (!phoneShaped(digits)) {
        out.push({ start: g.start, end: last.end + (x ? 1 : 0), kind: x || total === 18 || (total === 15 && !luhnValid(digits)) ? 'id' : 'card' });
        i = k + 1;
        continue;
      }
    }
    i++;
  }
}

export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

// ---- keyword windows ----

/** Index of the first group starting in [from, to), by binary search over the sorted groups. */
function firstGroupAt(groups: Group[], from: number): number {
  let lo = 0;
  let hi = groups.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (groups[mid]!.start < from) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Digits split by single spaces or dashes ("6 6 5 5 4 4", "665-544") as one code, starting at group i. */
function codeChain(v: string, groups: Group[], i: number): { end: number; digits: number; next: number } {
  let digits = groups[i]!.len;
  let k = i;
  while (k + 1 < groups.length && digits < 9) {
    const gap = v.slice(groups[k]!.end, groups[k + 1]!.start);
    if (!/^[ \-.]{1,2}$/.test(gap)) break;
    digits += groups[k + 1]!.len;
    k++;
  }
  return { end: groups[k]!.end, digits, next: k + 1 };
}

interface WindowRule {
  after: number;
  before: number;
  min: number;
  max: number;
}
const RULES: Record<'code' | 'cvv', WindowRule> = {
  code: { after: 28, before: 10, min: 4, max: 8 },
  cvv: { after: 20, before: 8, min: 3, max: 4 },
};

function windowSpans(v: string, groups: Group[], hits: KwHit[], st: ScanStats, out: Span[]) {
  let ix: TokenIndex | undefined;
  let taken = 0; // end of the last password or expiry span: keywords inside it are part of the secret
  for (const h of hits) {
    if (h.start < taken) continue;
    if (h.kind === 'code' || h.kind === 'cvv') {
      const rule = RULES[h.kind];
      // After the keyword: the first code-shaped number in the window.
      for (let i = firstGroupAt(groups, h.end); i < groups.length && groups[i]!.start < h.end + rule.after;) {
        st.steps++;
        const c = codeChain(v, groups, i);
        const span = { start: groups[i]!.start, end: c.end, len: c.end - groups[i]!.start };
        if (c.digits >= rule.min && c.digits <= rule.max && !isQuantity(v, span)) {
          out.push({ start: span.start, end: span.end, kind: h.kind });
          break;
        }
        i = c.next;
      }
      // Before it ("665544 是验证码", "123 is the CVV").
      let j = firstGroupAt(groups, h.start) - 1;
      if (j >= 0 && groups[j]!.end <= h.start && h.start - groups[j]!.end <= rule.before) {
        const end = groups[j]!.end;
        let digits = groups[j]!.len;
        while (j > 0 && digits < rule.max && /^[ \-.]{1,2}$/.test(v.slice(groups[j - 1]!.end, groups[j]!.start))) {
          st.steps++;
          j--;
          digits += groups[j]!.len;
        }
        const g = { start: groups[j]!.start, end };
        if (digits >= rule.min && digits <= rule.max && !isQuantity(v, g)) out.push({ start: g.start, end: g.end, kind: h.kind });
      }
    } else if (h.kind === 'expiry') {
      const e = expiryAt(v, h.end, st);
      if (e) {
        out.push({ start: e.start, end: e.end, kind: 'expiry' });
        taken = e.end;
      }
    } else if (h.kind === 'password') {
      const p = passwordAt(v, h.end, st, (ix ??= tokenIndex(v, st)));
      if (p) {
        out.push({ start: p.start, end: p.end, kind: 'password' });
        taken = p.end;
      }
    }
  }
}

const FILLER = [
  '是',
  '为',
  '：',
  ':',
  '=',
  '是：',
  'is',
  'was',
  'are',
  '就是',
  '设的是',
  '设置的是',
  '号',
  '后面是',
  '至',
  '到',
  'date',
  '日期',
  '，',
  ',',
  '我说',
  '我告诉他',
  '告诉他',
  '说',
  '了',
  'of',
];

function skipFiller(v: string, i: number, st: ScanStats): number {
  for (let rounds = 0; rounds < 4; rounds++) {
    st.steps++;
    while (i < v.length && (v[i] === ' ' || v[i] === '\t' || v[i] === '"' || v[i] === '“' || v[i] === '「' || v[i] === "'")) i++;
    const f = FILLER.find((w) => v.startsWith(w, i) && !(w.length > 1 && /[a-z]/.test(w) && /[a-z]/.test(v[i + w.length] ?? '')));
    if (!f) break;
    i += f.length;
  }
  return i;
}

// Expiry dates after a keyword: 12/28, 12-2028, 2028年12月, 28年12月, 1228, 2028.12.
function expiryAt(v: string, from: number, st: ScanStats): { start: number; end: number } | null {
  const i = skipFiller(v, from, st);
  let j = i;
  let digits = 0;
  let total = 0;
  while (j < v.length && j - i < 12) {
    st.steps++;
    const c = v.charCodeAt(j);
    if (isDigit(c)) {
      digits++;
      total++;
    } else if ('/-. 年月'.includes(v[j]!)) {
      if (digits === 0) break;
      digits = 0;
    } else break;
    j++;
  }
  while (j > i && (v[j - 1] === ' ' || v[j - 1] === '.' || v[j - 1] === '-' || v[j - 1] === '/')) j--;
  return total >= 3 && total <= 8 ? { start: i, end: j } : null;
}

// A password after its keyword: the next token, up to whitespace or punctuation that ends a clause.
const TOKEN_END = new Set([' ', '\t', '\n', '\r', '，', '。', ',', ';', '；', '！', '？', '!', '?', '、', '）', ')', '"', '”', '」']);
interface TokenIndex {
  /** nextStop[i]: first index ≥ i holding a character that ends a token (or the length). */
  nextStop: Int32Array;
  /** nextAlnum[i]: first index ≥ i holding an ASCII letter or digit (or the length). */
  nextAlnum: Int32Array;
}

// One backward pass, so every password look-up is O(1) however many keywords the text repeats.
function tokenIndex(v: string, st: ScanStats): TokenIndex {
  const n = v.length;
  const nextStop = new Int32Array(n + 1).fill(n);
  const nextAlnum = new Int32Array(n + 1).fill(n);
  for (let i = n - 1; i >= 0; i--) {
    st.steps++;
    nextStop[i] = TOKEN_END.has(v[i]!) ? i : nextStop[i + 1]!;
    nextAlnum[i] = isAsciiWordChar(v.charCodeAt(i)) ? i : nextAlnum[i + 1]!;
  }
  return { nextStop, nextAlnum };
}

function passwordAt(v: string, from: number, st: ScanStats, ix: TokenIndex): { start: number; end: number } | null {
  const i = skipFiller(v, from, st);
  if (i >= v.length) return null;
  let j = Math.min(ix.nextStop[i]!, i + 64);
  // A trailing ASCII full stop belongs to the sentence, not the password.
  while (j > i + 1 && v[j - 1] === '.') j--;
  if (j - i < 3) return null;
  // "密码错误" / "password reset" are not passwords: require a digit or a Latin letter.
  if (ix.nextAlnum[i]! >= j) return null;
  return { start: i, end: j };
}

// ---- URLs ----

const URL_END = new Set([' ', '\t', '\n', '\r', '"', "'", '<', '>', '，', '。', '、', '；', '！', '？', '（', '）', '【', '】', '「', '」', '“', '”']);

function urlSpans(v: string, original: string, hits: KwHit[], st: ScanStats, out: Span[], scrub: (raw: string) => string) {
  let covered = 0;
  for (const h of hits) {
    // "http://http://…": a keyword inside a URL already taken is part of it, not a new URL.
    if (h.kind !== 'url' || h.start < covered) continue;
    let j = h.end;
    while (j < v.length && !URL_END.has(original[j]!) && original.charCodeAt(j) < 0x2e80) {
      st.steps++;
      j++;
    }
    while (j > h.end && '.,;:!?)'.includes(v[j - 1]!)) j--;
    covered = j;
    const raw = original.slice(h.start, j);
    const clean = scrub(raw);
    if (clean !== raw) out.push({ start: h.start, end: j, kind: 'url', replacement: clean });
  }
}

/** Every secret span in `text`, sorted and not overlapping (wider spans win). */
export function scanSecrets(text: string, scrubUrl: (raw: string) => string, st: ScanStats = { steps: 0 }): Span[] {
  const v = foldText(text);
  st.steps += text.length;
  const hits = findKeywords(v, st);
  const groups = digitGroups(v, st);
  const spans: Span[] = [];
  urlSpans(v, text, hits, st, spans, scrubUrl);
  cardAndIdSpans(v, groups, st, spans);
  windowSpans(v, groups, hits, st, spans);
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: Span[] = [];
  for (const s of spans) {
    st.steps++;
    const last = merged[merged.length - 1];
    if (last && s.start < last.end) {
      // A secret inside a URL: the URL's own scrubbing covers it when it removed that part.
      if (last.kind === 'url' && s.kind !== 'url') {
        const rest = { ...last };
        merged[merged.length - 1] = {
          start: last.start,
          end: last.end,
          kind: 'url',
          replacement: scrubSecretsInside(rest.replacement ?? text.slice(last.start, last.end)),
        };
      } else if (s.end > last.end) last.end = s.end;
      continue;
    }
    merged.push(s.kind === 'url' ? s : { ...s });
  }
  return merged;
}

// Inside a scrubbed URL, remaining long digit runs (cards, IDs) are cut too.
function scrubSecretsInside(u: string): string {
  return u.replace(/\d{12,22}[xX]?/g, (d) => (phoneShaped(d) ? d : ''));
}
