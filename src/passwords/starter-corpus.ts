// The starter corpus loaded by default: the common-password list shipped in
// @zxcvbn-ts/language-common (about 49 000 passwords seen in public breaches, most frequent
// first). The list gives ranks, not breach counts, so counts are a Zipf estimate from the rank
// (count ≈ 10^6 / rank): clients that only test "count > 0" get exact answers; thresholds on
// counts should use an imported HIBP corpus.
import { dictionary } from '@zxcvbn-ts/language-common';
import { hashPassword, type HashMode } from './hashes.ts';
import { RangeStoreWriter } from './range-store.writer.ts';

export function starterPasswords(): string[] {
  return dictionary['passwords-common'] as string[];
}

export function buildStarterStore(dest: string, mode: HashMode): number {
  const list = starterPasswords();
  const rows = new Map<string, number>();
  list.forEach((pw, rank) => {
    const h = hashPassword(pw, mode).toString('hex');
    rows.set(h, Math.max(rows.get(h) ?? 0, Math.max(1, Math.round(1_000_000 / (rank + 1)))));
  });
  const w = new RangeStoreWriter(dest, mode);
  for (const h of [...rows.keys()].sort()) w.add(Buffer.from(h, 'hex'), rows.get(h)!);
  return w.finish().count;
}
