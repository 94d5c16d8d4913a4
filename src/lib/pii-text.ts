// Finding personal data in free text (phone-like digit runs, e-mail addresses) in one pass.
// Used on everything a client can make long — log lines, purposes, refund reasons, user agents,
// leaked files — so it must be linear: a backtracking pattern such as /[^\s@]+@[^\s@]+\.\w+/
// rescans a long run without '@' from every starting position (quadratic: 80 KB took 10 s).
// Each scanner here visits a character a bounded number of times.

/** A span [start, end) of the text. */
export interface Span {
  start: number;
  end: number;
}

const code = (s: string, i: number) => s.charCodeAt(i);
const isDigit = (c: number) => c >= 48 && c <= 57;
const isAlpha = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
/** Characters of an e-mail local part (the common subset: letters, digits, . _ % + -). */
const isLocal = (c: number) => isAlpha(c) || isDigit(c) || c === 46 || c === 95 || c === 37 || c === 43 || c === 45;
/** Characters of a domain: letters, digits, '.', '-'. */
const isDomain = (c: number) => isAlpha(c) || isDigit(c) || c === 46 || c === 45;

/** RFC 5321 limits: a longer local part or domain is not an address (and bounds the work per '@'). */
const MAX_LOCAL = 64;
const MAX_DOMAIN = 255;

/**
 * E-mail addresses (local@domain.tld, tld of two or more letters), left to right, not overlapping.
 * Each '@' looks at most MAX_LOCAL characters back (never before the previous match or '@') and
 * MAX_DOMAIN forward, so the scan is linear in the text.
 */
export function emailSpans(text: string): Span[] {
  const out: Span[] = [];
  let floor = 0; // nothing before this can start an address (previous '@' or match end)
  for (let at = text.indexOf('@'); at !== -1; at = text.indexOf('@', at + 1)) {
    let start = at;
    const min = Math.max(floor, at - MAX_LOCAL);
    while (start > min && isLocal(code(text, start - 1))) start--;
    floor = at + 1;
    if (start === at) continue;
    // The domain: the longest run of domain characters, cut back to end in ".<letters{2,}>".
    let end = at + 1;
    const max = Math.min(text.length, at + 1 + MAX_DOMAIN);
    while (end < max && isDomain(code(text, end))) end++;
    let letters = 0;
    let cut = -1;
    for (let i = end - 1; i > at + 1; i--) {
      const c = code(text, i);
      if (isAlpha(c)) letters++;
      else if (c === 46 && letters >= 2) {
        cut = i + 1 + letters;
        break;
      } else letters = 0;
    }
    if (cut === -1) continue;
    out.push({ start, end: cut });
    floor = cut;
    at = cut - 1;
  }
  return out;
}

/** Separators people type inside a phone number: whitespace and dashes. */
const isPhoneSep = (c: number) => c === 32 || c === 45 || c === 9 || c === 10 || c === 13;

/**
 * Phone-like runs: a digit, then digits, whitespace or dashes, ending in a digit, `minLength`
 * characters or more from first to last digit (7 by default: shorter runs are amounts, years,
 * counts). Linear: one pass, each run read once.
 */
export function digitRunSpans(text: string, minLength = 7): Span[] {
  const out: Span[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    if (!isDigit(code(text, i))) {
      i++;
      continue;
    }
    const start = i > 0 && code(text, i - 1) === 43 ? i - 1 : i; // a leading '+'
    let lastDigit = i;
    let j = i;
    while (j < n) {
      const c = code(text, j);
      if (isDigit(c)) lastDigit = j;
      else if (!isPhoneSep(c)) break;
      j++;
    }
    if (lastDigit + 1 - i >= minLength) out.push({ start, end: lastDigit + 1 });
    i = j;
  }
  return out;
}

/** True when the text holds a phone-like digit run or an e-mail address. */
export function containsPii(text: string): boolean {
  return digitRunSpans(text).length > 0 || emailSpans(text).length > 0;
}

function replaceSpans(text: string, spans: Span[], marker: string): string {
  if (spans.length === 0) return text;
  let out = '';
  let last = 0;
  for (const s of spans) {
    out += text.slice(last, s.start) + marker;
    last = s.end;
  }
  return out + text.slice(last);
}

/** The text with e-mail addresses and phone-like digit runs blanked ("[email]", "[digits]"). */
export function scrubPii(text: string): string {
  const noEmail = replaceSpans(text, emailSpans(text), '[email]');
  return replaceSpans(noEmail, digitRunSpans(noEmail), '[digits]');
}

/**
 * Digit runs of `min` or more (no separators) blanked: for URLs in logs, where an id, a phone or
 * an order number in a path segment must not be kept ("/v1/customers/[n]").
 */
export function scrubDigitRuns(text: string, min = 5): string {
  const spans: Span[] = [];
  let i = 0;
  while (i < text.length) {
    if (!isDigit(code(text, i))) {
      i++;
      continue;
    }
    let j = i;
    while (j < text.length && isDigit(code(text, j))) j++;
    if (j - i >= min) spans.push({ start: i, end: j });
    i = j;
  }
  return replaceSpans(text, spans, '[n]');
}

/** A lone UTF-16 surrogate (half of a pair): cannot be stored as UTF-8 or in PostgreSQL text. */
export function hasLoneSurrogate(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
      else return true;
    } else if (c >= 0xdc00 && c <= 0xdfff) return true;
  }
  return false;
}

const wellFormed = (String.prototype as { isWellFormed?: () => boolean }).isWellFormed;

/** Why a string cannot be stored as text (NUL, lone surrogate), or null when it can. */
export function unstorableText(s: string): string | null {
  if (s.indexOf('\u0000') !== -1) return 'contains a NUL character';
  if (wellFormed ? !wellFormed.call(s) : hasLoneSurrogate(s)) return 'contains an unpaired UTF-16 surrogate';
  return null;
}

/** True when some string (value or property name) in `v` cannot be stored; iterative, no paths built. */
function anyUnstorable(v: unknown): boolean {
  const stack: unknown[] = [v];
  while (stack.length) {
    const x = stack.pop();
    if (typeof x === 'string') {
      if (unstorableText(x)) return true;
    } else if (Array.isArray(x)) {
      for (let i = 0; i < x.length; i++) stack.push(x[i]);
    } else if (x && typeof x === 'object') {
      for (const k in x) {
        if (!Object.prototype.hasOwnProperty.call(x, k)) continue;
        if (unstorableText(k)) return true;
        stack.push((x as Record<string, unknown>)[k]);
      }
    }
  }
  return false;
}

/**
 * The JSON-pointer path of the first string (value or property name) in `v` that cannot be
 * stored, with the reason; null when all can. Property names outside `knownKeys` show as "*". Iterative, so a deeply nested body cannot overflow
 * the stack; paths are built only once something was found (this runs on every ingested event).
 */
export function findUnstorable(v: unknown, knownKeys: ReadonlySet<string> = new Set()): { path: string; reason: string } | null {
  if (!anyUnstorable(v)) return null;
  const stack: [unknown, string][] = [[v, '']];
  while (stack.length) {
    const [x, path] = stack.pop()!;
    if (typeof x === 'string') {
      const r = unstorableText(x);
      if (r) return { path: path || '/', reason: r };
    } else if (Array.isArray(x)) {
      for (let i = x.length - 1; i >= 0; i--) stack.push([x[i], `${path}/${i}`]);
    } else if (x && typeof x === 'object') {
      for (const [k, val] of Object.entries(x)) {
        const kr = unstorableText(k);
        if (kr) return { path: path || '/', reason: `has a property name that ${kr}` };
        // a property name is named only when the schema declares it (otherwise it is submitted data)
        stack.push([val, `${path}/${knownKeys.has(k) ? k : '*'}`]);
      }
    }
  }
  return null;
}
