// Masking rules. What each role sees of each field is configuration (areas.vault.masking), with
// defaults that follow the issue: an agent sees 刘*, 138****5678, province and city; an analyst
// sees masked values unless they reveal with a purpose.
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { Role } from '../http/roles.ts';

/** clear: the value; mask: partial; region: (address) province and city only; hide: null. */
export type FieldView = 'clear' | 'mask' | 'region' | 'hide';
export const VAULT_FIELDS = ['name', 'phone', 'email', 'address'] as const;
export type VaultField = (typeof VAULT_FIELDS)[number];

export interface MaskingConfig {
  roles: Partial<Record<Role, Record<VaultField, FieldView>>>;
  /** Characters kept at the start of a CJK name (刘小明 → 刘*). */
  cjkNameKeep: number;
  /** CN mobile: leading and trailing digits kept (13812345678 → 138****5678). */
  cnPhoneKeep: [number, number];
  /** Other numbers: trailing digits kept after the country code (+44 ******7890). */
  intlPhoneKeepLast: number;
  /** Characters of the e-mail local part kept (liu@x.cn → l***@x.cn). */
  emailKeep: number;
}

export const DEFAULT_MASKING: MaskingConfig = {
  roles: {
    agent: { name: 'mask', phone: 'mask', email: 'hide', address: 'region' },
    analyst: { name: 'mask', phone: 'mask', email: 'mask', address: 'region' },
    admin: { name: 'mask', phone: 'mask', email: 'mask', address: 'region' },
  },
  cjkNameKeep: 1,
  cnPhoneKeep: [3, 4],
  intlPhoneKeepLast: 4,
  emailKeep: 1,
};

export function maskingConfig(areas: Record<string, unknown>): MaskingConfig {
  const c = ((areas.vault ?? {}) as { masking?: Partial<MaskingConfig> }).masking ?? {};
  return { ...DEFAULT_MASKING, ...c, roles: { ...DEFAULT_MASKING.roles, ...c.roles } };
}

const CJK = /[\u3400-\u9fff\uf900-\ufaff\u{20000}-\u{2fa1f}]/u;

export function maskName(name: string, cfg: MaskingConfig): string {
  const chars = [...name.trim()];
  if (chars.length === 0) return '';
  if (CJK.test(chars[0]!)) return chars.slice(0, Math.min(cfg.cjkNameKeep, chars.length - 1 || 1)).join('') + '*';
  // Latin and other scripts: the initial of each word (John Smith → J* S*).
  return name
    .trim()
    .split(/\s+/)
    .map((w) => [...w][0] + '*')
    .join(' ');
}

export function maskPhone(e164: string, cfg: MaskingConfig): string {
  const p = parsePhoneNumberFromString(e164);
  if (p && p.countryCallingCode === '86' && /^1\d{10}$/.test(p.nationalNumber)) {
    const n = p.nationalNumber;
    const [a, b] = cfg.cnPhoneKeep;
    return n.slice(0, a) + '*'.repeat(n.length - a - b) + n.slice(n.length - b);
  }
  const digits = p ? p.nationalNumber : e164.replace(/\D/g, '');
  const keep = Math.min(cfg.intlPhoneKeepLast, Math.max(0, digits.length - 4));
  const masked = '*'.repeat(digits.length - keep) + digits.slice(digits.length - keep);
  return p ? `+${p.countryCallingCode} ${masked}` : masked;
}

export function maskEmail(email: string, cfg: MaskingConfig): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '***';
  const local = [...email.slice(0, at)];
  return local.slice(0, Math.min(cfg.emailKeep, local.length - 1 || 1)).join('') + '***' + email.slice(at);
}

export interface Address {
  province: string;
  city: string;
  district?: string;
  line?: string;
}

export function viewAddress(a: Address, view: FieldView): Address | null {
  if (view === 'hide') return null;
  if (view === 'region') return { province: a.province, city: a.city };
  if (view === 'mask') return { province: a.province, city: a.city, ...(a.district ? { district: a.district } : {}), ...(a.line ? { line: '***' } : {}) };
  return a;
}

export function viewValue(field: Exclude<VaultField, 'address'>, value: string, view: FieldView, cfg: MaskingConfig): string | null {
  if (view === 'hide') return null;
  if (view === 'clear') return value;
  if (field === 'name') return maskName(value, cfg);
  if (field === 'phone') return maskPhone(value, cfg);
  return maskEmail(value, cfg);
}
