// Envelope key ring: data keys (AES-256-GCM), the blind-index key and named secrets live in
// vault_keys, each wrapped by the master key provider. The ring keeps unwrapped keys in memory
// so FieldCipher stays synchronous; it reloads when it meets a key id it does not know (another
// node rotated) and on a timer.
//
// - Data-key rotation: a new random key becomes active; older keys are retired but kept, so old
//   ciphertexts stay readable; readers re-encrypt lazily and `reencryptCustomers` forces it.
// - Master-key rotation: every wrapped key is unwrapped with the old provider and re-wrapped with
//   the new one in one transaction. Data keys do not change, so no ciphertext is touched and
//   running processes (which hold unwrapped keys) keep serving: no downtime.
// - The blind-index key is created once and never rotated: lookups by phone/email must keep
//   matching rows indexed before any rotation.
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { deriveKey, type DataKey, type KeyRing } from './field-cipher.ts';
import { KeyUnwrapError, type KeyProvider } from './key-provider.ts';
import { newId } from '../lib/ids.ts';
import './vault.tables.ts';

/** Ids the foundation's DerivedKeyRing used; adopted on first start so earlier ciphertexts stay readable. */
const LEGACY_DATA_KEY = 'm0';
const INDEX_KEY_ID = 'bidx';

export interface KeyInfo {
  id: string;
  purpose: string;
  state: string;
  wrapKid: string;
  createdAt: number;
}

export class EnvelopeKeyRing implements KeyRing {
  private data = new Map<string, DataKey>();
  private activeId = '';
  private index: Buffer | null = null;
  private secrets = new Map<string, Buffer>();
  private loading: Promise<void> | null = null;

  private constructor(
    private readonly db: Kysely<DB>,
    private provider: KeyProvider,
  ) {}

  /**
   * Opens the ring, creating it on first use. `legacyMaster` (the master key) lets the first start
   * adopt the keys the foundation derived from it, so data sealed before the ring existed is readable.
   */
  static async open(db: Kysely<DB>, provider: KeyProvider, legacyMaster?: Buffer): Promise<EnvelopeKeyRing> {
    const ring = new EnvelopeKeyRing(db, provider);
    await ring.initialise(legacyMaster);
    await ring.reload();
    return ring;
  }

  get providerKid() {
    return this.provider.kid;
  }

  /** True when the database holds wrapped keys (a master key must then exist already). */
  static async hasKeys(db: Kysely<DB>): Promise<boolean> {
    return (await db.selectFrom('vault_keys').select('id').limit(1).execute()).length > 0;
  }

  private async initialise(legacyMaster?: Buffer) {
    const existing = await this.db.selectFrom('vault_keys').select('id').where('purpose', 'in', ['data', 'index']).execute();
    if (existing.length >= 2) return;
    const now = Date.now();
    const dataKey = legacyMaster ? deriveKey(legacyMaster, `data-key/${LEGACY_DATA_KEY}`) : randomBytes(32);
    const indexKey = legacyMaster ? deriveKey(legacyMaster, 'blind-index') : randomBytes(32);
    const rows = [
      { id: LEGACY_DATA_KEY, purpose: 'data', key: dataKey },
      { id: INDEX_KEY_ID, purpose: 'index', key: indexKey },
    ];
    for (const r of rows) {
      // Several nodes may start at once: the first insert wins, the others read it.
      await this.db
        .insertInto('vault_keys')
        .values({
          id: r.id,
          purpose: r.purpose,
          wrapped: await this.provider.wrap(r.key, `vault_keys/${r.id}`),
          wrap_kid: this.provider.kid,
          state: 'active',
          created_at: now,
          rotated_at: null,
        })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    }
  }

  /** Reloads keys from storage; keys that cannot be unwrapped (wrapped by a newer master) keep their in-memory copy. */
  async reload(): Promise<void> {
    if (this.loading) return this.loading;
    this.loading = (async () => {
      const rows = await this.db.selectFrom('vault_keys').selectAll().execute();
      for (const r of rows) {
        let key: Buffer;
        try {
          if (r.purpose === 'data' && this.data.has(r.id)) key = this.data.get(r.id)!.key;
          else if (r.purpose === 'index' && this.index) key = this.index;
          else if (this.secrets.has(r.id)) key = this.secrets.get(r.id)!;
          else key = await this.provider.unwrap(r.wrapped, `vault_keys/${r.id}`);
        } catch (e) {
          if (e instanceof KeyUnwrapError && (this.data.size > 0 || this.index)) continue;
          throw e;
        }
        if (r.purpose === 'data') {
          this.data.set(r.id, { id: r.id, key });
          if (r.state === 'active') this.activeId = r.id;
        } else if (r.purpose === 'index') this.index = key;
        else this.secrets.set(r.id, key);
      }
      if (!this.activeId || !this.index) throw new Error('the vault key ring has no active data key or no index key');
    })().finally(() => {
      this.loading = null;
    });
    return this.loading;
  }

  active(): DataKey {
    return this.data.get(this.activeId)!;
  }
  get(id: string): DataKey | undefined {
    return this.data.get(id);
  }
  indexKey(): Buffer {
    return this.index!;
  }

  /** Makes sure a key id met in a ciphertext is loaded (another node may have rotated). */
  async ensure(id: string | undefined): Promise<void> {
    if (id && !this.data.has(id)) await this.reload();
  }

  /** A named 32-byte secret (e.g. the audit signing seed), created on first use and wrapped like data keys. */
  async secret(name: string): Promise<Buffer> {
    const id = `secret:${name}`;
    if (this.secrets.has(id)) return this.secrets.get(id)!;
    await this.db
      .insertInto('vault_keys')
      .values({
        id,
        purpose: 'secret',
        wrapped: await this.provider.wrap(randomBytes(32), `vault_keys/${id}`),
        wrap_kid: this.provider.kid,
        state: 'active',
        created_at: Date.now(),
        rotated_at: null,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    const row = await this.db.selectFrom('vault_keys').select('wrapped').where('id', '=', id).executeTakeFirstOrThrow();
    const key = await this.provider.unwrap(row.wrapped, `vault_keys/${id}`);
    this.secrets.set(id, key);
    return key;
  }

  /** Creates a new active data key; the previous ones are retired (still decrypt). Returns its id. */
  async rotateDataKey(): Promise<string> {
    const id = newId('dk', 8);
    const wrapped = await this.provider.wrap(randomBytes(32), `vault_keys/${id}`);
    const now = Date.now();
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('vault_keys').set({ state: 'retired', rotated_at: now }).where('purpose', '=', 'data').where('state', '=', 'active').execute();
      await trx
        .insertInto('vault_keys')
        .values({ id, purpose: 'data', wrapped, wrap_kid: this.provider.kid, state: 'active', created_at: now, rotated_at: null })
        .execute();
    });
    await this.reload();
    return id;
  }

  /**
   * Re-wraps every key under `next` in one transaction (all or nothing) and switches this ring to it.
   * Keys not wrapped by the current provider fail the whole rotation: nothing is left half-done.
   */
  async rotateMaster(next: KeyProvider): Promise<number> {
    let n = 0;
    await this.db.transaction().execute(async (trx) => {
      const rows = await trx.selectFrom('vault_keys').selectAll().execute();
      for (const r of rows) {
        if (r.wrap_kid === next.kid) continue;
        const key = await this.provider.unwrap(r.wrapped, `vault_keys/${r.id}`);
        const wrapped = await next.wrap(key, `vault_keys/${r.id}`);
        await trx.updateTable('vault_keys').set({ wrapped, wrap_kid: next.kid }).where('id', '=', r.id).where('wrapped', '=', r.wrapped).execute();
        n++;
      }
    });
    this.provider = next;
    return n;
  }

  async list(): Promise<KeyInfo[]> {
    const rows = await this.db.selectFrom('vault_keys').selectAll().orderBy('created_at').execute();
    return rows.map((r) => ({ id: r.id, purpose: r.purpose, state: r.state, wrapKid: r.wrap_kid, createdAt: Number(r.created_at) }));
  }
}
