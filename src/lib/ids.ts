import { randomFillSync } from 'node:crypto';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

// Random bytes drawn from the CSPRNG a few kilobytes at a time: one native call per id (every
// request gets one) cost more than building the id. Node's randomUUID keeps a cache the same way.
const pool = Buffer.alloc(4096);
let used = pool.length;

/** A prefixed random id such as `inv_k3j9...` (time-ordered prefix so ids sort by creation). */
export function newId(prefix: string, randomChars = 12): string {
  if (!Number.isInteger(randomChars) || randomChars < 0 || randomChars > pool.length)
    throw new RangeError(`randomChars must be an integer from 0 to ${pool.length}`);
  const time = Date.now().toString(36).padStart(9, '0');
  if (used + randomChars > pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  let r = '';
  for (let i = 0; i < randomChars; i++) r += ALPHABET[pool[used + i]! % 36];
  used += randomChars;
  return `${prefix}_${time}${r}`;
}
