// What other areas may know about the shop, and the few writes fanzha itself makes to the shop's
// tables (canary planting, re-sealing after a key rotation). Customer rows leave here still
// sealed: only the vault opens them (src/vault, readForSystem / reveal).
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { CustomersTable, OrdersTable } from './shop.tables.ts';
import './shop.tables.ts';

import { inChunks as chunked } from '../lib/chunks.ts';

/** Each distinct value once, a query per slice. */
const inChunks = <T, R>(values: readonly T[], fn: (part: T[]) => Promise<R[]>) => chunked([...new Set(values)], fn);

export type SealedColumn = 'name_enc' | 'phone_enc' | 'email_enc' | 'address_enc';
export const SEALED: SealedColumn[] = ['name_enc', 'phone_enc', 'email_enc', 'address_enc'];

export interface PrincipalInfo {
  kind: string;
  name: string;
  org: string | null;
  team: string | null;
}

export class ShopService {
  constructor(private readonly db: Kysely<DB>) {}

  /** The same service inside a caller's transaction (canary planting writes with the caller's rows). */
  with(trx: Kysely<DB>): ShopService {
    return new ShopService(trx);
  }

  // ── customers (sealed rows, for the vault) and their plain attributes ─────────────────────

  /** Sealed customer rows; only the vault decrypts them. */
  async customers(ids: readonly string[]): Promise<CustomersTable[]> {
    return inChunks(ids, (part) => this.db.selectFrom('customers').selectAll().where('id', 'in', part).execute());
  }

  async customer(id: string): Promise<CustomersTable | undefined> {
    return this.db.selectFrom('customers').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Exact blind-index matches (sealed rows), by id. */
  customersByIndex(column: 'phone_bidx' | 'email_bidx', bidx: string, limit: number): Promise<CustomersTable[]> {
    return this.db.selectFrom('customers').selectAll().where(column, '=', bidx).orderBy('id').limit(limit).execute();
  }

  /**
   * Non-personal attributes of customers: language, whether the customer is a canary, and which
   * contact data the shop holds (from the blind-index columns: nothing is decrypted).
   */
  async customerFlags(ids: readonly string[]): Promise<Map<string, { lang: string | null; canary: boolean; hasPhone: boolean; hasEmail: boolean }>> {
    const rows = await inChunks(ids, (part) =>
      this.db.selectFrom('customers').select(['id', 'lang', 'canary', 'phone_bidx', 'email_bidx']).where('id', 'in', part).execute(),
    );
    return new Map(rows.map((r) => [r.id, { lang: r.lang, canary: Number(r.canary) === 1, hasPhone: r.phone_bidx !== null, hasEmail: r.email_bidx !== null }]));
  }

  async canaryCustomerIds(ids?: readonly string[]): Promise<Set<string>> {
    if (!ids) return new Set((await this.db.selectFrom('customers').select('id').where('canary', '=', 1).execute()).map((r) => r.id));
    const rows = await inChunks(ids, (part) => this.db.selectFrom('customers').select('id').where('canary', '=', 1).where('id', 'in', part).execute());
    return new Set(rows.map((r) => r.id));
  }

  /** Real (non-canary) customers whose phone or e-mail blind index is one of these. */
  async realCustomersByIndex(column: 'phone_bidx' | 'email_bidx', bidx: readonly string[]): Promise<{ id: string; bidx: string }[]> {
    const rows = await inChunks(bidx, (part) =>
      this.db.selectFrom('customers').select(['id', column]).where('canary', '=', 0).where(column, 'in', part).execute(),
    );
    return rows.map((r) => ({ id: r.id, bidx: (r as Record<string, string>)[column]! }));
  }

  async realCustomerCount(): Promise<number> {
    const r = await this.db
      .selectFrom('customers')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('canary', '=', 0)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async hasCustomers(): Promise<boolean> {
    return !!(await this.db.selectFrom('customers').select('id').limit(1).executeTakeFirst());
  }

  // ── orders and refunds ────────────────────────────────────────────────────────────────────

  async orders(ids: readonly string[]): Promise<OrdersTable[]> {
    return inChunks(ids, (part) => this.db.selectFrom('orders').selectAll().where('id', 'in', part).execute());
  }

  async order(id: string): Promise<OrdersTable | undefined> {
    return this.db.selectFrom('orders').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** The customer of each stored order (orders not stored yet are absent). */
  async customersOfOrders(orderIds: readonly string[]): Promise<Map<string, string>> {
    const rows = await inChunks(orderIds, (part) => this.db.selectFrom('orders').select(['id', 'customer_id']).where('id', 'in', part).execute());
    return new Map(rows.map((r) => [r.id, r.customer_id]));
  }

  async customerOfOrder(orderId: string): Promise<string | null> {
    return (await this.customersOfOrders([orderId])).get(orderId) ?? null;
  }

  /** Which of these orders belong to the customer. */
  async ordersOfCustomer(customerId: string, orderIds: readonly string[]): Promise<string[]> {
    if (!orderIds.length) return [];
    return (
      await this.db
        .selectFrom('orders')
        .select('id')
        .where('customer_id', '=', customerId)
        .where('id', 'in', [...orderIds])
        .execute()
    ).map((r) => r.id);
  }

  /** Orders placed in [from, to] (both ends included), optionally of one customer. */
  async ordersPlacedWithin(from: number, to: number, customerId?: string | null): Promise<string[]> {
    let q = this.db.selectFrom('orders').select('id').where('placed_at', '>=', from).where('placed_at', '<=', to);
    if (customerId) q = q.where('customer_id', '=', customerId);
    return (await q.execute()).map((r) => r.id);
  }

  /** Orders placed in [from, to), with their customer and when (an investigation's population and its life events). */
  async ordersPlacedBetween(from: number, to: number): Promise<{ order_id: string; customer_id: string; at: number }[]> {
    const rows = await this.db
      .selectFrom('orders')
      .select(['id as order_id', 'customer_id', 'placed_at'])
      .where('placed_at', '>=', from)
      .where('placed_at', '<', to)
      .execute();
    return rows.map((r) => ({ order_id: r.order_id, customer_id: r.customer_id, at: Number(r.placed_at) }));
  }

  /** Refunds requested in [from, to): their order, its customer and when (one row per request). */
  async ordersRefundedBetween(from: number, to: number): Promise<{ order_id: string; customer_id: string; at: number }[]> {
    const rows = await this.db
      .selectFrom('refunds as r')
      .innerJoin('orders as o', 'o.id', 'r.order_id')
      .select(['o.id as order_id', 'o.customer_id', 'r.requested_at'])
      .where('r.requested_at', '>=', from)
      .where('r.requested_at', '<', to)
      .execute();
    return rows.map((r) => ({ order_id: r.order_id, customer_id: r.customer_id, at: Number(r.requested_at) }));
  }

  /** The events in the life of each order of these customers (placed, refunds requested), by order and by customer. */
  async orderLifeEvents(customerIds: readonly string[]): Promise<{ byOrder: Map<string, number[]>; byCustomer: Map<string, number[]> }> {
    const byOrder = new Map<string, number[]>();
    const byCustomer = new Map<string, number[]>();
    const note = (order: string, customer: string, at: number) => {
      (byOrder.get(order) ?? byOrder.set(order, []).get(order)!).push(at);
      (byCustomer.get(customer) ?? byCustomer.set(customer, []).get(customer)!).push(at);
    };
    const orders = await inChunks(customerIds, (part) =>
      this.db.selectFrom('orders').select(['id', 'customer_id', 'placed_at']).where('customer_id', 'in', part).execute(),
    );
    for (const o of orders) note(o.id, o.customer_id, Number(o.placed_at));
    const refunds = await inChunks(customerIds, (part) =>
      this.db
        .selectFrom('refunds as r')
        .innerJoin('orders as o', 'o.id', 'r.order_id')
        .select(['o.id', 'o.customer_id', 'r.requested_at'])
        .where('o.customer_id', 'in', part)
        .execute(),
    );
    for (const r of refunds) if (r.requested_at !== null) note(r.id, r.customer_id, Number(r.requested_at));
    return { byOrder, byCustomer };
  }

  refundsOf(orderId: string) {
    return this.db.selectFrom('refunds').select(['id', 'state', 'requested_at']).where('order_id', '=', orderId).orderBy('id').execute();
  }

  /** The latest refund state of each order that has one. */
  async latestRefunds(orderIds: readonly string[]): Promise<Map<string, string>> {
    const rows = await inChunks(orderIds, (part) =>
      this.db.selectFrom('refunds').select(['order_id', 'state', 'updated_at']).where('order_id', 'in', part).execute(),
    );
    const m = new Map<string, { state: string; at: number }>();
    for (const r of rows) {
      const prev = m.get(r.order_id);
      if (!prev || Number(r.updated_at) >= prev.at) m.set(r.order_id, { state: r.state, at: Number(r.updated_at) });
    }
    return new Map([...m].map(([k, v]) => [k, v.state]));
  }

  // ── principals (staff, partners, systems, API clients) and their groups ───────────────────

  async principals(ids: readonly string[]): Promise<Map<string, PrincipalInfo>> {
    const rows = await inChunks(ids, (part) =>
      this.db.selectFrom('principals').select(['id', 'kind', 'name', 'org', 'team']).where('id', 'in', part).execute(),
    );
    return new Map(rows.map(({ id, ...p }) => [id, p]));
  }

  async principal(id: string): Promise<PrincipalInfo | undefined> {
    return (await this.principals([id])).get(id);
  }

  /** Every principal's kind, org and team (investigations test groups and guard by kind). */
  principalRoster(): Promise<{ id: string; kind: string; org: string | null; team: string | null }[]> {
    return this.db.selectFrom('principals').select(['id', 'kind', 'org', 'team']).execute();
  }

  /** The principals of an org or a team (an incident opened for a group contains all of them). */
  async principalsInGroup(kind: 'org' | 'team', id: string): Promise<string[]> {
    const rows = await this.db.selectFrom('principals').select('id').where(kind, '=', id).orderBy('id').execute();
    return rows.map((r) => r.id);
  }

  async principalCount(): Promise<number> {
    const r = await this.db
      .selectFrom('principals')
      .select(sql<number>`count(*)`.as('n'))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  // ── logins and exports ────────────────────────────────────────────────────────────────────

  async loginsOf(customerIds: readonly string[], from: number, to: number) {
    const rows = await inChunks(customerIds, (part) =>
      this.db
        .selectFrom('logins')
        .select(['customer_id', 'at', 'outcome', 'ip', 'device_id'])
        .where('customer_id', 'in', part)
        .where('at', '>=', from)
        .where('at', '<', to)
        .execute(),
    );
    return rows.map((r) => ({ customer_id: r.customer_id!, at: Number(r.at), outcome: r.outcome, ip: r.ip, device_id: r.device_id }));
  }

  async exportExists(id: string): Promise<boolean> {
    return !!(await this.db.selectFrom('exports').select('id').where('id', '=', id).executeTakeFirst());
  }

  /** Who received one export and when (null when the shop never recorded it). */
  async exportRecipient(id: string): Promise<{ principalId: string; at: number } | null> {
    const r = await this.db.selectFrom('exports').select(['principal_id', 'at']).where('id', '=', id).executeTakeFirst();
    return r ? { principalId: r.principal_id, at: Number(r.at) } : null;
  }

  /** When each export of these recipients was made. */
  async exportTimes(principalIds: readonly string[]): Promise<Map<string, number>> {
    const rows = await inChunks(principalIds, (part) => this.db.selectFrom('exports').select(['id', 'at']).where('principal_id', 'in', part).execute());
    return new Map(rows.map((e) => [e.id, Number(e.at)]));
  }

  /** How many principals ever received an export. */
  async exportRecipientCount(): Promise<number> {
    const r = await this.db
      .selectFrom('exports')
      .select((eb) => eb.fn.count<number>('principal_id').distinct().as('n'))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  // ── writes fanzha makes itself ────────────────────────────────────────────────────────────

  /** Whether any customer (real or canary) already has one of these contact blind indexes. */
  async contactsInUse(phoneBidx: readonly string[], emailBidx: readonly string[]): Promise<Set<string>> {
    const used = new Set<string>();
    for (const r of await inChunks(phoneBidx, (part) => this.db.selectFrom('customers').select('phone_bidx').where('phone_bidx', 'in', part).execute()))
      used.add(r.phone_bidx!);
    for (const r of await inChunks(emailBidx, (part) => this.db.selectFrom('customers').select('email_bidx').where('email_bidx', 'in', part).execute()))
      used.add(r.email_bidx!);
    return used;
  }

  /** Real (non-canary) customers using any of these contacts, with which contact matched. */
  async realCustomersByContact(phoneBidx: readonly string[], emailBidx: readonly string[]): Promise<{ id: string; phone: boolean; email: boolean }[]> {
    const phones = new Set(phoneBidx);
    const emails = new Set(emailBidx);
    const rows = [
      ...(await inChunks(phoneBidx, (part) =>
        this.db.selectFrom('customers').select(['id', 'phone_bidx', 'email_bidx']).where('canary', '=', 0).where('phone_bidx', 'in', part).execute(),
      )),
      ...(await inChunks(emailBidx, (part) =>
        this.db.selectFrom('customers').select(['id', 'phone_bidx', 'email_bidx']).where('canary', '=', 0).where('email_bidx', 'in', part).execute(),
      )),
    ];
    const out = new Map<string, { id: string; phone: boolean; email: boolean }>();
    for (const r of rows) {
      const o = out.get(r.id) ?? { id: r.id, phone: false, email: false };
      o.phone ||= !!r.phone_bidx && phones.has(r.phone_bidx);
      o.email ||= !!r.email_bidx && emails.has(r.email_bidx);
      out.set(r.id, o);
    }
    return [...out.values()];
  }

  async idsTaken(customerIds: readonly string[], orderIds: readonly string[]): Promise<boolean> {
    const c = await inChunks(customerIds, (part) => this.db.selectFrom('customers').select('id').where('id', 'in', part).execute());
    if (c.length) return true;
    const o = await inChunks(orderIds, (part) => this.db.selectFrom('orders').select('id').where('id', 'in', part).execute());
    return o.length > 0;
  }

  /** Stores a canary customer (canary = 1, sealed like any other) and its orders. */
  async plantCanary(customer: CustomersTable, orders: readonly OrdersTable[]) {
    await this.db
      .insertInto('customers')
      .values({ ...customer, canary: 1 })
      .execute();
    if (orders.length)
      await this.db
        .insertInto('orders')
        .values([...orders])
        .execute();
  }

  /** Compare-and-set of re-sealed columns: only if the row still holds the ciphertexts read. */
  async resealCustomer(id: string, before: Partial<Record<SealedColumn, string>>, after: Partial<Record<SealedColumn, string>>): Promise<boolean> {
    let q = this.db.updateTable('customers').set(after).where('id', '=', id);
    for (const [c, v] of Object.entries(before)) q = q.where(c as SealedColumn, '=', v);
    const r = await q.executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** Customers holding any ciphertext not sealed by `activeKeyId`, by id after `afterId`. */
  staleCustomers(activeKeyId: string, afterId: string, limit: number): Promise<CustomersTable[]> {
    const prefix = `v1.${activeKeyId}.%`;
    return this.db
      .selectFrom('customers')
      .selectAll()
      .where('id', '>', afterId)
      .where((eb) => eb.or(SEALED.map((c) => eb.and([eb(c, 'is not', null), eb(c, 'not like', prefix)]))))
      .orderBy('id')
      .limit(limit)
      .execute();
  }
}
