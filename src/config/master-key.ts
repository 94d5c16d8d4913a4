// The master key protects every data key (and, through them, every stored personal field).
// Accepted forms: 64 hex characters or base64/base64url of exactly 32 bytes.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from './config.ts';

export interface MasterKey {
  key: Buffer;
  /** Where it came from, for the start-up message (never the key itself). */
  source: 'env' | 'file' | 'generated';
  file?: string;
}

export function parseMasterKey(text: string): Buffer {
  const t = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(t)) return Buffer.from(t, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}={0,1}$/.test(t)) {
    const b = Buffer.from(t.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (b.length === 32) return b;
  }
  throw new ConfigError(
    'FANZHA_MASTER_KEY is malformed: it must be 32 random bytes written as 64 hex characters or as base64 ' +
      '(generate one with: node -e "console.log(require(\'crypto\').randomBytes(32).toString(\'hex\'))")',
  );
}

export function resolveMasterKey(masterKeyText: string | undefined, dataDir: string): MasterKey {
  if (masterKeyText !== undefined) return { key: parseMasterKey(masterKeyText), source: 'env' };
  const file = path.join(dataDir, 'master.key');
  if (existsSync(file)) {
    try {
      return { key: parseMasterKey(readFileSync(file, 'utf8')), source: 'file', file };
    } catch (e) {
      throw new ConfigError(`${file}: ${(e as Error).message.replace('FANZHA_MASTER_KEY', 'the key file')}`);
    }
  }
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, key.toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return { key, source: 'generated', file };
}
