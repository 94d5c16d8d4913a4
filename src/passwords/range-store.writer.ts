// Builds a range store from hashes given in ascending order (the HIBP downloader's output is
// sorted), streaming: records go to disk through a 1 MiB buffer and the index is written last.
// The file is built beside its destination and renamed into place, so readers never see half.
import { createReadStream, openSync, writeSync, closeSync, renameSync, statSync, mkdirSync, rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { HASH_BYTES, type HashMode } from './hashes.ts';
import { HEADER_BYTES, INDEX_BYTES, MAGIC, MODE_CODE, PREFIXES, RECORDS_OFFSET, recordBytes } from './range-store.ts';

export class ImportError extends Error {
  override name = 'ImportError';
}

export class RangeStoreWriter {
  private readonly fd: number;
  private readonly tmp: string;
  private readonly counts = new Uint32Array(PREFIXES);
  private readonly buf = Buffer.allocUnsafe(1 << 20);
  private used = 0;
  private pos = RECORDS_OFFSET;
  private last: Buffer | null = null;
  readonly rb: number;
  count = 0;

  constructor(
    private readonly dest: string,
    readonly mode: HashMode,
  ) {
    mkdirSync(path.dirname(dest), { recursive: true });
    this.tmp = `${dest}.${process.pid}.tmp`;
    this.fd = openSync(this.tmp, 'w');
    this.rb = recordBytes(mode);
  }

  /** Adds one hash (raw bytes); hashes must come in strictly ascending order. */
  add(hash: Buffer, count: number) {
    if (hash.length !== HASH_BYTES[this.mode]) throw new ImportError(`expected a ${HASH_BYTES[this.mode]}-byte hash`);
    if (this.last && Buffer.compare(this.last, hash) >= 0)
      throw new ImportError('hashes are not in ascending order (sort the file, or use the HIBP downloader output as is)');
    if (!this.last) this.last = Buffer.alloc(hash.length);
    hash.copy(this.last);
    if (this.used + this.rb > this.buf.length) this.flush();
    hash.copy(this.buf, this.used, 2);
    this.buf.writeUInt32BE(Math.min(count, 0xffffffff), this.used + this.rb - 4);
    this.used += this.rb;
    this.counts[(hash[0]! << 12) | (hash[1]! << 4) | (hash[2]! >> 4)]!++;
    this.count++;
  }

  private flush() {
    if (!this.used) return;
    writeSync(this.fd, this.buf, 0, this.used, this.pos);
    this.pos += this.used;
    this.used = 0;
  }

  finish(): { count: number; bytes: number } {
    this.flush();
    writeHeaderAndIndex(this.fd, this.mode, this.counts);
    closeSync(this.fd);
    renameSync(this.tmp, this.dest);
    return { count: this.count, bytes: this.pos };
  }

  abort() {
    try {
      closeSync(this.fd);
    } catch {
      // already closed by a failed write
    }
    rmSync(this.tmp, { force: true });
  }
}

/**
 * Imports a HIBP downloader file (`HASH:COUNT` lines, sorted; 40 hex = SHA-1, 32 hex = NTLM).
 * Streams the file; `onProgress` gets bytes read and the file size.
 */
export async function importHibpFile(
  file: string,
  dest: (mode: HashMode) => string,
  onProgress?: (read: number, total: number) => void,
): Promise<{ mode: HashMode; count: number; path: string }> {
  const total = statSync(file).size;
  const stream = createReadStream(file, { highWaterMark: 1 << 20 });
  let read = 0;
  stream.on('data', (c) => {
    read += c.length;
    onProgress?.(read, total);
  });
  let w: RangeStoreWriter | undefined;
  let lineNo = 0;
  try {
    for await (const raw of createInterface({ input: stream, crlfDelay: Infinity })) {
      lineNo++;
      const line = raw.trim();
      if (!line) continue;
      const colon = line.indexOf(':');
      const hex = colon < 0 ? line : line.slice(0, colon);
      const count = colon < 0 ? 1 : Number(line.slice(colon + 1));
      if (!w) {
        const mode: HashMode | undefined = hex.length === 40 ? 'sha1' : hex.length === 32 ? 'ntlm' : undefined;
        if (!mode) throw new ImportError(`line ${lineNo}: expected a 40-hex SHA-1 or 32-hex NTLM hash (range files with 35-hex suffixes are not full hashes)`);
        w = new RangeStoreWriter(dest(mode), mode);
      }
      if (hex.length !== HASH_BYTES[w.mode] * 2 || !/^[0-9a-fA-F]+$/.test(hex) || !Number.isInteger(count) || count < 0) {
        throw new ImportError(`line ${lineNo}: not a HASH:COUNT line of the file's hash type`);
      }
      try {
        w.add(Buffer.from(hex, 'hex'), count);
      } catch (e) {
        throw new ImportError(`line ${lineNo}: ${(e as Error).message}`);
      }
    }
    if (!w) throw new ImportError('the file has no hashes');
    const r = w.finish();
    return { mode: w.mode, count: r.count, path: dest(w.mode) };
  } catch (e) {
    w?.abort();
    throw e;
  }
}

/** Writes the header and prefix index for records already in place (per-prefix counts). */
export function writeHeaderAndIndex(fd: number, mode: HashMode, counts: Uint32Array) {
  const index = Buffer.alloc(INDEX_BYTES);
  let acc = 0;
  for (let p = 0; p < PREFIXES; p++) {
    index.writeUInt32LE(acc, p * 4);
    acc += counts[p]!;
  }
  index.writeUInt32LE(acc, PREFIXES * 4);
  const head = Buffer.alloc(HEADER_BYTES);
  head.write(MAGIC, 0, 'latin1');
  head[8] = MODE_CODE[mode];
  head[9] = HASH_BYTES[mode];
  head.writeUInt16LE(recordBytes(mode), 10);
  head.writeBigUInt64LE(BigInt(acc), 16);
  writeSync(fd, index, 0, index.length, HEADER_BYTES);
  writeSync(fd, head, 0, head.length, 0);
}
