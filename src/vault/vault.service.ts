// The vault: every read of personal data goes through here. A read is decrypted, cut down to what
// the caller's role may see, recorded in the access log, and only then returned — if the log
// cannot be written, nothing is returned (fail closed).
import { containsPii } from '../lib/pii-text.ts';
import { randomBytes } from 'node:crypto';
import type { Database } from '../db/database.ts';
import type { CustomersTable } from '../shop/shop.tables.ts';
import { SEALED, type SealedColumn, type ShopService } from '../shop/shop.service.ts';
import { FieldCipher } from './field-cipher.ts';
import type { EnvelopeKeyRing } from './key-ring.ts';
import { VaultRepository } from './vault.repository.ts';
import { SystemReader } from './system-reader.ts';
import { revealCounts } from '../audit/access-reads.ts';
import { maskingConfig, viewAddress, viewValue, type Address, type FieldView, type MaskingConfig, type VaultField } from './masking.ts';
import { FIELD_BIT, fieldsToMask } from '../lib/fields.ts';
import { normalizePhone } from '../lib/phone.ts';
import type { Role, Caller } from '../http/roles.ts';
import { AppendRefused, AuditUnavailableError, type AuditService } from '../audit/audit.service.ts';
import { DomainError, type ErrorCategory, type ProblemShape } from '../lib/errors.ts';
import type { AlertService } from '../audit/alerts.ts';
import type { NewEntry } from '../audit/chain.ts';

export interface CustomerView {
  id: string;
  name: string | null;
  phone: string | null;
  email: string | null;
  address: Address | null;
  lang: string | null;
  masked: boolean;
}

export interface Quota {
  hour: number;
  day: number;
}

export interface VaultConfig {
  masking: MaskingConfig;
  quotas: Partial<Record<Role, Quota>>;
  revealRoles: Role[];
}

export const DEFAULT_QUOTAS: Partial<Record<Role, Quota>> = {
  agent: { hour: 10, day: 40 },
  analyst: { hour: 30, day: 150 },
  admin: { hour: 30, day: 150 },
};

export function vaultConfig(areas: Record<string, unknown>): VaultConfig {
  const c = (areas.vault ?? {}) as { quotas?: Partial<Record<Role, Quota>>; revealRoles?: Role[] };
  return { masking: maskingConfig(areas), quotas: { ...DEFAULT_QUOTAS, ...c.quotas }, revealRoles: c.revealRoles ?? ['agent', 'analyst', 'admin'] };
}

export type VaultErrorCode = 'not-found' | 'invalid' | 'forbidden' | 'quota' | 'unavailable';

/** How each failure reads in the API (src/http/error-handler.ts maps the category to a status). */
const VAULT_PROBLEMS: Record<VaultErrorCode, { category: ErrorCategory; problem(message: string, retryAfterSeconds: number): ProblemShape }> = {
  'not-found': { category: 'not-found', problem: (m) => ({ detail: `No such ${m}.` }) },
  invalid: { category: 'invalid', problem: () => ({}) },
  forbidden: { category: 'forbidden', problem: () => ({}) },
  quota: { category: 'rate-limited', problem: (_m, retryAfterSeconds) => ({ type: 'reveal-quota', retryAfterSeconds }) },
  unavailable: { category: 'unavailable', problem: () => ({ type: 'access-log-unavailable', title: 'Access log unavailable' }) },
};
export class VaultError extends DomainError {
  override name = 'VaultError';
  constructor(
    readonly code: VaultErrorCode,
    message: string,
    readonly retryAfterSeconds = 0,
  ) {
    super(VAULT_PROBLEMS[code].category, message, VAULT_PROBLEMS[code].problem(message, retryAfterSeconds));
  }
}

class QuotaExceeded extends AppendRefused {
  constructor(
    readonly period: 'hour' | 'day',
    readonly limit: number,
    readonly retryAfterSeconds: number,
  ) {
    super(`reveal quota of ${limit} per ${period} reached`);
  }
}

export const TOKEN_KINDS = ['phone', 'email', 'name', 'address', 'text'] as const;
export type TokenKind = (typeof TOKEN_KINDS)[number];
const TOKEN_FIELD: Record<TokenKind, number> = { phone: FIELD_BIT.phone, email: FIELD_BIT.email, name: FIELD_BIT.name, address: FIELD_BIT.address, text: 0 };

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export function principalOf(caller: Caller): string {
  return caller.principalId ?? `key:${caller.keyId}`;
}

/** Free text stored in the log (purpose, ticket) must not carry personal data itself. */
export function checkFreeText(name: string, value: string | undefined) {
  if (value !== undefined && containsPii(value))
    throw new VaultError('invalid', `"${name}" must not contain phone numbers, long digit runs or e-mail addresses`);
}

/**
 * A reveal's purpose or ticket must not quote the customer being revealed: names and addresses
 * cannot be told apart from other words in general, but this customer's own values can (the
 * access log is not encrypted, so "call back 王芳" would put the name there in clear).
 */
function refuseOwnValues(clear: Clear, texts: Record<string, string | undefined>) {
  const own = [clear.name, clear.email, clear.phone, clear.phone?.replace(/^\+86/, ''), clear.address?.line].filter(
    (v): v is string => !!v && v.trim().length >= 2,
  );
  for (const [name, text] of Object.entries(texts)) {
    if (!text) continue;
    const t = text.normalize('NFKC').toLowerCase();
    if (own.some((v) => t.includes(v.normalize('NFKC').toLowerCase())))
      throw new VaultError('invalid', `"${name}" must not quote the customer's personal data; name the ticket or the task instead`);
  }
}

type Clear = { name?: string; phone?: string; email?: string; address?: Address };

export class VaultService {
  private readonly repo: VaultRepository;
  /** The gate for fanzha's own reads (notices, export files, canary events): see system-reader.ts. */
  readonly system: SystemReader;
  constructor(
    private readonly database: Database,
    private readonly cipher: FieldCipher,
    private readonly keys: EnvelopeKeyRing,
    private readonly audit: AuditService,
    private readonly alerts: AlertService,
    readonly config: VaultConfig,
    private readonly shop: ShopService,
    private readonly now: () => number = Date.now,
  ) {
    this.repo = new VaultRepository(database.db);
    this.system = new SystemReader({
      cipher,
      shop,
      record: (entries) => this.record(entries),
      exportCustomers: (exportId, principal) => audit.reads.exportCustomers(exportId, principal),
      ensureKey: (id) => keys.ensure(id),
      now,
    });
  }

  /** Decrypts customers' data for a system principal, appending the access entries first (fail closed). */
  readForSystem(...args: Parameters<SystemReader['readForSystem']>) {
    return this.system.readForSystem(...args);
  }

  /**
   * Consulted before every reveal and detokenisation: true when the principal's reveals are
   * frozen (an incident contained it). Owned by the incidents area, which sets it at setup.
   */
  private frozenCheck: ((principal: string) => Promise<boolean>) | undefined;
  setFrozenCheck(check: (principal: string) => Promise<boolean>) {
    this.frozenCheck = check;
  }
  private async refuseIfFrozen(principals: (string | null | undefined)[]) {
    if (!this.frozenCheck) return;
    for (const p of principals)
      if (p && (await this.frozenCheck(p))) throw new VaultError('forbidden', 'reveals are frozen for this principal (leak incident)');
  }

  /**
   * The masking rules in force: the configuration's, unless the vault area installed a source of
   * rules edited at run time (PUT /v1/settings/masking), read per request so a change applies live.
   */
  private maskingSource: (() => Promise<MaskingConfig>) | undefined;
  setMaskingSource(source: () => Promise<MaskingConfig>) {
    this.maskingSource = source;
  }
  private async masking(): Promise<MaskingConfig> {
    return this.maskingSource ? this.maskingSource() : this.config.masking;
  }

  private async views(role: Role): Promise<{ m: MaskingConfig; views: Record<VaultField, FieldView> }> {
    const m = await this.masking();
    return { m, views: m.roles[role] ?? { name: 'hide', phone: 'hide', email: 'hide', address: 'hide' } };
  }

  /** Decrypts a customer's sealed columns (loading keys other nodes created) and re-seals lazily under the active key. */
  private async open(row: CustomersTable): Promise<Clear> {
    const out: Clear = {};
    const active = this.keys.active().id;
    const stale: Partial<Record<SealedColumn, string>> = {};
    const resealed: Partial<Record<SealedColumn, string>> = {};
    for (const col of SEALED) {
      const sealed = row[col];
      if (!sealed) continue;
      const field = col.slice(0, -4) as VaultField;
      const aad = `customers/${row.id}/${field}`;
      await this.keys.ensure(FieldCipher.keyIdOf(sealed));
      const plain = this.cipher.decrypt(sealed, aad);
      if (field === 'address') out.address = JSON.parse(plain) as Address;
      else out[field] = plain;
      if (FieldCipher.keyIdOf(sealed) !== active) {
        stale[col] = sealed;
        resealed[col] = this.cipher.encrypt(plain, aad);
      }
    }
    // Lazy re-encryption after a data-key rotation; a concurrent upsert wins (compare-and-set).
    if (Object.keys(stale).length) await this.shop.resealCustomer(row.id, stale, resealed).catch(() => false);
    return out;
  }

  private shape(
    row: CustomersTable,
    clear: Clear,
    { m, views }: { m: MaskingConfig; views: Record<VaultField, FieldView> },
  ): { view: CustomerView; fields: number } {
    const view: CustomerView = {
      id: row.id,
      name: clear.name !== undefined ? viewValue('name', clear.name, views.name, m) : null,
      phone: clear.phone !== undefined ? viewValue('phone', clear.phone, views.phone, m) : null,
      email: clear.email !== undefined ? viewValue('email', clear.email, views.email, m) : null,
      address: clear.address
        ? viewAddress(clear.address, views.address)
        : row.province
          ? viewAddress({ province: row.province, city: row.city ?? '' }, views.address)
          : null,
      lang: row.lang,
      masked: Object.values(views).some((v) => v !== 'clear'),
    };
    let fields = 0;
    if (view.name !== null) fields |= FIELD_BIT.name;
    if (view.phone !== null) fields |= FIELD_BIT.phone;
    if (view.email !== null) fields |= FIELD_BIT.email;
    if (view.address !== null) fields |= FIELD_BIT.address;
    return { view, fields };
  }

  private entry(caller: Caller, e: Omit<NewEntry, 'source' | 'principal_id' | 'at' | 'recorded_at'> & { principal?: string }): NewEntry {
    const t = this.now();
    const { principal, ...rest } = e;
    return { source: 'vault', principal_id: principal ?? principalOf(caller), key_id: caller.keyId, at: t, recorded_at: t, ...rest };
  }

  /** Appends or refuses: the caller's data is returned only after this resolves. */
  private async record(entries: NewEntry[], guard?: Parameters<AuditService['record']>[1]) {
    try {
      await this.audit.record(entries, guard);
    } catch (e) {
      if (e instanceof AuditUnavailableError)
        throw new VaultError('unavailable', 'The access could not be recorded, so no personal data is returned. Try again later.');
      throw e;
    }
  }

  async customerView(caller: Caller, id: string): Promise<CustomerView> {
    const row = await this.shop.customer(id);
    if (!row) throw new VaultError('not-found', 'customer');
    const { view, fields } = this.shape(row, await this.open(row), await this.views(caller.role));
    await this.record([this.entry(caller, { customer_id: id, fields, purpose: 'masked view', channel: 'view' })]);
    return view;
  }

  async orderView(caller: Caller, id: string) {
    const order = await this.shop.order(id);
    if (!order) throw new VaultError('not-found', 'order');
    const [refunds, crow] = await Promise.all([this.shop.refundsOf(id), this.shop.customer(order.customer_id)]);
    let customer: CustomerView | null = null;
    let fields = FIELD_BIT.orderNo | FIELD_BIT.items | FIELD_BIT.price | FIELD_BIT.placedAt | (refunds.length ? FIELD_BIT.refund : 0);
    if (crow) {
      const s = this.shape(crow, await this.open(crow), await this.views(caller.role));
      customer = s.view;
      fields |= s.fields;
    }
    await this.record([this.entry(caller, { customer_id: order.customer_id, order_id: id, fields, purpose: 'masked view', channel: 'view' })]);
    return {
      id: order.id,
      customerId: order.customer_id,
      items: JSON.parse(order.items) as unknown[],
      total: Number(order.total_minor) / 100,
      currency: order.currency,
      placedAt: Number(order.placed_at),
      refunds: refunds.map((r) => ({ id: r.id, state: r.state, requestedAt: r.requested_at === null ? null : Number(r.requested_at) })),
      customer,
    };
  }

  /** Exact lookup through the blind index: the value is normalised and HMAC'd, never compared in clear. */
  async lookup(caller: Caller, q: { phone?: string; email?: string }): Promise<CustomerView[]> {
    let rows: CustomersTable[];
    if (q.phone !== undefined) {
      const p = normalizePhone(q.phone);
      if (!p) throw new VaultError('invalid', '"phone" is not a valid phone number');
      rows = await this.shop.customersByIndex('phone_bidx', this.cipher.blindIndex('phone', p), 20);
    } else if (q.email !== undefined) {
      rows = await this.shop.customersByIndex('email_bidx', this.cipher.blindIndex('email', q.email.trim().toLowerCase()), 20);
    } else throw new VaultError('invalid', 'give "phone" or "email"');
    const views = await this.views(caller.role);
    const out: { view: CustomerView; fields: number }[] = [];
    for (const r of rows) out.push(this.shape(r, await this.open(r), views));
    if (out.length) await this.record(out.map((o) => this.entry(caller, { customer_id: o.view.id, fields: o.fields, purpose: 'lookup', channel: 'lookup' })));
    return out.map((o) => o.view);
  }

  /** Reveals clear values with a purpose, within the role's hourly and daily quota. */
  async reveal(caller: Caller, id: string, req: { fields: VaultField[]; purpose: string; ticket?: string }) {
    if (!this.config.revealRoles.includes(caller.role)) throw new VaultError('forbidden', `role "${caller.role}" may not reveal personal data`);
    checkFreeText('purpose', req.purpose);
    checkFreeText('ticket', req.ticket);
    await this.refuseIfFrozen([principalOf(caller)]);
    const row = await this.shop.customer(id);
    if (!row) throw new VaultError('not-found', 'customer');
    const clear = await this.open(row);
    refuseOwnValues(clear, { purpose: req.purpose, ticket: req.ticket });
    const values: { name?: string | null; phone?: string | null; email?: string | null; address?: Address | null } = {};
    for (const f of req.fields) (values as Record<string, unknown>)[f] = clear[f] ?? null;
    const principal = principalOf(caller);
    const quota = this.config.quotas[caller.role];
    const now = this.now();
    const guard = async (trx: Parameters<NonNullable<Parameters<AuditService['record']>[1]>>[0]) => {
      if (!quota) return;
      // Counted under the chain lock, so concurrent reveals cannot both slip under the limit.
      const r = await revealCounts(trx, principal, now, HOUR, DAY);
      if (r.hour >= quota.hour) throw new QuotaExceeded('hour', quota.hour, Math.max(1, Math.ceil((Number(r.firstHour) + HOUR - now) / 1000)));
      if (r.day >= quota.day) throw new QuotaExceeded('day', quota.day, Math.max(1, Math.ceil((Number(r.first) + DAY - now) / 1000)));
    };
    try {
      await this.record(
        [this.entry(caller, { customer_id: id, fields: fieldsToMask(req.fields), purpose: req.purpose, channel: 'reveal', ticket: req.ticket ?? null })],
        guard,
      );
    } catch (e) {
      if (e instanceof QuotaExceeded) {
        const w = Math.floor(now / HOUR) * HOUR;
        await this.alerts
          .raise({
            rule: 'reveal-quota-exceeded',
            principalId: principal,
            severity: 'high',
            detail: { period: e.period, limit: e.limit, role: caller.role },
            windowStart: w,
            windowEnd: w + HOUR,
          })
          .catch(() => undefined);
        throw new VaultError('quota', `Reveal quota reached (${e.limit} per ${e.period} for role ${caller.role}).`, e.retryAfterSeconds);
      }
      throw e;
    }
    if (!req.ticket) {
      const w = Math.floor(now / HOUR) * HOUR;
      await this.alerts
        .raise({ rule: 'reveal-without-ticket', principalId: principal, severity: 'low', detail: { customerId: id }, windowStart: w, windowEnd: w + HOUR })
        .catch(() => undefined);
    }
    return { id, fields: values, purpose: req.purpose, ticket: req.ticket ?? null };
  }

  private normalizeToken(kind: TokenKind, value: string): string | null {
    if (kind === 'phone') return normalizePhone(value);
    if (kind === 'email') {
      const e = value.trim().toLowerCase();
      return /^[^\s@]+@[^\s@]+$/.test(e) ? e : null;
    }
    const t = value.normalize('NFC').trim();
    return t.length ? t : null;
  }

  /** Returns one token per item, the same token for the same normalised value. Invalid items are reported by index. */
  async tokenize(items: { kind: TokenKind; value: string; customerId?: string }[]): Promise<{ tokens: (string | null)[]; invalid: number[] }> {
    const tokens: (string | null)[] = [];
    const invalid: number[] = [];
    for (let i = 0; i < items.length; i++) {
      const it = items[i]!;
      const norm = this.normalizeToken(it.kind, it.value);
      if (norm === null) {
        tokens.push(null);
        invalid.push(i);
        continue;
      }
      const bidx = this.cipher.blindIndex(`token/${it.kind}`, norm);
      let found = await this.repo.tokenByBidx(it.kind, bidx);
      if (!found) {
        const id = 'tok_' + randomBytes(18).toString('base64url');
        await this.repo.insertToken({
          id,
          kind: it.kind,
          value_enc: this.cipher.encrypt(norm, `vault_tokens/${id}/value`),
          value_bidx: bidx,
          customer_id: it.customerId ?? null,
          created_at: this.now(),
        });
        found = await this.repo.tokenByBidx(it.kind, bidx);
      }
      tokens.push(found!.id);
    }
    return { tokens, invalid };
  }

  /** Clear values for tokens, each recorded as an access by the principal the caller acts for. */
  async detokenize(caller: Caller, req: { tokens: string[]; principalId?: string; purpose: string; ticket?: string }) {
    checkFreeText('purpose', req.purpose);
    checkFreeText('ticket', req.ticket);
    // a bound key acts only as its own principal: naming another would log the read in its name
    if (caller.principalId && req.principalId && req.principalId !== caller.principalId) {
      throw new VaultError('forbidden', 'a key bound to a principal may detokenise only as that principal');
    }
    const principal = req.principalId ?? (caller.principalId ? caller.principalId : undefined);
    if (!principal) throw new VaultError('invalid', '"principalId" is required: name the staff account or system this detokenisation is for');
    await this.refuseIfFrozen([principal, caller.principalId]);
    const rows = await this.repo.tokens([...new Set(req.tokens)]);
    const byId = new Map(rows.map((r) => [r.id, r]));
    const values = [];
    const entries: NewEntry[] = [];
    for (const t of req.tokens) {
      const r = byId.get(t);
      if (!r) {
        values.push({ token: t, kind: null, value: null });
        continue;
      }
      await this.keys.ensure(FieldCipher.keyIdOf(r.value_enc));
      values.push({ token: t, kind: r.kind, value: this.cipher.decrypt(r.value_enc, `vault_tokens/${r.id}/value`) });
      entries.push(
        this.entry(caller, {
          principal,
          customer_id: r.customer_id,
          fields: TOKEN_FIELD[r.kind as TokenKind] ?? 0,
          purpose: req.purpose,
          channel: 'detokenize',
          ticket: req.ticket ?? null,
        }),
      );
    }
    if (entries.length) await this.record(entries);
    return { values };
  }

  /** Forced re-encryption after a data-key rotation: re-seals every customer column under the active key. */
  async reencryptCustomers(onProgress?: (done: number) => void): Promise<number> {
    let after = '';
    let done = 0;
    for (;;) {
      const active = this.keys.active().id;
      const rows = await this.shop.staleCustomers(active, after, 500);
      if (rows.length === 0) break;
      for (const r of rows) {
        await this.open(r);
        done++;
      }
      after = rows[rows.length - 1]!.id;
      onProgress?.(done);
    }
    return done;
  }
}
