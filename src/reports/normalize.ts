// Normalisation of the values reports are linked on. The same payee, phone or link written five
// ways by five victims must become one indicator value.
import { normalizePhone } from '../lib/phone.ts';
import { normalizeUrl, normalizeDomain, toHalfWidth } from '../lib/url.ts';
import { isResidentId } from './redact.ts';

export const INDICATOR_KINDS = ['phone', 'sms_sender', 'domain', 'url', 'payee_account', 'payee_name', 'merchant_id', 'social', 'app'] as const;
export type IndicatorKind = (typeof INDICATOR_KINDS)[number];

/**
 * Phones to E.164 (libphonenumber-js, with full-width digits, spaces, +86/0086 prefixes handled in
 * src/lib/phone.ts). Chinese service short numbers (95xxx, 96xxx, 10xxx, 12xxx) cannot be E.164;
 * scammers spoof them, so they are kept as "cn-short:95188".
 */
export function normalizeReportedPhone(input: string): string | null {
  const half = toHalfWidth(input).trim();
  const compact = half.replace(/[\s\-().·]/g, '');
  const m = /^(?:\+?86|0086)?((?:95|96|10|12)\d{3,4})$/.exec(compact);
  if (m) return `cn-short:${m[1]}`;
  // "86 138…" without the plus sign is common in pasted text.
  const bare86 = /^86(1\d{10})$/.exec(compact);
  return normalizePhone(bare86 ? `+86${bare86[1]}` : half);
}

/** Bank and payment accounts: digits only (spaces, dashes, full-width digits removed). Alipay-style e-mail/phone accounts kept lower-case. */
export function normalizeAccount(input: string): string | null {
  const s = toHalfWidth(input).trim();
  const digits = s.replace(/[\s\-_.·]/g, '');
  if (/^\d{6,34}$/.test(digits)) return isResidentId(digits) ? null : digits;
  if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s)) return s.toLowerCase();
  const phone = normalizeReportedPhone(s);
  if (phone) return phone;
  const alnum = s.replace(/[\s-]/g, '').toUpperCase();
  return /^[A-Z0-9]{6,34}$/.test(alnum) && !isResidentId(alnum) ? alnum : null;
}

/** Merchant ids (payment processors' sub-merchant numbers): half-width, upper case, no separators. */
export function normalizeMerchantId(input: string): string | null {
  const s = toHalfWidth(input)
    .normalize('NFKC')
    .replace(/[\s\-_.·]/g, '')
    .toUpperCase();
  return /^[A-Z0-9]{3,64}$/.test(s) && !isResidentId(s) ? s : null;
}

/** Company and payee names: NFKC (full-width to half-width), brackets unified, spacing removed between CJK, Latin lower-cased. */
export function normalizeCompany(input: string): string | null {
  let s = input
    .normalize('NFKC')
    .replace(/[（【[]/g, '(')
    .replace(/[）】\]]/g, ')')
    .replace(/\s+/g, ' ')
    .trim();
  s = s.replace(/\s*\(\s*/g, '(').replace(/\s*\)\s*/g, ')');
  s = s.replace(/(?<=[\p{Script=Han}()])\s+|\s+(?=[\p{Script=Han}()])/gu, '');
  s = s.toLowerCase().replace(/[.,]$/, '');
  return s.length >= 2 ? s : null;
}

export function normalizeSender(input: string): string | null {
  const s = toHalfWidth(input).normalize('NFKC').trim();
  const phone = normalizeReportedPhone(s);
  if (phone) return phone;
  // SMS signatures are written 【京东】 or [JD]; keep the name inside.
  const sig = /^[【[]?([^【】[\]]{1,30})[】\]]?$/.exec(s.replace(/\s+/g, ''));
  return sig ? sig[1]!.toLowerCase() : null;
}

export function normalizeSocial(platform: string, handle: string): string | null {
  const h = toHalfWidth(handle).trim().toLowerCase().replace(/\s+/g, '');
  return h ? `${platform}:${h}` : null;
}

export function normalizeApp(name: string): string | null {
  const s = name.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, ' ');
  return s || null;
}

export { normalizeUrl, normalizeDomain };
