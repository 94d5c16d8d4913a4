// Queries of the investigations area: stored investigations (ours), and the reads the
// investigation needs from other owners — the access log in sequence order (audit area) and the
// baseline population of a period, canaries, victims' logins, principals (shop area).
import type { Database } from '../db/database.ts';
import type { ShopService } from '../shop/shop.service.ts';
import type { AccessReads } from '../audit/access-reads.ts';
import './investigations.tables.ts';

export type { AccessScanRow as AccessLoadRow } from '../audit/access-reads.ts';

export class InvestigationsRepository {
  constructor(
    private readonly database: Database,
    private readonly shop: ShopService,
    private readonly access: AccessReads,
  ) {}
  private get db() {
    return this.database.db;
  }

  /** Access rows after `afterSeq`, in sequence order, with the customer of order-only rows (audit area). */
  accessAfter(afterSeq: number, limit: number) {
    return this.access.scanAfter(afterSeq, limit);
  }

  customersOfOrders(orderIds: readonly string[]): Promise<Map<string, string>> {
    return this.shop.customersOfOrders(orderIds);
  }

  async existingCustomers(ids: readonly string[]): Promise<Map<string, { canary: boolean }>> {
    return new Map([...(await this.shop.customerFlags(ids))].map(([id, f]) => [id, { canary: f.canary }]));
  }

  async canaryCustomers(): Promise<string[]> {
    return [...(await this.shop.canaryCustomerIds())];
  }

  /** Orders placed in [from, to), with their customer. */
  ordersPlacedBetween(from: number, to: number) {
    return this.shop.ordersPlacedBetween(from, to);
  }

  /** Orders with a refund requested in [from, to), with their customer. */
  ordersRefundedBetween(from: number, to: number) {
    return this.shop.ordersRefundedBetween(from, to);
  }

  /** The events in the life of each order of these customers: the self-controlled comparison starts after the last one before a contact. */
  lifeEvents(customerIds: readonly string[]) {
    return this.shop.orderLifeEvents(customerIds);
  }

  /** Every principal's kind, org and team (groups are tested as one suspect; the kind sets the bias guarded against). */
  principalRoster() {
    return this.shop.principalRoster();
  }

  loginsOf(customerIds: readonly string[], from: number, to: number) {
    return this.shop.loginsOf(customerIds, from, to);
  }

  principals(ids: readonly string[]) {
    return this.shop.principals(ids);
  }

  principalCount(): Promise<number> {
    return this.shop.principalCount();
  }

  async insert(row: {
    id: string;
    client_ref: string | null;
    created_by: string | null;
    source: string;
    verdict: string;
    victim_count: number;
    request: string;
    result: string;
    created_at: number;
    case_id: string | null;
  }): Promise<boolean> {
    const r = await this.db
      .insertInto('investigations')
      .values(row)
      .onConflict((oc) => oc.column('client_ref').doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async get(id: string) {
    return this.db.selectFrom('investigations').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async byClientRef(ref: string) {
    return this.db.selectFrom('investigations').selectAll().where('client_ref', '=', ref).executeTakeFirst();
  }

  /** Investigations run on any of these cases (a case and the ids merged into it), oldest first. */
  async byCases(caseIds: readonly string[]) {
    if (!caseIds.length) return [];
    return this.db
      .selectFrom('investigations')
      .select(['id', 'verdict', 'victim_count', 'created_by', 'created_at', 'case_id'])
      .where('case_id', 'in', caseIds)
      .orderBy('created_at')
      .execute();
  }

  /** A page of investigations, filtered and sorted, with the total matching. */
  async page(q: { limit: number; offset: number; verdict?: string; caseId?: string; sort: 'created' | 'victims'; order: 'asc' | 'desc' }) {
    let base = this.db.selectFrom('investigations');
    if (q.verdict) base = base.where('verdict', '=', q.verdict);
    if (q.caseId) base = base.where('case_id', '=', q.caseId);
    const total = Number((await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const rows = await base
      .select(['id', 'verdict', 'victim_count', 'source', 'created_at', 'case_id'])
      .orderBy(q.sort === 'victims' ? 'victim_count' : 'created_at', q.order)
      .orderBy('id', q.order)
      .limit(q.limit)
      .offset(q.offset)
      .execute();
    return { total, rows };
  }

  async list(limit: number) {
    return this.db
      .selectFrom('investigations')
      .select(['id', 'verdict', 'victim_count', 'source', 'created_at'])
      .orderBy('created_at', 'desc')
      .limit(limit)
      .execute();
  }
}
