// Queries of the investigations area: stored investigations, and the reads the investigation
// needs from the shared tables (access log in sequence order, the baseline population of a
// period, canaries, victims' logins). Both dialects through Kysely.
import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import './investigations.tables.ts';

const CHUNK = 500;

export interface AccessLoadRow {
  seq: number;
  principal_id: string;
  customer_id: string | null;
  order_id: string | null;
  fields: number;
  at: number;
  channel: string;
}

function chunks<T>(xs: readonly T[], n = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

export class InvestigationsRepository {
  constructor(private readonly database: Database) {}
  private get db() {
    return this.database.db;
  }

  /** Access rows after `afterSeq`, in sequence order, with the customer of order-only rows. */
  async accessAfter(afterSeq: number, limit: number): Promise<AccessLoadRow[]> {
    const rows = await this.db
      .selectFrom('access_log as a')
      .leftJoin('orders as o', (j) => j.onRef('o.id', '=', 'a.order_id'))
      .select(['a.seq', 'a.principal_id', 'a.order_id', 'a.fields', 'a.at', 'a.channel'])
      .select((eb) => eb.fn.coalesce('a.customer_id', 'o.customer_id').as('customer_id'))
      .where('a.seq', '>', afterSeq)
      .orderBy('a.seq')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ ...r, seq: Number(r.seq), at: Number(r.at), fields: Number(r.fields) }));
  }

  async customersOfOrders(orderIds: readonly string[]): Promise<Map<string, string>> {
    const m = new Map<string, string>();
    for (const part of chunks([...new Set(orderIds)])) {
      const rows = await this.db.selectFrom('orders').select(['id', 'customer_id']).where('id', 'in', part).execute();
      for (const r of rows) m.set(r.id, r.customer_id);
    }
    return m;
  }

  async existingCustomers(ids: readonly string[]): Promise<Map<string, { canary: boolean }>> {
    const m = new Map<string, { canary: boolean }>();
    for (const part of chunks([...new Set(ids)])) {
      const rows = await this.db.selectFrom('customers').select(['id', 'canary']).where('id', 'in', part).execute();
      for (const r of rows) m.set(r.id, { canary: Number(r.canary) === 1 });
    }
    return m;
  }

  async canaryCustomers(): Promise<string[]> {
    return (await this.db.selectFrom('customers').select('id').where('canary', '=', 1).execute()).map((r) => r.id);
  }

  /** Orders placed in [from, to), with their customer. */
  async ordersPlacedBetween(from: number, to: number): Promise<{ order_id: string; customer_id: string }[]> {
    return this.db.selectFrom('orders').select(['id as order_id', 'customer_id']).where('placed_at', '>=', from).where('placed_at', '<', to).execute();
  }

  /** Orders with a refund requested in [from, to), with their customer. */
  async ordersRefundedBetween(from: number, to: number): Promise<{ order_id: string; customer_id: string }[]> {
    return this.db
      .selectFrom('refunds as r')
      .innerJoin('orders as o', 'o.id', 'r.order_id')
      .select(['o.id as order_id', 'o.customer_id'])
      .distinct()
      .where('r.requested_at', '>=', from)
      .where('r.requested_at', '<', to)
      .execute();
  }

  /**
   * The events in the life of each order of these customers (placed, refunds requested), by order
   * and by customer: the self-controlled comparison starts after the last one before a contact.
   */
  async lifeEvents(customerIds: readonly string[]): Promise<{ byOrder: Map<string, number[]>; byCustomer: Map<string, number[]> }> {
    const byOrder = new Map<string, number[]>();
    const byCustomer = new Map<string, number[]>();
    const note = (order: string, customer: string, at: number) => {
      (byOrder.get(order) ?? byOrder.set(order, []).get(order)!).push(at);
      (byCustomer.get(customer) ?? byCustomer.set(customer, []).get(customer)!).push(at);
    };
    for (const part of chunks([...new Set(customerIds)])) {
      const orders = await this.db.selectFrom('orders').select(['id', 'customer_id', 'placed_at']).where('customer_id', 'in', part).execute();
      for (const o of orders) note(o.id, o.customer_id, Number(o.placed_at));
      const refunds = await this.db
        .selectFrom('refunds as r')
        .innerJoin('orders as o', 'o.id', 'r.order_id')
        .select(['o.id', 'o.customer_id', 'r.requested_at'])
        .where('o.customer_id', 'in', part)
        .execute();
      for (const r of refunds) if (r.requested_at !== null) note(r.id, r.customer_id, Number(r.requested_at));
    }
    return { byOrder, byCustomer };
  }

  /** Every principal's kind, org and team (groups are tested as one suspect; the kind sets the bias guarded against). */
  async principalRoster(): Promise<{ id: string; kind: string; org: string | null; team: string | null }[]> {
    return this.db.selectFrom('principals').select(['id', 'kind', 'org', 'team']).execute();
  }

  async loginsOf(customerIds: readonly string[], from: number, to: number) {
    const out: { customer_id: string; at: number; outcome: string; ip: string | null; device_id: string | null }[] = [];
    for (const part of chunks([...new Set(customerIds)])) {
      const rows = await this.db
        .selectFrom('logins')
        .select(['customer_id', 'at', 'outcome', 'ip', 'device_id'])
        .where('customer_id', 'in', part)
        .where('at', '>=', from)
        .where('at', '<', to)
        .execute();
      for (const r of rows) out.push({ customer_id: r.customer_id!, at: Number(r.at), outcome: r.outcome, ip: r.ip, device_id: r.device_id });
    }
    return out;
  }

  async principals(ids: readonly string[]) {
    const m = new Map<string, { kind: string; name: string; org: string | null; team: string | null }>();
    for (const part of chunks([...new Set(ids)])) {
      const rows = await this.db.selectFrom('principals').select(['id', 'kind', 'name', 'org', 'team']).where('id', 'in', part).execute();
      for (const r of rows) m.set(r.id, r);
    }
    return m;
  }

  async principalCount(): Promise<number> {
    const r = await this.db.selectFrom('principals').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async insert(row: { id: string; client_ref: string | null; created_by: string | null; source: string; verdict: string; victim_count: number; request: string; result: string; created_at: number }): Promise<boolean> {
    const r = await this.db.insertInto('investigations').values(row).onConflict((oc) => oc.column('client_ref').doNothing()).executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async get(id: string) {
    return this.db.selectFrom('investigations').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async byClientRef(ref: string) {
    return this.db.selectFrom('investigations').selectAll().where('client_ref', '=', ref).executeTakeFirst();
  }

  async list(limit: number) {
    return this.db.selectFrom('investigations').select(['id', 'verdict', 'victim_count', 'source', 'created_at']).orderBy('created_at', 'desc').limit(limit).execute();
  }
}
