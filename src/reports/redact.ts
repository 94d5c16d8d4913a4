// Redaction of secrets victims type into free text. fanzha must never store a card number, a
// resident ID number, a password or an SMS code, even when a distressed victim writes them into
// the narrative ("I gave him my card 6222 0212 3456 7890 123 and the code 483920"). Matching is
// deliberately wide: a scammer's bank account belongs in the structured payeeAccount field.
import { toHalfWidth } from '../links/url.ts';

export const REDACTED = {
  card: '[卡号已删除 card number removed]',
  id: '[身份证号已删除 ID number removed]',
  code: '[验证码已删除 code removed]',
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

// Runs of digits possibly split by spaces or dashes (how card numbers are written).
const DIGIT_RUN = /(?<![\dA-Za-z])\d(?:[ -]?\d){11,22}(?:[ -]?[Xx])?(?![\dA-Za-z])/g;
const CODE_WORDS = '(?:验证码|校验码|动态码|动态密码|短信码|认证码|确认码|验证代码|code|otp|pin|captcha|verification code)';
const CODE_AFTER = new RegExp(`(${CODE_WORDS}\\s*(?:是|为|:|：|=|is)?\\s*)(\\d[\\d ]{2,9}\\d)`, 'giu');
const CODE_BEFORE = new RegExp(`(?<!\\d)(\\d{4,8})(\\s*(?:这个|的)?\\s*${CODE_WORDS})`, 'giu');
const PASSWORD = /((?:密码|口令|支付密码|取款密码|登录密码|password|passwd|pwd|pin码)\s*(?:是|为|:|：|=|is)?\s*)([^\s，。,;；]{3,64})/giu;

function phoneLike(digits: string): boolean {
  return /^(?:0086|86)?1\d{10}$/.test(digits) || /^(?:0086|86)?0\d{9,11}$/.test(digits);
}

/** Redacts card numbers, resident ID numbers, passwords and SMS codes; returns the text and what was removed. */
export function redact(input: string): { text: string; removed: Set<keyof typeof REDACTED> } {
  const removed = new Set<keyof typeof REDACTED>();
  let s = toHalfWidth(input);
  s = s.replace(PASSWORD, (_m, lead: string) => {
    removed.add('password');
    return lead + REDACTED.password;
  });
  s = s.replace(DIGIT_RUN, (m) => {
    const compact = m.replace(/[ -]/g, '');
    if (isResidentId(compact) || /^\d{17}[Xx]$/.test(compact)) {
      removed.add('id');
      return REDACTED.id;
    }
    if (!/^\d+$/.test(compact)) return m;
    if (phoneLike(compact)) return m;
    // 12–19 digits: card numbers (Luhn or not: a mistyped card is still a card), old 15-digit IDs.
    if (compact.length === 15 && !luhnValid(compact)) removed.add('id');
    else removed.add('card');
    return compact.length === 15 && !luhnValid(compact) ? REDACTED.id : REDACTED.card;
  });
  s = s.replace(CODE_AFTER, (_m, lead: string) => {
    removed.add('code');
    return lead + REDACTED.code;
  });
  s = s.replace(CODE_BEFORE, (_m, _code: string, tail: string) => {
    removed.add('code');
    return REDACTED.code + tail;
  });
  return { text: s, removed };
}

/** Redacts an optional short field. */
export function redactField(v: string | undefined | null): string | null {
  if (v === undefined || v === null) return null;
  const t = redact(v).text.trim();
  return t || null;
}
