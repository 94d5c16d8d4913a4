// Random substitute tokens: 12 Crockford base32 characters (60 bits) in three groups, readable
// over the phone and with no look-alike letters (no I, L, O, U).
import { randomInt } from 'node:crypto';

const TOKEN_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const TOKEN_PATTERN = /\b[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}\b/gi;

export function newToken(): string {
  let s = '';
  for (let i = 0; i < 12; i++) s += TOKEN_ALPHABET[randomInt(32)];
  return `${s.slice(0, 4)}-${s.slice(4, 8)}-${s.slice(8)}`;
}

export function isToken(v: string): boolean {
  return new RegExp(`^${TOKEN_PATTERN.source}$`, 'i').test(v.trim());
}
