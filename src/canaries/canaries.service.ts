// Canary customers: planted customers whose phone or e-mail the shop watches. Each is exposed to
// exactly one scope (a team, a principal, an export recipient, an API client), so any contact to
// it proves that data left through that scope. Canaries are stored like real customers
// (same encryption, same tables, customers.canary = 1) and must be left out of statistics,
// notifications and victim counts: other areas ask `isCanary`.
import type { Logger } from 'pino';
import { EventNormalizer, isProblem } from '../events/events.normalize.ts';
import type { FieldCipher } from '../vault/field-cipher.ts';
import type { SystemReader } from '../vault/system-reader.ts';
import { FIELD_BIT } from '../lib/fields.ts';
import { normalizePhone } from '../lib/phone.ts';
import { newId } from '../lib/ids.ts';
import { DomainError, fail } from '../lib/errors.ts';
import type { CustomersTable, OrdersTable } from '../shop/shop.tables.ts';
import type { Caller } from '../http/roles.ts';
import type { NewEntry } from '../audit/chain.ts';
import { principalOf } from '../vault/vault.service.ts';
import type { CanariesTable, CanaryTripsTable } from './canaries.tables.ts';
import { CanariesRepository } from './canaries.repository.ts';
import { draftCanary, numericId, type FakeAddress, type FakeItem } from './canaries.fakes.ts';

export const SCOPE_KINDS = ['team', 'principal', 'export', 'api_client'] as const;
export type ScopeKind = (typeof SCOPE_KINDS)[number];
export const TRIP_CHANNELS = ['call', 'sms', 'email', 'other'] as const;
export type TripChannel = (typeof TRIP_CHANNELS)[number];

export interface Scope {
  kind: ScopeKind;
  id: string;
}

export interface MonitoredContact {
  phone: string;
  email?: string;
}

export interface CanaryPlan {
  /** The shop's own id formats; generated (numeric, like most shops') when absent. */
  customerId?: string;
  orderIds?: string[];
  /** Items to put in the canary's orders (e.g. copied from real orders of the same export). */
  items?: FakeItem[][];
  /** When the canary's orders were placed (epoch ms). */
  placedAt?: number[];
}

export interface CreateCanariesInput {
  requestId?: string;
  scope: Scope;
  /** For export scopes: the principal that receives the export. */
  recipientId?: string;
  contacts: MonitoredContact[];
  ordersPerCanary?: number;
  plans?: CanaryPlan[];
  /** Time of the customer.upserted events (epoch ms); now by default. */
  at?: number;
}

export interface Canary {
  id: string;
  customerId: string;
  orderIds: string[];
  scope: Scope;
  recipientId: string | null;
  status: string;
  createdAt: number;
}

export interface CanaryTrip {
  id: string;
  canaryId: string;
  channel: string;
  scope: Scope;
  at: number;
  receivedAt: number;
}

export interface TripAlert {
  trip: CanaryTrip;
  duplicate: boolean;
  /** Human-readable, free of personal data: names the scope the canary was exposed to. */
  message: string;
}

export type TripListener = (alert: TripAlert, canary: Canary) => void | Promise<void>;

const CN_MOBILE = /^\+861[3-9]\d{9}$/;
const MAX_ID_ATTEMPTS = 5;

export function toCanary(r: CanariesTable): Canary {
  return {
    id: r.id,
    customerId: r.customer_id,
    orderIds: JSON.parse(r.order_ids),
    scope: { kind: r.scope_kind as ScopeKind, id: r.scope_id },
    recipientId: r.recipient_id,
    status: r.status,
    createdAt: Number(r.created_at),
  };
}

function toTrip(r: CanaryTripsTable): CanaryTrip {
  return {
    id: r.id,
    canaryId: r.canary_id,
    channel: r.channel,
    scope: { kind: r.scope_kind as ScopeKind, id: r.scope_id },
    at: Number(r.at),
    receivedAt: Number(r.received_at),
  };
}

export function describeScope(s: Scope): string {
  const what = { team: 'team', principal: 'principal', export: 'export', api_client: 'API client' }[s.kind];
  return `${what} ${s.id}`;
}

const iso = (ms: number) => new Date(ms).toISOString();

export class CanariesService {
  private readonly normalizer: EventNormalizer;
  private readonly listeners: TripListener[] = [];

  constructor(
    private readonly repo: CanariesRepository,
    private readonly cipher: FieldCipher,
    /** The vault's gate: canary identities are opened there (and only canary rows). */
    private readonly vault: Pick<SystemReader, 'readCanaryIdentities'>,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {
    this.normalizer = new EventNormalizer(cipher, now);
  }

  /** Where contact checks that hit a real customer are recorded (the audit service, set by the area). */
  private recordReads: ((entries: NewEntry[]) => Promise<unknown>) | undefined;
  setAccessRecorder(record: (entries: NewEntry[]) => Promise<unknown>) {
    this.recordReads = record;
  }

  /**
   * A refusal because a contact belongs to a real customer tells the caller that this phone or
   * address is a customer's: it is recorded as a lookup of that customer by the caller before the
   * answer goes out (fail closed: no record, no answer).
   */
  private async recordContactHits(caller: Caller | undefined, contacts: { phoneBidx: string; emailBidx: string | null }[]) {
    const hits = await this.repo.realCustomersByContact(
      contacts.map((c) => c.phoneBidx),
      contacts.flatMap((c) => (c.emailBidx ? [c.emailBidx] : [])),
    );
    if (!hits.length) return;
    if (!this.recordReads) throw fail.unavailable('The contact check could not be recorded.');
    const t = this.now();
    await this.recordReads(
      hits.map((h) => ({
        source: 'vault',
        principal_id: caller ? principalOf(caller) : 'system:canaries',
        customer_id: h.id,
        fields: (h.phone ? FIELD_BIT.phone : 0) | (h.email ? FIELD_BIT.email : 0),
        purpose: 'canary contact check',
        channel: 'lookup',
        key_id: caller?.keyId ?? null,
        at: t,
        recorded_at: t,
      })),
    ).catch(() => {
      throw fail.unavailable('The contact check could not be recorded, so it is not answered. Try again later.');
    });
  }

  /** Called on every new trip (incidents, pagers...). */
  onTrip(listener: TripListener) {
    this.listeners.push(listener);
  }

  /** The subset of these customer ids that are canaries. */
  async isCanary(customerIds: readonly string[]): Promise<Set<string>> {
    return this.repo.canaryCustomerIds([...new Set(customerIds)]);
  }

  /** Every canary customer id (for areas that exclude them from whole-population statistics). */
  async canaryCustomerIds(): Promise<string[]> {
    return this.repo.allCanaryCustomerIds();
  }

  normalizeContact(c: MonitoredContact, index: number): { phone: string; email: string | null; phoneBidx: string; emailBidx: string | null } {
    const phone = normalizePhone(c.phone);
    // The value itself never goes into the problem: it is a real, watched number.
    if (!phone || !CN_MOBILE.test(phone)) throw fail.badRequest(`contacts[${index}].phone is not a valid mainland China mobile number.`, { index });
    const email = c.email?.trim().toLowerCase() || null;
    if (email !== null && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
      throw fail.badRequest(`contacts[${index}].email is not a valid e-mail address.`, { index });
    return { phone, email, phoneBidx: this.cipher.blindIndex('phone', phone), emailBidx: email ? this.cipher.blindIndex('email', email) : null };
  }

  /** The contacts of a pool that no customer or canary uses yet. */
  async unusedContacts(pool: readonly MonitoredContact[]): Promise<MonitoredContact[]> {
    const norm = pool.map((c, i) => ({ c, n: this.normalizeContact(c, i) }));
    const used = await this.repo.contactsInUse(
      norm.map((x) => x.n.phoneBidx),
      norm.flatMap((x) => (x.n.emailBidx ? [x.n.emailBidx] : [])),
    );
    return norm.filter((x) => !used.has(x.n.phoneBidx) && !(x.n.emailBidx && used.has(x.n.emailBidx))).map((x) => x.c);
  }

  /**
   * Creates one canary per monitored contact, all exposed to one scope. Idempotent on requestId:
   * the same requestId returns the canaries created the first time.
   */
  async create(input: CreateCanariesInput, caller?: Caller): Promise<{ canaries: Canary[]; events: Record<string, unknown>[]; duplicate: boolean }> {
    if (input.requestId) {
      const existing = await this.repo.byRequest(input.requestId);
      if (existing.length) {
        const canaries = existing.map(toCanary);
        return { canaries, events: await this.events(canaries), duplicate: true };
      }
    }
    if (input.contacts.length === 0) throw fail.badRequest('Give at least one monitored contact: a canary works only if the shop watches its number.');
    const contacts = input.contacts.map((c, i) => this.normalizeContact(c, i));
    const seen = new Set<string>();
    contacts.forEach((c, i) => {
      for (const b of [c.phoneBidx, c.emailBidx]) {
        if (!b) continue;
        if (seen.has(b))
          throw fail.badRequest(`contacts[${i}] repeats an earlier contact: each canary needs its own watched number and address.`, { index: i });
        seen.add(b);
      }
    });
    const ordersPer = Math.min(Math.max(input.ordersPerCanary ?? 1, 1), 5);
    const at = input.at ?? this.now();

    let created: Canary[];
    try {
      created = await this.insertAll(input, contacts, ordersPer, at);
    } catch (e) {
      // A concurrent request with the same requestId won the race: answer as its duplicate.
      if (input.requestId) {
        const existing = await this.repo.byRequest(input.requestId);
        if (existing.length) {
          const canaries = existing.map(toCanary);
          return { canaries, events: await this.events(canaries), duplicate: true };
        }
      }
      if (e instanceof DomainError) {
        if (e.category === 'conflict') await this.recordContactHits(caller, contacts);
        throw e;
      }
      if (/unique|duplicate key/i.test((e as Error).message)) throw fail.conflict('A contact or id of this request was taken concurrently; retry.');
      throw e;
    }
    this.logger.info({ scope: input.scope.kind, scopeId: input.scope.id, count: created.length }, 'canaries created');
    return { canaries: created, events: await this.events(created), duplicate: false };
  }

  private async insertAll(
    input: CreateCanariesInput,
    contacts: ReturnType<CanariesService['normalizeContact']>[],
    ordersPer: number,
    at: number,
  ): Promise<Canary[]> {
    return this.repo.transaction(async (repo) => {
      const used = await repo.contactsInUse(
        contacts.map((c) => c.phoneBidx),
        contacts.flatMap((c) => (c.emailBidx ? [c.emailBidx] : [])),
      );
      contacts.forEach((c, i) => {
        // A contact already on file would make a trip ambiguous (is it the canary or the customer?).
        if (used.has(c.phoneBidx) || (c.emailBidx && used.has(c.emailBidx))) {
          throw fail.conflict(`contacts[${i}] is already used by a customer or another canary; use a fresh monitored number.`);
        }
      });
      const out: Canary[] = [];
      for (let i = 0; i < contacts.length; i++) {
        const c = contacts[i]!;
        const plan = input.plans?.[i] ?? {};
        const nOrders = plan.orderIds?.length ?? plan.items?.length ?? ordersPer;
        let customerId = plan.customerId;
        let orderIds = plan.orderIds;
        for (let attempt = 0; ; attempt++) {
          customerId ??= numericId(12);
          orderIds ??= Array.from({ length: nOrders }, () => numericId(19));
          if (!(await repo.idsTaken([customerId], orderIds))) break;
          if (plan.customerId || plan.orderIds || attempt >= MAX_ID_ATTEMPTS)
            throw fail.conflict(`plans[${i}] uses a customer or order id that already exists.`);
          customerId = undefined;
          orderIds = undefined;
        }
        const d = draftCanary({ at, customerId, orderIds, items: plan.items, placedAt: plan.placedAt });
        const customer = this.customerRow(d.customerId, d.name, c.phone, c.email, d.registeredAt, d.address);
        const orders = d.orders.map((o) => this.orderRow(o.orderId, d.customerId, o.items, o.placedAt));
        const row: CanariesTable = {
          id: newId('cny'),
          request_id: input.requestId ?? null,
          customer_id: customerId,
          order_ids: JSON.stringify(orderIds),
          scope_kind: input.scope.kind,
          scope_id: input.scope.id,
          recipient_id: input.recipientId ?? (input.scope.kind === 'principal' || input.scope.kind === 'api_client' ? input.scope.id : null),
          phone_bidx: c.phoneBidx,
          email_bidx: c.emailBidx,
          status: 'active',
          created_at: this.now(),
        };
        await repo.insertCanary(customer, orders, row);
        out.push(toCanary(row));
      }
      return out;
    });
  }

  /** A customer row sealed by the same normaliser ingestion uses, then marked as canary. */
  private customerRow(id: string, name: string, phone: string, email: string | null, at: number, address: FakeAddress): CustomersTable {
    const r = this.normalizer.normalize(
      { id: newId('evt'), type: 'customer.upserted', at: iso(at), customerId: id, name, phone, ...(email ? { email } : {}), address },
      this.now(),
    );
    if (isProblem(r) || r.stored.kind !== 'customer') throw fail.internal('could not build the canary customer');
    return { ...r.stored.row, canary: 1 };
  }

  private orderRow(id: string, customerId: string, items: FakeItem[], at: number): OrdersTable {
    const total = Math.round(items.reduce((s, it) => s + it.price * it.quantity, 0) * 100) / 100;
    const r = this.normalizer.normalize({ id: newId('evt'), type: 'order.placed', at: iso(at), orderId: id, customerId, items, total }, this.now());
    if (isProblem(r) || r.stored.kind !== 'order') throw fail.internal('could not build the canary order');
    return r.stored.row;
  }

  /**
   * The events the shop must inject into the canary's scope only (and may send to fanzha like any
   * other event: re-ingesting them keeps customers.canary = 1). Rebuilt from storage each time.
   */
  async events(canaries: readonly Canary[]): Promise<Record<string, unknown>[]> {
    const customers = new Map((await this.repo.customers(canaries.map((c) => c.customerId))).map((r) => [r.id, r]));
    const identities = await this.vault.readCanaryIdentities([...customers.keys()]);
    const orders = new Map((await this.repo.orders(canaries.flatMap((c) => c.orderIds))).map((r) => [r.id, r]));
    const out: Record<string, unknown>[] = [];
    for (const c of canaries) {
      const row = customers.get(c.customerId);
      if (!row) continue;
      const d = identities.get(c.customerId) ?? {};
      out.push({
        id: `evt-${c.customerId}-${Number(row.created_at).toString(36)}`,
        type: 'customer.upserted',
        at: iso(Number(row.created_at)),
        customerId: c.customerId,
        name: d.name ?? null,
        phone: d.phone ?? null,
        ...(d.email ? { email: d.email } : {}),
        ...(d.address ? { address: d.address } : {}),
      });
      for (const oid of c.orderIds) {
        const o = orders.get(oid);
        if (!o) continue;
        out.push({
          id: `evt-${oid}`,
          type: 'order.placed',
          at: iso(Number(o.placed_at)),
          orderId: oid,
          customerId: c.customerId,
          items: JSON.parse(o.items),
          total: Number(o.total_minor) / 100,
          currency: o.currency,
        });
      }
    }
    return out;
  }

  /** The canaries created by one request (POST /v1/canaries or an investigation's decision). */
  async byRequest(requestId: string): Promise<Canary[]> {
    return (await this.repo.byRequest(requestId)).map(toCanary);
  }

  async get(id: string): Promise<Canary | undefined> {
    const r = await this.repo.get(id);
    return r ? toCanary(r) : undefined;
  }

  async list(opts: { scopeKind?: string; scopeId?: string; limit?: number; after?: string }) {
    const rows = await this.repo.list({ ...opts, limit: Math.min(opts.limit ?? 100, 1000) });
    const counts = await this.repo.tripCounts(rows.map((r) => r.id));
    return rows.map((r) => ({ ...toCanary(r), trips: counts.get(r.id) ?? 0 }));
  }

  async tripCount(canaryId: string): Promise<number> {
    return (await this.repo.tripCounts([canaryId])).get(canaryId) ?? 0;
  }

  async byIds(ids: readonly string[]): Promise<Canary[]> {
    return (await this.repo.byIds(ids)).map(toCanary);
  }

  async byCustomerIds(customerIds: readonly string[]): Promise<Canary[]> {
    return customerIds.length ? (await this.repo.byCustomerIds(customerIds)).map(toCanary) : [];
  }

  /** Canaries whose watched contacts match these blind indexes, and whose orders match these ids. */
  async findByIdentifiers(ids: { phoneBidx: string[]; emailBidx: string[]; orderIds: string[] }) {
    const byPhone = await this.repo.byPhoneBidx(ids.phoneBidx);
    const byEmail = await this.repo.byEmailBidx(ids.emailBidx);
    const orderMap = ids.orderIds.length ? await this.repo.allCanaryOrderIds() : new Map<string, string>();
    const byOrder = ids.orderIds.flatMap((o) => (orderMap.has(o) ? [{ orderId: o, canaryId: orderMap.get(o)! }] : []));
    const canaries = new Map<string, Canary>();
    for (const r of [...byPhone, ...byEmail]) canaries.set(r.id, toCanary(r));
    for (const c of await this.byIds(byOrder.map((x) => x.canaryId).filter((id) => !canaries.has(id)))) canaries.set(c.id, c);
    return {
      canaries,
      byPhone: byPhone.map((r) => ({ bidx: r.phone_bidx, canaryId: r.id })),
      byEmail: byEmail.map((r) => ({ bidx: r.email_bidx!, canaryId: r.id })),
      byOrder,
    };
  }

  /** Decrypted names of all canaries, to recognise them in leaked files by name as well. */
  async canaryNames(): Promise<Map<string, string>> {
    const ids = await this.repo.allCanaryCustomerIds();
    const names = await this.vault.readCanaryIdentities(ids, FIELD_BIT.name);
    const byCustomer = new Map((await this.repo.byCustomerIds(ids)).map((r) => [r.customer_id, r.id]));
    const m = new Map<string, string>();
    for (const [id, d] of names) {
      const cid = byCustomer.get(id);
      if (d.name && cid) m.set(d.name, cid);
    }
    return m;
  }

  /** A contact reached a canary: record it and raise an alert naming the scope at once. */
  async trip(canaryId: string, input: { clientId?: string; channel: TripChannel; at?: number; from?: string }): Promise<TripAlert> {
    const row = await this.repo.get(canaryId);
    if (!row) throw fail.notFound('canary');
    const canary = toCanary(row);
    const received = this.now();
    const fromBidx = contactBlindIndex(this.cipher, input.from);
    const trip: CanaryTripsTable = {
      id: newId('trip'),
      canary_id: canaryId,
      client_id: input.clientId ?? null,
      channel: input.channel,
      from_bidx: fromBidx,
      scope_kind: canary.scope.kind,
      scope_id: canary.scope.id,
      at: input.at ?? received,
      received_at: received,
    };
    const fresh = await this.repo.insertTrip(trip);
    const stored = fresh ? trip : ((input.clientId ? await this.repo.tripByClientId(canaryId, input.clientId) : undefined) ?? trip);
    const via = canary.scope.kind === 'export' && canary.recipientId ? ` (received by principal ${canary.recipientId})` : '';
    const alert: TripAlert = {
      trip: toTrip(stored),
      duplicate: !fresh,
      message: `Canary ${canaryId} was contacted by ${input.channel}: data exposed only to ${describeScope(canary.scope)}${via} has leaked.`,
    };
    if (fresh) {
      // Ids only: the canary's contact details are watched numbers, not for logs.
      this.logger.warn(
        { canaryId, scopeKind: canary.scope.kind, scopeId: canary.scope.id, recipientId: canary.recipientId, channel: input.channel },
        'canary tripped',
      );
      for (const l of this.listeners) {
        try {
          await l(alert, canary);
        } catch (e) {
          this.logger.error({ err: { message: (e as Error).message }, canaryId }, 'canary trip listener failed');
        }
      }
    }
    return alert;
  }

  /** A trip reported by contact (the phone line knows the number called, not the canary id). */
  async tripByContact(input: { phone?: string; email?: string; clientId?: string; channel: TripChannel; at?: number; from?: string }): Promise<TripAlert> {
    let rows: CanariesTable[];
    if (input.phone) {
      const p = normalizePhone(input.phone);
      if (!p) throw fail.badRequest('"phone" is not a valid phone number.');
      rows = await this.repo.byPhoneBidx([this.cipher.blindIndex('phone', p)]);
    } else if (input.email) {
      rows = await this.repo.byEmailBidx([this.cipher.blindIndex('email', input.email.trim().toLowerCase())]);
    } else throw fail.badRequest('Give the monitored "phone" or "email" that was contacted.');
    if (rows.length === 0) throw fail.notFound('canary for that contact');
    return this.trip(rows[0]!.id, input);
  }

  /**
   * Canary evidence against principals, for investigations: trips of canaries that only these
   * principals were exposed to. A principal statistics cannot single out (it reads nearly
   * everything) is decided by this.
   */
  async tripsForPrincipals(principalIds: readonly string[]): Promise<Map<string, CanaryTrip[]>> {
    const out = new Map<string, CanaryTrip[]>();
    const wanted = new Set(principalIds);
    for (const r of await this.repo.tripsForPrincipals([...wanted])) {
      const p = r.recipient_id && wanted.has(r.recipient_id) ? r.recipient_id : r.scope_id;
      (out.get(p) ?? out.set(p, []).get(p)!).push(toTrip(r));
    }
    return out;
  }

  async trips(opts: { canaryId?: string; limit?: number; since?: number }): Promise<CanaryTrip[]> {
    return (await this.repo.trips({ ...opts, limit: Math.min(opts.limit ?? 100, 1000) })).map(toTrip);
  }
}

/** Blind index of the number or address that made contact (a trip's or a substitute call's `from`); never the value itself. */
export function contactBlindIndex(cipher: FieldCipher, from: string | undefined): string | null {
  if (!from) return null;
  const p = normalizePhone(from);
  return p ? cipher.blindIndex('phone', p) : from.includes('@') ? cipher.blindIndex('email', from.trim().toLowerCase()) : null;
}
