// Per-field authenticated encryption of personal data (AES-256-GCM) and keyed blind indexes.
// Ciphertexts name the key that sealed them ("v1.<keyId>.<iv>.<ct+tag>") so keys can rotate
// while old data stays readable. The additional data binds a ciphertext to its row and column:
// copying a phone ciphertext into another customer's row fails to decrypt.
import { createCipheriv, createDecipheriv, createHmac, randomBytes, hkdfSync } from 'node:crypto';

export interface DataKey {
  id: string;
  key: Buffer;
}

/** Supplies data keys. The vault's envelope key ring implements this; the default derives one from the master key. */
export interface KeyRing {
  active(): DataKey;
  get(id: string): DataKey | undefined;
  /** Key for blind indexes; stable across data-key rotation so lookups keep working. */
  indexKey(): Buffer;
}

export function deriveKey(master: Buffer, label: string): Buffer {
  return Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), `fanzha/${label}`, 32));
}

/** A key ring of one fixed data key (the ingest worker seals with the keys active when a batch arrived). */
export class FixedKeyRing implements KeyRing {
  constructor(
    private readonly key: DataKey,
    private readonly idx: Buffer,
  ) {}
  active() {
    return this.key;
  }
  get(id: string) {
    return id === this.key.id ? this.key : undefined;
  }
  indexKey() {
    return this.idx;
  }
}

/** A key ring holding one data key derived from the master key. */
export class DerivedKeyRing extends FixedKeyRing {
  constructor(master: Buffer) {
    super({ id: 'm0', key: deriveKey(master, 'data-key/m0') }, deriveKey(master, 'blind-index'));
  }
}

export class DecryptionError extends Error {
  override name = 'DecryptionError';
}

/** Random 96-bit GCM nonces, drawn from a pooled buffer: one getrandom call per 4,096 nonces. */
class NoncePool {
  private buf = Buffer.alloc(0);
  private off = 0;
  next(): Buffer {
    if (this.off + 12 > this.buf.length) {
      this.buf = randomBytes(12 * 4096);
      this.off = 0;
    }
    const iv = this.buf.subarray(this.off, this.off + 12);
    this.off += 12;
    return iv;
  }
}

export class FieldCipher {
  private readonly nonces = new NoncePool();
  constructor(private readonly ring: KeyRing) {}

  encrypt(plain: string, aad: string): string {
    const { id, key } = this.ring.active();
    const iv = this.nonces.next();
    const c = createCipheriv('aes-256-gcm', key, iv);
    c.setAAD(Buffer.from(aad));
    const ct = Buffer.concat([c.update(plain, 'utf8'), c.final(), c.getAuthTag()]);
    return `v1.${id}.${iv.toString('base64url')}.${ct.toString('base64url')}`;
  }

  decrypt(sealed: string, aad: string): string {
    const parts = sealed.split('.');
    if (parts.length !== 4 || parts[0] !== 'v1') throw new DecryptionError('unrecognised ciphertext format');
    const dk = this.ring.get(parts[1]!);
    if (!dk) throw new DecryptionError(`data key ${parts[1]} is not available`);
    const iv = Buffer.from(parts[2]!, 'base64url');
    const data = Buffer.from(parts[3]!, 'base64url');
    try {
      const d = createDecipheriv('aes-256-gcm', dk.key, iv);
      d.setAAD(Buffer.from(aad));
      d.setAuthTag(data.subarray(data.length - 16));
      return Buffer.concat([d.update(data.subarray(0, data.length - 16)), d.final()]).toString('utf8');
    } catch {
      throw new DecryptionError('ciphertext failed authentication');
    }
  }

  /** The keys sealing and indexing right now, for a FixedKeyRing in another thread. */
  currentKeys(): { active: DataKey; index: Buffer } {
    return { active: this.ring.active(), index: this.ring.indexKey() };
  }

  /** Id of the key that sealed a value, for lazy re-encryption. */
  static keyIdOf(sealed: string): string | undefined {
    return sealed.split('.')[1];
  }

  /** Keyed HMAC of an already-normalised value; `kind` separates domains (phone vs email vs order). */
  blindIndex(kind: string, normalized: string): string {
    return createHmac('sha256', this.ring.indexKey()).update(kind).update('\0').update(normalized).digest('base64url').slice(0, 32);
  }
}
