import { createHash } from 'node:crypto';
import { md4 } from './md4.ts';

export type HashMode = 'sha1' | 'ntlm';
export const HASH_BYTES: Record<HashMode, number> = { sha1: 20, ntlm: 16 };

export function sha1(password: string): Buffer {
  return createHash('sha1').update(password, 'utf8').digest();
}

/** NTLM: MD4 of the password in UTF-16LE, as HIBP's NTLM corpus uses. */
export function ntlm(password: string): Buffer {
  return md4(Buffer.from(password, 'utf16le'));
}

export function hashPassword(password: string, mode: HashMode): Buffer {
  return mode === 'sha1' ? sha1(password) : ntlm(password);
}
