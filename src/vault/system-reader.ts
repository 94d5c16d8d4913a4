// The vault's gate for reads made by fanzha itself (notices, export files, canary events): the
// one place outside the HTTP views where sealed personal data is opened. Every call either
// appends the access entries first or checks that the access was already recorded, and returns
// nothing it could not account for (fail closed: no entry, no data).
import type { ShopService } from '../shop/shop.service.ts';
import type { CustomersTable } from '../shop/shop.tables.ts';
import type { NewEntry } from '../audit/chain.ts';
import type { Address } from './masking.ts';
import { FieldCipher } from './field-cipher.ts';
import { FIELD_BIT } from '../lib/fields.ts';

/** Clear values of one customer; only the fields asked for are present. */
export interface ClearFields {
  name?: string;
  phone?: string;
  email?: string;
  address?: Address;
}

/** Customers read for one purpose with one set of fields (a bit mask over ACCESS_FIELDS). */
export interface SystemRead {
  ids: readonly string[];
  purpose: string;
  fields: number;
}

export interface SystemReaderDeps {
  cipher: FieldCipher;
  shop: ShopService;
  /** Appends entries to the access log; throws when it cannot (the audit area's record). */
  record: (entries: NewEntry[]) => Promise<unknown>;
  /** Customers an export reached, from its recorded access rows (the audit area's reads). */
  exportCustomers?: (exportId: string, principalId: string) => Promise<Set<string>>;
  /** Loads a data key another node created, before a ciphertext sealed with it is opened. */
  ensureKey?: (keyId: string | undefined) => Promise<void>;
  now?: () => number;
}

const COLUMN: Record<keyof ClearFields, { bit: number; col: 'name_enc' | 'phone_enc' | 'email_enc' | 'address_enc' }> = {
  name: { bit: FIELD_BIT.name, col: 'name_enc' },
  phone: { bit: FIELD_BIT.phone, col: 'phone_enc' },
  email: { bit: FIELD_BIT.email, col: 'email_enc' },
  address: { bit: FIELD_BIT.address, col: 'address_enc' },
};

export class SystemReader {
  private readonly now: () => number;
  constructor(private readonly deps: SystemReaderDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** Opens the fields of `mask` of one sealed row. */
  private async open(row: CustomersTable, mask: number): Promise<ClearFields> {
    const out: ClearFields = {};
    for (const [field, { bit, col }] of Object.entries(COLUMN) as [keyof ClearFields, (typeof COLUMN)[keyof ClearFields]][]) {
      const sealed = row[col];
      if (!(mask & bit) || !sealed) continue;
      await this.deps.ensureKey?.(FieldCipher.keyIdOf(sealed));
      const plain = this.deps.cipher.decrypt(sealed, `customers/${row.id}/${field}`);
      if (field === 'address') out.address = JSON.parse(plain) as Address;
      else out[field] = plain;
    }
    return out;
  }

  private async openAll(rows: Map<string, CustomersTable>, masks: Map<string, number>): Promise<Map<string, ClearFields>> {
    const out = new Map<string, ClearFields>();
    for (const [id, mask] of masks) {
      const row = rows.get(id);
      if (row) out.set(id, await this.open(row, mask));
    }
    return out;
  }

  /**
   * Reads customers' data for a system principal: one access entry per (read, stored customer)
   * is appended, then the asked fields are decrypted. Throws (nothing decrypted) when the entries
   * cannot be appended. Customers not stored yet are absent from the result and get no entry.
   */
  async readForSystem(principal: string, reads: readonly SystemRead[], opts: { channel?: string; at?: number } = {}): Promise<Map<string, ClearFields>> {
    const rows = new Map((await this.deps.shop.customers(reads.flatMap((r) => r.ids))).map((r) => [r.id, r]));
    const at = opts.at ?? this.now();
    const entries: NewEntry[] = [];
    const masks = new Map<string, number>();
    for (const r of reads) {
      for (const id of r.ids) {
        if (!rows.has(id)) continue;
        entries.push({
          source: 'vault',
          principal_id: principal,
          customer_id: id,
          fields: r.fields,
          purpose: r.purpose,
          channel: opts.channel ?? 'system',
          at,
          recorded_at: at,
        });
        masks.set(id, (masks.get(id) ?? 0) | r.fields);
      }
    }
    if (entries.length) await this.deps.record(entries);
    return this.openAll(rows, masks);
  }

  /**
   * Reads the customers of an export file for its recipient: the export's access entries were
   * appended when it was recorded (export.created), so they are checked, not appended again. Only
   * customers those entries name are opened.
   */
  async readForExport(exportId: string, recipient: string, fields: number, ids: readonly string[]): Promise<Map<string, ClearFields>> {
    if (!this.deps.exportCustomers) throw new Error('the vault cannot check export entries here (no audit reads)');
    const reached = await this.deps.exportCustomers(exportId, recipient);
    const allowed = [...new Set(ids)].filter((id) => reached.has(id));
    const rows = new Map((await this.deps.shop.customers(allowed)).map((r) => [r.id, r]));
    return this.openAll(rows, new Map(allowed.map((id) => [id, fields])));
  }

  /**
   * Opens canary customers' fabricated identities (names, contacts, addresses fanzha made up to
   * plant): not personal data, so not logged — every row is checked to be a canary, and any other
   * id is refused.
   */
  async readCanaryIdentities(
    ids: readonly string[],
    fields: number = FIELD_BIT.name | FIELD_BIT.phone | FIELD_BIT.email | FIELD_BIT.address,
  ): Promise<Map<string, ClearFields>> {
    const rows = await this.deps.shop.customers(ids);
    const canaries = new Map(rows.filter((r) => Number(r.canary) === 1).map((r) => [r.id, r]));
    return this.openAll(canaries, new Map([...canaries.keys()].map((id) => [id, fields])));
  }
}
