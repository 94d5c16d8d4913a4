import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/** A prefixed random id such as `inv_k3j9...` (time-ordered prefix so ids sort by creation). */
export function newId(prefix: string, randomChars = 12): string {
  const time = Date.now().toString(36).padStart(9, '0');
  const bytes = randomBytes(randomChars);
  let r = '';
  for (let i = 0; i < randomChars; i++) r += ALPHABET[bytes[i]! % 36];
  return `${prefix}_${time}${r}`;
}
