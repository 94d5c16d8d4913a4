// Personal data inside links. Phishing links are personalised: "https://refund-jd.cn/r?id=13812345678"
// carries the victim's own phone, "…/c/110105194912310021" an ID number. The link stays an
// indicator (its host and path are the scammer's), with the parts that carry a phone, an ID or
// card number, an e-mail address, or a parameter named like personal data removed. Textual, so a
// link in a narrative keeps how the victim pasted it apart from the removed parts.
import { foldText, phoneShaped } from './redact-scan.ts';

const PERSONAL_KEYS = new Set([
  'phone',
  'mobile',
  'mobilephone',
  'tel',
  'telephone',
  'msisdn',
  'cellphone',
  'shouji',
  'sjh',
  'phonenum',
  'phone_number',
  'phonenumber',
  'idcard',
  'id_card',
  'idno',
  'id_no',
  'idnumber',
  'sfz',
  'sfzh',
  'certno',
  'cert_no',
  'card',
  'cardno',
  'card_no',
  'bankcard',
  'bank_card',
  'cardnum',
  'name',
  'realname',
  'real_name',
  'username',
  'email',
  'mail',
  'cvv',
  'cvn',
  'otp',
  'smscode',
  'sms_code',
  'verifycode',
  'verify_code',
  'vcode',
  'pwd',
  'password',
  'passwd',
  'pin',
]);

function decode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/** True when a URL part (decoded) carries a phone, ID or card number, or an e-mail address. */
export function carriesPersonalData(part: string): boolean {
  const v = foldText(decode(part));
  if (v.includes('@')) return true;
  const runs = v.match(/\d+x?/g) ?? [];
  for (const r of runs) {
    const d = r.replace(/x$/, '');
    if (phoneShaped(d) || d.length >= 12 || (d.length === 17 && r.endsWith('x'))) return true;
  }
  // Digits spread by separators inside one part ("138-1234-5678").
  const compact = v.replace(/[\s\-.()]/g, '').match(/\d{11,}/g) ?? [];
  return compact.some((d) => phoneShaped(d) || d.length >= 12);
}

/** The URL with personal query parameters dropped and personal path segments replaced by "_". */
export function scrubUrl(raw: string): string {
  const hashAt = raw.indexOf('#');
  const beforeHash = hashAt >= 0 ? raw.slice(0, hashAt) : raw;
  const fragment = hashAt >= 0 ? raw.slice(hashAt + 1) : null;
  const qAt = beforeHash.indexOf('?');
  const base = qAt >= 0 ? beforeHash.slice(0, qAt) : beforeHash;
  const query = qAt >= 0 ? beforeHash.slice(qAt + 1) : null;

  const schemeEnd = base.indexOf('//');
  const hostEnd = base.indexOf('/', schemeEnd >= 0 ? schemeEnd + 2 : 0);
  let out =
    hostEnd < 0
      ? base
      : base.slice(0, hostEnd) +
        base
          .slice(hostEnd)
          .split('/')
          .map((seg) => (seg && carriesPersonalData(seg) ? '_' : seg))
          .join('/');
  if (query !== null) {
    const kept = query.split('&').filter((pair) => {
      const eq = pair.indexOf('=');
      const key = decode(eq >= 0 ? pair.slice(0, eq) : pair).toLowerCase();
      const value = eq >= 0 ? pair.slice(eq + 1) : '';
      return !PERSONAL_KEYS.has(key) && !carriesPersonalData(value) && !carriesPersonalData(key);
    });
    if (kept.length) out += '?' + kept.join('&');
  }
  if (fragment !== null && fragment && !carriesPersonalData(fragment)) out += '#' + fragment;
  return out;
}
