// Key providers wrap and unwrap data keys with a master key that never leaves the provider.
// The local provider holds the master key from FANZHA_MASTER_KEY or the data directory's key file;
// a cloud KMS provider implements the same two calls (and `kid`) without touching callers.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { deriveKey } from './field-cipher.ts';

export interface KeyProvider {
  /** Stable id of the master key (not secret), stored next to every key it wrapped. */
  readonly kid: string;
  /** Wraps key material; `context` (e.g. "vault_keys/dk_…") is bound to the result. */
  wrap(plain: Buffer, context: string): Promise<string>;
  unwrap(wrapped: string, context: string): Promise<Buffer>;
}

export class KeyUnwrapError extends Error {
  override name = 'KeyUnwrapError';
}

/** AES-256-GCM key wrapping under a local master key (file or environment). */
export class LocalKeyProvider implements KeyProvider {
  readonly kid: string;
  private readonly kek: Buffer;
  constructor(master: Buffer) {
    // The wrapping key and the id are derived so the master key itself is never used directly.
    this.kek = deriveKey(master, 'key-wrap');
    this.kid = 'mk_' + deriveKey(master, 'key-id').subarray(0, 6).toString('hex');
  }
  async wrap(plain: Buffer, context: string): Promise<string> {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.kek, iv);
    c.setAAD(Buffer.from(context));
    const ct = Buffer.concat([c.update(plain), c.final(), c.getAuthTag()]);
    return `lk1.${this.kid}.${iv.toString('base64url')}.${ct.toString('base64url')}`;
  }
  async unwrap(wrapped: string, context: string): Promise<Buffer> {
    const [v, kid, ivText, ctText] = wrapped.split('.');
    if (v !== 'lk1' || !ivText || !ctText) throw new KeyUnwrapError('unrecognised wrapped key format');
    if (kid !== this.kid) throw new KeyUnwrapError(`key was wrapped by master key ${kid}, this process has ${this.kid}`);
    const data = Buffer.from(ctText, 'base64url');
    try {
      const d = createDecipheriv('aes-256-gcm', this.kek, Buffer.from(ivText, 'base64url'));
      d.setAAD(Buffer.from(context));
      d.setAuthTag(data.subarray(data.length - 16));
      return Buffer.concat([d.update(data.subarray(0, data.length - 16)), d.final()]);
    } catch {
      throw new KeyUnwrapError('wrapped key failed authentication');
    }
  }
}
