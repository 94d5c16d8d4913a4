// A compact, read-in-place store of breached-password hashes for k-anonymity range queries.
//
//   header (64 B): "FZPWRNG1", mode (1 = SHA-1, 2 = NTLM), hash bytes, record bytes, record count
//   index:  2^20 + 1 little-endian uint32: the number of records before each 5-hex prefix
//   records: sorted by hash; each is the hash without its first 2 bytes, then a uint32 count
//
// A range query reads two index entries and one contiguous run of records with positioned reads;
// nothing but the 4 MiB index is held in memory, whatever the store's size (HIBP: ~40 GB text →
// ~20 GB here for 900 M SHA-1 hashes).
import { open, type FileHandle } from 'node:fs/promises';
import { HASH_BYTES, type HashMode } from './hashes.ts';

export const MAGIC = 'FZPWRNG1';
export const HEADER_BYTES = 64;
export const PREFIXES = 1 << 20;
export const INDEX_BYTES = (PREFIXES + 1) * 4;
export const RECORDS_OFFSET = HEADER_BYTES + INDEX_BYTES;
export const MODE_CODE: Record<HashMode, number> = { sha1: 1, ntlm: 2 };

export function recordBytes(mode: HashMode): number {
  return HASH_BYTES[mode] - 2 + 4;
}

export interface RangeEntry {
  /** Hex of the hash after the 5-hex prefix, uppercase (35 for SHA-1, 27 for NTLM). */
  suffix: string;
  count: number;
}

export class RangeStoreError extends Error {
  override name = 'RangeStoreError';
}

export class RangeStore {
  private constructor(
    private readonly fh: FileHandle,
    readonly mode: HashMode,
    readonly count: number,
    private readonly index: Uint32Array,
    readonly path: string,
  ) {}

  static async open(path: string): Promise<RangeStore> {
    const fh = await open(path, 'r');
    try {
      const head = Buffer.alloc(HEADER_BYTES);
      await fh.read(head, 0, HEADER_BYTES, 0);
      if (head.toString('latin1', 0, 8) !== MAGIC) throw new RangeStoreError(`${path} is not a fanzha password store`);
      const mode: HashMode = head[8] === 1 ? 'sha1' : head[8] === 2 ? 'ntlm' : (undefined as never);
      if (!mode || head[9] !== HASH_BYTES[mode] || head.readUInt16LE(10) !== recordBytes(mode)) throw new RangeStoreError(`${path} has an unknown layout`);
      const count = Number(head.readBigUInt64LE(16));
      const idx = Buffer.alloc(INDEX_BYTES);
      await fh.read(idx, 0, INDEX_BYTES, HEADER_BYTES);
      const index = new Uint32Array(idx.buffer, idx.byteOffset, PREFIXES + 1);
      if (index[PREFIXES] !== count) throw new RangeStoreError(`${path} is incomplete (index and header disagree)`);
      return new RangeStore(fh, mode, count, index, path);
    } catch (e) {
      await fh.close();
      throw e;
    }
  }

  /** Raw records for a prefix (0 … 2^20-1). */
  async rangeRaw(prefix: number): Promise<Buffer> {
    const from = this.index[prefix]!;
    const to = this.index[prefix + 1]!;
    const rb = recordBytes(this.mode);
    const buf = Buffer.allocUnsafe((to - from) * rb);
    if (buf.length) await this.fh.read(buf, 0, buf.length, RECORDS_OFFSET + from * rb);
    return buf;
  }

  async range(prefixHex: string): Promise<RangeEntry[]> {
    const prefix = parseInt(prefixHex, 16);
    const raw = await this.rangeRaw(prefix);
    const rb = recordBytes(this.mode);
    const hb = rb - 4;
    const out: RangeEntry[] = [];
    for (let off = 0; off < raw.length; off += rb) {
      // the first stored byte still carries the prefix's 5th hex digit: drop it
      out.push({
        suffix: raw
          .toString('hex', off, off + hb)
          .slice(1)
          .toUpperCase(),
        count: raw.readUInt32BE(off + hb),
      });
    }
    return out;
  }

  /** Count for a full hash, or 0. */
  async lookup(hash: Buffer): Promise<number> {
    const prefix = (hash[0]! << 12) | (hash[1]! << 4) | (hash[2]! >> 4);
    const raw = await this.rangeRaw(prefix);
    const rb = recordBytes(this.mode);
    const want = hash.subarray(2);
    let lo = 0;
    let hi = raw.length / rb - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const c = raw.compare(want, 0, want.length, mid * rb, mid * rb + rb - 4) * -1;
      if (c === 0) return raw.readUInt32BE(mid * rb + rb - 4);
      if (c < 0) lo = mid + 1;
      else hi = mid - 1;
    }
    return 0;
  }

  close() {
    return this.fh.close();
  }
}
