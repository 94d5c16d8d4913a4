// The master key protects every data key (and, through them, every stored personal field).
// Accepted forms: 64 hex characters or base64/base64url of exactly 32 bytes.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync, chmodSync, statSync } from 'node:fs';
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
      "(generate one with: node -e \"console.log(require('crypto').randomBytes(32).toString('hex'))\")",
  );
}

/**
 * The master key: FANZHA_MASTER_KEY, else data/master.key, else a new key written there — but only
 * when no encrypted data exists yet (`dataExists`): a new key over a missing one would make every
 * stored field unreadable and hide the loss, so fanzha refuses and says to restore the backup.
 * A key file readable by group or others is refused (like ssh with a private key): anyone on the
 * host who can read it can read every stored personal field.
 */
export async function resolveMasterKey(
  masterKeyText: string | undefined,
  dataDir: string,
  dataExists: () => Promise<boolean> = async () => false,
): Promise<MasterKey> {
  if (masterKeyText !== undefined) return { key: parseMasterKey(masterKeyText), source: 'env' };
  const file = path.join(dataDir, 'master.key');
  if (existsSync(file)) {
    const mode = statSync(file).mode & 0o777;
    if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
      throw new ConfigError(
        `${file} is readable by other users (mode 0${mode.toString(8)}); run "chmod 600 ${file}" (or pass the key in FANZHA_MASTER_KEY from a secret store)`,
      );
    }
    try {
      return { key: parseMasterKey(readFileSync(file, 'utf8')), source: 'file', file };
    } catch (e) {
      throw new ConfigError(`${file}: ${(e as Error).message.replace('FANZHA_MASTER_KEY', 'the key file')}`);
    }
  }
  if (await dataExists()) {
    throw new ConfigError(
      `the master key is missing (no FANZHA_MASTER_KEY and no ${file}) but the database holds data encrypted under one. ` +
        'Restore your backup of master.key into the data directory (mode 0600) or set FANZHA_MASTER_KEY; fanzha will not create a new key, which would leave that data unreadable.',
    );
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  writeFileSync(file, key.toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return { key, source: 'generated', file };
}
