// The heads of a sharded log as one value a checkpoint can sign. A single-chain log (only shard 0)
// is its shard's head exactly as before sharding, so existing checkpoints keep their meaning; a
// sharded log's head is SHA-256 over every shard's (number, size, head) in shard order, and its
// size the total number of entries. The per-shard heads travel with the checkpoint (extension
// lines of the note), so a verifier checks each shard against its own line and the root against
// the lines — like a Certificate Transparency tree head over many leaves, with shards as leaves.
import { createHash } from 'node:crypto';
import { GENESIS_HASH } from './chain.ts';

export interface ShardHead {
  shard: number;
  size: number;
  /** Hex chain hash of the shard's last entry (its start value when empty). */
  hash: string;
}

export function combineHeads(heads: readonly ShardHead[]): { size: number; hash: string } {
  const sorted = [...heads].sort((a, b) => a.shard - b.shard);
  if (sorted.length === 0) return { size: 0, hash: GENESIS_HASH };
  if (sorted.length === 1 && sorted[0]!.shard === 0) return { size: sorted[0]!.size, hash: sorted[0]!.hash };
  const h = createHash('sha256').update('fanzha/access-log/shard-heads\n');
  for (const s of sorted) h.update(`${s.shard} ${s.size} ${s.hash}\n`);
  return { size: sorted.reduce((n, s) => n + s.size, 0), hash: h.digest('hex') };
}

/** Whether the heads are a sharded log (they then travel as extension lines of the checkpoint). */
export function isSharded(heads: readonly ShardHead[]): boolean {
  return !(heads.length === 1 && heads[0]!.shard === 0);
}

/** Extension lines of a checkpoint note: "shard <n> <size> <base64 head>". */
export function shardLines(heads: readonly ShardHead[]): string[] {
  return [...heads].sort((a, b) => a.shard - b.shard).map((s) => `shard ${s.shard} ${s.size} ${Buffer.from(s.hash, 'hex').toString('base64')}`);
}

/** Parses extension lines back; null when a line is not a shard line. */
export function parseShardLines(lines: readonly string[]): ShardHead[] | null {
  const out: ShardHead[] = [];
  for (const l of lines) {
    const m = /^shard (\d{1,6}) (\d{1,16}) (\S+)$/.exec(l);
    if (!m) return null;
    const hash = Buffer.from(m[3]!, 'base64');
    if (hash.length !== 32) return null;
    out.push({ shard: Number(m[1]), size: Number(m[2]), hash: hash.toString('hex') });
  }
  return out;
}
