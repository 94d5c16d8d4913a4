// Look-alike detection against a list of brand domains. Instead of generating every dnstwist
// permutation of every brand and looking candidates up (millions of strings for a few hundred
// brands), we index each brand label by its single-character deletions (the "symmetric delete"
// trick) plus a few folded forms, so one check costs O(label length) lookups whatever the
// number of brands; only the brands that index hits are classified exactly. The techniques are
// named as dnstwist names its generators, plus UTS #39 confusables, brand-in-label and pinyin.
import { toUnicodeHost, publicSuffix } from '../lib/url.ts';
import { skeleton, hasCyrillic, hasNonAscii } from './confusables.ts';
import { isEnglishLure, isPinyinLure, segmentLureWords, pinyinLuresIn } from './words.ts';

export const TECHNIQUES = [
  'addition',
  'bitsquatting',
  'cyrillic',
  'dictionary',
  'homoglyph',
  'hyphenation',
  'insertion',
  'omission',
  'plural',
  'repetition',
  'replacement',
  'subdomain',
  'tld-swap',
  'transposition',
  'vowel-swap',
  'various',
  'confusable',
  'brand-in-label',
  'pinyin',
] as const;
export type Technique = (typeof TECHNIQUES)[number];

export interface Brand {
  /** Registrable domain, A-label ("jd.com"). */
  domain: string;
  /** The domain without its public suffix ("jd"). */
  label: string;
  suffix: string;
}

export interface LookalikeMatch {
  brand: string;
  technique: Technique;
}

/** Fuzzy (edit-distance-1) techniques only for labels at least this long: "jd"→"jx" is noise. */
export const MIN_FUZZY_LABEL = 4;
/** Brand names found inside another label without separators only when at least this long. */
export const MIN_EMBEDDED_LABEL = 5;
/** Embedded names at least this long count even between arbitrary letters. */
export const MIN_DISTINCTIVE_LABEL = 7;

const VOWELS = new Set('aeiou');
// dnstwist's QWERTY neighbourhoods, used to call a substitution/insertion a keyboard slip.
const QWERTY: Record<string, string> = {
  '1': '2q',
  '2': '3wq1',
  '3': '4ew2',
  '4': '5re3',
  '5': '6tr4',
  '6': '7yt5',
  '7': '8uy6',
  '8': '9iu7',
  '9': '0oi8',
  '0': 'po9',
  q: '12wa',
  w: '3esaq2',
  e: '4rdsw3',
  r: '5tfde4',
  t: '6ygfr5',
  y: '7uhgt6',
  u: '8ijhy7',
  i: '9okju8',
  o: '0plki9',
  p: 'lo0',
  a: 'qwsz',
  s: 'edxzaw',
  d: 'rfcxse',
  f: 'tgvcdr',
  g: 'yhbvft',
  h: 'ujnbgy',
  j: 'ikmnhu',
  k: 'olmji',
  l: 'kop',
  z: 'asx',
  x: 'zsdc',
  c: 'xdfv',
  v: 'cfgb',
  b: 'vghn',
  n: 'bhjm',
  m: 'njk',
};
// ASCII homoglyphs (dnstwist's glyph table, ASCII part): single and multi-character look-alikes.
const GLYPH_PAIRS: [string, string][] = [
  ['0', 'o'],
  ['1', 'l'],
  ['1', 'i'],
  ['l', 'i'],
  ['5', 's'],
  ['3', 'e'],
  ['4', 'a'],
  ['6', 'b'],
  ['8', 'b'],
  ['9', 'g'],
  ['9', 'q'],
  ['g', 'q'],
  ['u', 'v'],
  ['c', 'e'],
  ['a', 'o'],
  ['n', 'h'],
  ['7', 't'],
  ['2', 'z'],
];
const GLYPH = new Set(GLYPH_PAIRS.flatMap(([a, b]) => [a + b, b + a]));
const MULTI_GLYPHS: [RegExp, string][] = [
  [/rn/g, 'm'],
  [/nn/g, 'm'],
  [/vv/g, 'w'],
  [/cl/g, 'd'],
  [/lj/g, 'y'],
  [/cj/g, 'g'],
];

/** Folds ASCII homoglyphs so "rnicrosoft"/"micr0soft" fold like "microsoft". */
export function glyphFold(label: string): string {
  let s = label;
  for (const [re, to] of MULTI_GLYPHS) s = s.replace(re, to);
  return s.replace(/0/g, 'o').replace(/[1i]/g, 'l').replace(/5/g, 's').replace(/3/g, 'e').replace(/[9q]/g, 'g').replace(/v/g, 'u');
}

function deletions(s: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < s.length; i++) out.push(s.slice(0, i) + s.slice(i + 1));
  return out;
}

function popcount(x: number): number {
  let c = 0;
  while (x) {
    c += x & 1;
    x >>= 1;
  }
  return c;
}

/** Names the single-edit relationship of candidate label `l` to brand label `b`, or null. */
export function classifyEdit(l: string, b: string): Technique | null {
  if (l === b) return null;
  if (l.length === b.length + 1) {
    for (let i = 0; i < l.length; i++) {
      if (l.slice(0, i) + l.slice(i + 1) !== b) continue;
      const c = l[i]!;
      if (c === '-') return i > 0 && i < l.length - 1 ? 'hyphenation' : null;
      if (c === l[i - 1] || c === l[i + 1]) return 'repetition';
      if (i === l.length - 1) return c === 's' ? 'plural' : 'addition';
      if (c === 's' && i >= 2) return 'plural';
      return 'insertion';
    }
    return null;
  }
  if (l.length + 1 === b.length) {
    for (let i = 0; i < b.length; i++) if (b.slice(0, i) + b.slice(i + 1) === l) return 'omission';
    return null;
  }
  if (l.length === b.length) {
    const diff: number[] = [];
    for (let i = 0; i < l.length && diff.length <= 2; i++) if (l[i] !== b[i]) diff.push(i);
    if (diff.length === 1) {
      const i = diff[0]!;
      const a = b[i]!;
      const c = l[i]!;
      if (GLYPH.has(a + c)) return 'homoglyph';
      if (VOWELS.has(a) && VOWELS.has(c)) return 'vowel-swap';
      if (popcount(a.charCodeAt(0) ^ c.charCodeAt(0)) === 1 && /[a-z0-9-]/.test(c)) return 'bitsquatting';
      if (QWERTY[a]?.includes(c)) return 'replacement';
      return 'replacement';
    }
    if (diff.length === 2 && diff[1] === diff[0]! + 1 && l[diff[0]!] === b[diff[1]!] && l[diff[1]!] === b[diff[0]!]) return 'transposition';
  }
  return null;
}

function splitHost(host: string): { labels: string[]; suffix: string; regLabel: string; sub: string[] } | null {
  const suffix = publicSuffix(host);
  if (!suffix || host === suffix || !host.endsWith('.' + suffix)) return null;
  const before = host.slice(0, -suffix.length - 1).split('.');
  const regLabel = before[before.length - 1]!;
  return { labels: host.split('.'), suffix, regLabel, sub: before.slice(0, -1) };
}

export function brandFromDomain(domain: string): Brand | null {
  const p = splitHost(domain);
  if (!p || p.sub.length) return null;
  return { domain, label: p.regLabel, suffix: p.suffix };
}

export class LookalikeDetector {
  private readonly brands: Brand[] = [];
  private readonly byDomain = new Map<string, Brand>();
  private readonly byLabel = new Map<string, Brand[]>();
  private readonly byDeletion = new Map<string, Brand[]>();
  private readonly bySkeleton = new Map<string, Brand[]>();
  private readonly byGlyphFold = new Map<string, Brand[]>();
  private readonly embeddedByLabel = new Map<string, Brand>();
  private embeddedLengths: number[] = [];

  constructor(domains: Iterable<string>) {
    for (const d of domains) {
      const b = brandFromDomain(d);
      if (!b || this.byDomain.has(b.domain)) continue;
      this.brands.push(b);
      this.byDomain.set(b.domain, b);
      push(this.byLabel, b.label, b);
      push(this.bySkeleton, skeleton(b.label), b);
      push(this.byGlyphFold, glyphFold(b.label), b);
      if (b.label.length >= MIN_FUZZY_LABEL) {
        push(this.byDeletion, b.label, b);
        for (const d1 of new Set(deletions(b.label))) push(this.byDeletion, d1, b);
      }
      if (b.label.length >= MIN_EMBEDDED_LABEL && !this.embeddedByLabel.has(b.label)) this.embeddedByLabel.set(b.label, b);
    }
    this.embeddedLengths = [...new Set([...this.embeddedByLabel.keys()].map((l) => l.length))].sort((a, b) => a - b);
  }

  get size() {
    return this.brands.length;
  }

  isBrandDomain(registrable: string): boolean {
    return this.byDomain.has(registrable);
  }

  /** Best look-alike match of an A-label host, or null. Hosts under a brand's own domain never match. */
  check(hostInput: string): LookalikeMatch | null {
    const host = hostInput.toLowerCase();
    const p = splitHost(host);
    if (!p) return null;
    const registrable = `${p.regLabel}.${p.suffix}`;
    if (this.byDomain.has(registrable)) return null;
    const L = p.regLabel;
    // domainToUnicode is costly; only punycode labels need it.
    const uni = host.includes('xn--') ? toUnicodeHost(host) : host;
    const uniLabel = uni.split('.').slice(-(p.suffix.split('.').length + 1))[0] ?? L;

    // 1. Same name under another suffix.
    const sameLabel = this.byLabel.get(L);
    if (sameLabel) return { brand: sameLabel[0]!.domain, technique: 'tld-swap' };

    // 2. Unicode confusables (IDN): the UTS #39 skeleton of the U-label equals a brand's.
    if (hasNonAscii(uniLabel)) {
      const sk = skeleton(uniLabel);
      // Also without combining marks: "alipaý" reads as "alipay" to a victim on a phone screen.
      const hits = this.bySkeleton.get(sk) ?? this.bySkeleton.get(sk.replace(/\p{M}/gu, '')) ?? this.bySkeleton.get(skeleton(glyphFold(uniLabel)));
      if (hits) return { brand: hits[0]!.domain, technique: hasCyrillic(uniLabel) ? 'cyrillic' : 'confusable' };
    }

    // 3. ASCII homoglyphs, including multi-character ones (rn→m, vv→w).
    const folded = this.byGlyphFold.get(glyphFold(L));
    if (folded) return { brand: folded[0]!.domain, technique: 'homoglyph' };

    // 4. Single edits (symmetric-delete index).
    if (L.length >= MIN_FUZZY_LABEL - 1) {
      const seen = new Set<Brand>();
      for (const key of [L, ...deletions(L)]) for (const b of this.byDeletion.get(key) ?? []) seen.add(b);
      let best: LookalikeMatch | null = null;
      for (const b of seen) {
        const t = classifyEdit(L, b.label);
        if (t && (!best || b.label.length > this.byDomain.get(best.brand)!.label.length)) best = { brand: b.domain, technique: t };
      }
      if (best) return best;
      // dnstwist's plural also appends "es" after s/x/z endings.
      if (L.endsWith('es')) {
        const hit = this.byLabel.get(L.slice(0, -2));
        if (hit && hit[0]!.label.length >= MIN_FUZZY_LABEL - 1) return { brand: hit[0]!.domain, technique: 'plural' };
      }
    }

    // 5. dnstwist "subdomain": a dot inserted inside the brand name ("tao.bao.com"), and the brand
    //    domain used as leading labels of another domain ("jd.com.refund-help.cn").
    if (p.sub.length) {
      const joined = p.sub.join('') + L;
      const hit = this.byLabel.get(joined);
      if (hit && hit.some((b) => b.suffix === p.suffix)) return { brand: hit.find((b) => b.suffix === p.suffix)!.domain, technique: 'subdomain' };
      for (let i = 0; i + 1 < p.labels.length - 1; i++) {
        for (let j = i + 2; j <= p.labels.length - 1; j++) {
          const d = p.labels.slice(i, j).join('.');
          if (this.byDomain.has(d)) return { brand: d, technique: 'subdomain' };
        }
      }
    }

    // 6. dnstwist "various": www-prefix and the suffix glued onto the name ("wwwjd.com", "jdcom.cn").
    for (const [prefix, rest] of [
      ['www-', L.slice(4)],
      ['www', L.slice(3)],
    ] as const) {
      if (L.startsWith(prefix) && this.byLabel.has(rest)) return { brand: this.byLabel.get(rest)![0]!.domain, technique: 'various' };
    }
    for (let i = 2; i < L.length; i++) {
      const head = L.slice(0, i);
      const name = head.endsWith('-') ? head.slice(0, -1) : head;
      const tail = L.slice(i);
      const hit = this.byLabel.get(name);
      if (hit) {
        const b = hit.find((x) => x.suffix.replace(/\./g, '') === tail || x.suffix.replace(/\./g, '-') === tail);
        if (b) return { brand: b.domain, technique: 'various' };
      }
    }

    // 7. The brand name next to words: dictionary (English) or pinyin lures, or just inside a label.
    return this.brandInLabels([...p.sub, L]);
  }

  private brandInLabels(labels: string[]): LookalikeMatch | null {
    let fallback: LookalikeMatch | null = null;
    for (const label of labels) {
      // The brand next to lure words: "taobao-login", "jdtuikuankefu", "secure-alipay".
      for (let i = 1; i < label.length; i++) {
        const head = label.slice(0, i);
        const tail = label.slice(i);
        const before = this.byLabel.get(head);
        if (before) {
          const words = segmentLureWords(tail);
          if (words && words.length) return { brand: before[0]!.domain, technique: words.some(isPinyinLure) ? 'pinyin' : 'dictionary' };
        }
        const after = this.byLabel.get(tail);
        if (after) {
          const words = segmentLureWords(head);
          if (words && words.length) return { brand: after[0]!.domain, technique: words.some(isPinyinLure) ? 'pinyin' : 'dictionary' };
        }
      }
      if (fallback) continue;
      // The brand as a hyphen/digit-separated token ("my-jd-shop"), or, for names long enough
      // not to occur by chance, anywhere inside the label ("mytaobaoshop"). Substrings are looked
      // up only at the lengths brand names have, so this does not grow with the number of brands.
      for (const tok of label.split(/[-0-9]+/)) {
        const hit = tok && tok !== label ? this.byLabel.get(tok) : undefined;
        if (hit) {
          fallback = { brand: hit[0]!.domain, technique: 'brand-in-label' };
          break;
        }
      }
      if (fallback) continue;
      for (const len of this.embeddedLengths) {
        if (len >= label.length) break;
        for (let i = 0; i + len <= label.length && !fallback; i++) {
          const hit = this.embeddedByLabel.get(label.substr(i, len));
          // "pineapple" contains "apple": accept an embedded name only when what surrounds it is
          // lure words ("mytaobaoshop") or the name is long enough to be distinctive ("pinduoduo").
          if (hit && (len >= MIN_DISTINCTIVE_LABEL || (segmentLureWords(label.slice(0, i)) !== null && segmentLureWords(label.slice(i + len)) !== null))) {
            fallback = { brand: hit.domain, technique: 'brand-in-label' };
          }
        }
        if (fallback) break;
      }
    }
    // A subdomain label that is exactly a brand name ("taobao.refund-help.cn").
    if (!fallback)
      for (const label of labels.slice(0, -1)) {
        const hit = this.byLabel.get(label);
        if (hit) return { brand: hit[0]!.domain, technique: 'brand-in-label' };
      }
    return fallback;
  }
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V) {
  const a = m.get(k);
  if (a) {
    if (!a.includes(v)) a.push(v);
  } else m.set(k, [v]);
}

/** Lure signals for a host that matched no brand (pinyin words alone are a weaker hint). */
export function lureSignals(host: string): string[] {
  const labels = host.split('.');
  return pinyinLuresIn(labels)
    .map((w) => `pinyin:${w}`)
    .concat(labels.some((l) => l.split('-').some(isEnglishLure) && l.includes('-')) ? ['english-lure'] : []);
}
