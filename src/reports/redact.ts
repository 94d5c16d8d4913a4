// Redaction of secrets victims type into free text. fanzha must never store a card number, a
// resident ID number, a CVV, an expiry date, a password or an SMS code, nor the victim's own phone
// or ID inside a link, even when a distressed victim writes them into the narrative ("I gave him
// my card 6222 0212 3456 7890 123 and the code 483920"). Finding is in redact-scan.ts (linear,
// on a folded view); this module replaces what it found and keeps every other character as typed.
import { scanSecrets, luhnValid, type SecretKind, type ScanStats } from './redact-scan.ts';
import { scrubUrl } from './url-scrub.ts';

export { luhnValid };

export const REDACTED: Record<Exclude<SecretKind, 'url'>, string> = {
  card: '[卡号已删除 card number removed]',
  id: '[身份证号已删除 ID number removed]',
  code: '[验证码已删除 code removed]',
  cvv: '[安全码已删除 CVV removed]',
  expiry: '[有效期已删除 expiry removed]',
  password: '[密码已删除 password removed]',
};

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** True for an 18-character PRC resident ID number with a valid ISO 7064 MOD 11-2 check character. */
export function isResidentId(s: string): boolean {
  if (!/^\d{17}[\dXx]$/.test(s)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(s[i]) * ID_WEIGHTS[i]!;
  return ID_CHECK[sum % 11] === s[17]!.toUpperCase();
}

// The markers of an earlier pass, as one alternation of literal strings (linear to match). Their
// words are keywords ("password", "code", "验证码"): read as text, "[密码已删除 password removed]"
// would make "removed]" a password, and a code word in a marker would take a number after it.
const MARKER = new RegExp(
  Object.values(REDACTED)
    .map((m) => m.replace(/[[\]\\^$.|?*+(){}]/g, '\\$&'))
    .join('|'),
  'g',
);

/**
 * Redacts secrets; returns the text (as typed, apart from removed spans) and the kinds removed.
 * Markers already in the text are kept as they are and split it: nothing is read inside them and
 * no keyword pairs with a value across one, so redacting twice gives what redacting once gave.
 */
export function redact(input: string, stats?: ScanStats): { text: string; removed: Set<SecretKind> } {
  const removed = new Set<SecretKind>();
  let text = '';
  let at = 0;
  for (const m of input.matchAll(MARKER)) {
    text += redactSegment(input.slice(at, m.index), removed, stats) + m[0];
    at = m.index + m[0].length;
  }
  return { text: text + redactSegment(at ? input.slice(at) : input, removed, stats), removed };
}

function redactSegment(input: string, removed: Set<SecretKind>, stats?: ScanStats): string {
  const spans = scanSecrets(input, scrubUrl, stats);
  if (!spans.length) return input;
  let out = '';
  let at = 0;
  for (const s of spans) {
    out += input.slice(at, s.start) + (s.kind === 'url' ? s.replacement! : REDACTED[s.kind]);
    removed.add(s.kind);
    at = s.end;
  }
  return out + input.slice(at);
}

/** Redacts an optional short field. */
export function redactField(v: string | undefined | null): string | null {
  if (v === undefined || v === null) return null;
  const t = redact(v).text.trim();
  return t || null;
}
