// Breached-password range queries (Have I Been Pwned's k-anonymity API): the caller sends the
// first 5 hex digits of the hash and gets every suffix with that prefix, so the full hash — let
// alone the password — never leaves the caller.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { RangeStore } from './range-store.ts';
import { buildStarterStore } from './starter-corpus.ts';
import { hashPassword, HASH_BYTES, type HashMode } from './hashes.ts';

export const MODES: readonly HashMode[] = ['sha1', 'ntlm'];

export class PasswordsService {
  private readonly stores = new Map<HashMode, { store: RangeStore; mtimeMs: number; checkedAt: number }>();

  constructor(
    readonly dir: string,
    private readonly logger?: Logger,
  ) {}

  storePath(mode: HashMode): string {
    return path.join(this.dir, `${mode}.fzpw`);
  }

  /** Builds the starter corpus for any mode that has no store yet. */
  ensureStarter(): void {
    for (const mode of MODES) {
      if (existsSync(this.storePath(mode))) continue;
      const n = buildStarterStore(this.storePath(mode), mode);
      this.logger?.info({ mode, hashes: n }, 'passwords: built the starter corpus');
    }
  }

  /** The open store for a mode; reopened when `fanzha passwords import` has replaced the file. */
  async store(mode: HashMode): Promise<RangeStore> {
    const now = Date.now();
    const cur = this.stores.get(mode);
    if (cur && now - cur.checkedAt < 30_000) return cur.store;
    const p = this.storePath(mode);
    if (!existsSync(p)) this.ensureStarter();
    const mtimeMs = statSync(p).mtimeMs;
    if (cur && cur.mtimeMs === mtimeMs) {
      cur.checkedAt = now;
      return cur.store;
    }
    const store = await RangeStore.open(p);
    this.stores.set(mode, { store, mtimeMs, checkedAt: now });
    if (cur) void cur.store.close().catch(() => {});
    return store;
  }

  /**
   * The HIBP response body: `SUFFIX:COUNT` lines (CRLF), uppercase hex. With padding, random
   * suffixes with count 0 bring the answer to 800–1000 lines so its size says nothing.
   */
  async rangeText(prefix: string, mode: HashMode, padding: boolean): Promise<string> {
    const store = await this.store(mode);
    const lines = (await store.range(prefix)).map((e) => `${e.suffix}:${e.count}`);
    if (padding) {
      const target = 800 + (randomBytes(2).readUInt16LE(0) % 201);
      const hexLen = HASH_BYTES[mode] * 2 - 5;
      while (lines.length < target)
        lines.push(
          `${randomBytes(Math.ceil(hexLen / 2))
            .toString('hex')
            .slice(0, hexLen)
            .toUpperCase()}:0`,
        );
      lines.sort();
    }
    return lines.join('\r\n');
  }

  /** How often a password appears in the corpus (0 = not breached), for server-side checks. */
  async timesSeen(password: string, mode: HashMode = 'sha1'): Promise<number> {
    return (await this.store(mode)).lookup(hashPassword(password, mode));
  }

  async close() {
    for (const s of this.stores.values()) await s.store.close();
    this.stores.clear();
  }
}
