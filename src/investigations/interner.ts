// Dense numbers for string ids (customers, orders, principals), kept compact: at a hundred
// million reads the index holds millions of ids, and a JavaScript Map of strings costs about 100
// bytes an entry. Here an id costs its UTF-8 bytes in one arena, a 4-byte offset and about 8
// bytes of open-addressing hash table, all in typed arrays whose size is known exactly.
import { grown } from '../lib/typed-arrays.ts';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class Interner {
  private bytes = new Uint8Array(1024);
  private used = 0;
  /** offsets[i]..offsets[i + 1] are the bytes of id i. */
  private offsets = new Int32Array(65);
  private count = 0;
  /** Open addressing, linear probing: id + 1 per slot, 0 for empty. Load stays ≤ 1/2. */
  private table = new Int32Array(128);
  private scratch = new Uint8Array(256);

  get size() {
    return this.count;
  }

  /** The id of number i (i < size). */
  id(i: number): string {
    return decoder.decode(this.bytes.subarray(this.offsets[i]!, this.offsets[i + 1]!));
  }

  get(id: string): number | undefined {
    const len = this.encode(id);
    const slot = this.find(len, hashOf(this.scratch, len));
    const v = this.table[slot]!;
    return v === 0 ? undefined : v - 1;
  }

  intern(id: string): number {
    const len = this.encode(id);
    const h = hashOf(this.scratch, len);
    const slot = this.find(len, h);
    const v = this.table[slot]!;
    if (v !== 0) return v - 1;
    const i = this.count++;
    if (this.used + len > this.bytes.length) this.bytes = grown(this.bytes, this.used + len);
    this.bytes.set(this.scratch.subarray(0, len), this.used);
    this.used += len;
    if (i + 2 > this.offsets.length) this.offsets = grown(this.offsets, i + 2);
    this.offsets[i + 1] = this.used;
    this.table[slot] = i + 1;
    if (this.count * 2 > this.table.length) this.rehash();
    return i;
  }

  /** Bytes held (arena, offsets and table as allocated, spare capacity included). */
  get byteLength(): number {
    return this.bytes.byteLength + this.offsets.byteLength + this.table.byteLength + this.scratch.byteLength;
  }

  /** Gives back the spare capacity of the arena and offsets (after a bulk load). */
  trim() {
    this.bytes = this.bytes.slice(0, Math.max(this.used, 1));
    this.offsets = this.offsets.slice(0, this.count + 1);
  }

  private encode(id: string): number {
    // UTF-8 takes at most 3 bytes per UTF-16 unit
    if (id.length * 3 > this.scratch.length) this.scratch = new Uint8Array(id.length * 3);
    return encoder.encodeInto(id, this.scratch).written;
  }

  /** The slot holding the id in scratch[0, len), or the empty slot where it would go. */
  private find(len: number, h: number): number {
    const mask = this.table.length - 1;
    const { table, bytes, offsets, scratch } = this;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const v = table[s]!;
      if (v === 0) return s;
      const a = offsets[v - 1]!;
      if (offsets[v]! - a !== len) continue;
      let k = 0;
      while (k < len && bytes[a + k] === scratch[k]) k++;
      if (k === len) return s;
    }
  }

  private rehash() {
    const table = new Int32Array(this.table.length * 2);
    const mask = table.length - 1;
    for (let i = 0; i < this.count; i++) {
      const a = this.offsets[i]!;
      let s = hashOf(this.bytes.subarray(a, this.offsets[i + 1]!), this.offsets[i + 1]! - a) & mask;
      while (table[s] !== 0) s = (s + 1) & mask;
      table[s] = i + 1;
    }
    this.table = table;
  }
}

/** FNV-1a over the bytes. */
function hashOf(b: Uint8Array, len: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < len; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
  return h >>> 0;
}
