// Phone numbers are compared, hashed and shared in E.164 only. Parsing is libphonenumber-js;
// this module only adds the spellings seen in Chinese reports (full-width digits, 0086, spaces).
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

function toHalfWidth(s: string): string {
  return s.replace(/[\uFF01-\uFF5E]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');
}

/** Returns the E.164 form, or null when the text is not a possible phone number. */
export function normalizePhone(input: string, defaultCountry: CountryCode = 'CN'): string | null {
  let s = toHalfWidth(input).trim();
  s = s.replace(/[\s\-().·]/g, '');
  if (s.startsWith('00')) s = '+' + s.slice(2);
  if (!/^\+?\d{3,17}$/.test(s)) return null;
  const parsed = parsePhoneNumberFromString(s, defaultCountry);
  if (!parsed || !parsed.isPossible()) return null;
  return parsed.number;
}
