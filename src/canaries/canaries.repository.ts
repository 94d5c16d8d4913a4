// Queries of the canaries area. Canary customers and orders are planted in the shop's tables
// through the shop area (customers.canary = 1) so they are stored exactly like real ones; the
// canaries, trips and fingerprinted exports are ours.
import type { Kysely, Insertable } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { ShopService } from '../shop/shop.service.ts';
import type { CustomersTable, OrdersTable } from '../shop/shop.tables.ts';
import type { CanariesTable, CanaryTripsTable } from './canaries.tables.ts';
import './canaries.tables.ts';

import { inChunks } from '../lib/chunks.ts';

export class CanariesRepository {
  constructor(
    private readonly db: Kysely<DB>,
    readonly shop: ShopService,
  ) {}

  /** Our writes and the shop's canary planting in one transaction. */
  transaction<T>(fn: (repo: CanariesRepository) => Promise<T>): Promise<T> {
    return this.db.transaction().execute((trx) => fn(new CanariesRepository(trx, this.shop.with(trx))));
  }

  async byRequest(requestId: string) {
    return this.db.selectFrom('canaries').selectAll().where('request_id', '=', requestId).orderBy('id').execute();
  }

  async get(id: string) {
    return this.db.selectFrom('canaries').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async byIds(ids: readonly string[]) {
    return inChunks(ids, (part) => this.db.selectFrom('canaries').selectAll().where('id', 'in', part).execute());
  }

  async list(opts: { scopeKind?: string; scopeId?: string; limit: number; after?: string }) {
    let q = this.db.selectFrom('canaries').selectAll().orderBy('id').limit(opts.limit);
    if (opts.scopeKind) q = q.where('scope_kind', '=', opts.scopeKind);
    if (opts.scopeId) q = q.where('scope_id', '=', opts.scopeId);
    if (opts.after) q = q.where('id', '>', opts.after);
    return q.execute();
  }

  async byPhoneBidx(bidx: readonly string[]) {
    return inChunks(bidx, (part) => this.db.selectFrom('canaries').selectAll().where('phone_bidx', 'in', part).execute());
  }

  async byEmailBidx(bidx: readonly string[]) {
    return inChunks(bidx, (part) => this.db.selectFrom('canaries').selectAll().where('email_bidx', 'in', part).execute());
  }

  async byCustomerIds(ids: readonly string[]) {
    return inChunks(ids, (part) => this.db.selectFrom('canaries').selectAll().where('customer_id', 'in', part).execute());
  }

  async allCanaryOrderIds(): Promise<Map<string, string>> {
    const rows = await this.db.selectFrom('canaries').select(['id', 'order_ids']).execute();
    const m = new Map<string, string>();
    for (const r of rows) for (const o of JSON.parse(r.order_ids) as string[]) m.set(o, r.id);
    return m;
  }

  /** Whether any customer (real or canary) already has one of these contact blind indexes. */
  contactsInUse(phoneBidx: readonly string[], emailBidx: readonly string[]): Promise<Set<string>> {
    return this.shop.contactsInUse(phoneBidx, emailBidx);
  }

  /** Real (non-canary) customers using any of these contacts, with which contact matched. */
  realCustomersByContact(phoneBidx: readonly string[], emailBidx: readonly string[]) {
    return this.shop.realCustomersByContact(phoneBidx, emailBidx);
  }

  idsTaken(customerIds: readonly string[], orderIds: readonly string[]): Promise<boolean> {
    return this.shop.idsTaken(customerIds, orderIds);
  }

  async insertCanary(customer: CustomersTable, orders: OrdersTable[], canary: CanariesTable) {
    await this.shop.plantCanary(customer, orders);
    await this.db.insertInto('canaries').values(canary).execute();
  }

  /** Sealed rows: only the vault opens them. */
  customers(ids: readonly string[]) {
    return this.shop.customers(ids);
  }

  orders(ids: readonly string[]) {
    return this.shop.orders(ids);
  }

  canaryCustomerIds(ids: readonly string[]): Promise<Set<string>> {
    return this.shop.canaryCustomerIds(ids);
  }

  async allCanaryCustomerIds(): Promise<string[]> {
    return [...(await this.shop.canaryCustomerIds())];
  }

  /** Inserts a trip; returns false when the same (canary, clientId) was already recorded. */
  async insertTrip(trip: Insertable<CanaryTripsTable>): Promise<boolean> {
    const r = await this.db
      .insertInto('canary_trips')
      .values(trip)
      .onConflict((oc) => oc.columns(['canary_id', 'client_id']).doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async tripByClientId(canaryId: string, clientId: string) {
    return this.db.selectFrom('canary_trips').selectAll().where('canary_id', '=', canaryId).where('client_id', '=', clientId).executeTakeFirst();
  }

  async trips(opts: { canaryId?: string; limit: number; since?: number }) {
    let q = this.db.selectFrom('canary_trips').selectAll().orderBy('received_at', 'desc').orderBy('id', 'desc').limit(opts.limit);
    if (opts.canaryId) q = q.where('canary_id', '=', opts.canaryId);
    if (opts.since !== undefined) q = q.where('received_at', '>=', opts.since);
    return q.execute();
  }

  /** Trips of canaries exposed to these principals (directly, as API client, or as export recipient). */
  async tripsForPrincipals(principalIds: readonly string[]) {
    return inChunks(principalIds, (part) =>
      this.db
        .selectFrom('canary_trips')
        .innerJoin('canaries', 'canaries.id', 'canary_trips.canary_id')
        .selectAll('canary_trips')
        .select('canaries.recipient_id')
        .where((eb) =>
          eb.or([
            eb('canaries.recipient_id', 'in', part),
            eb.and([eb('canaries.scope_kind', 'in', ['principal', 'api_client']), eb('canaries.scope_id', 'in', part)]),
          ]),
        )
        .execute(),
    );
  }

  async tripCounts(canaryIds: readonly string[]): Promise<Map<string, number>> {
    const rows = await inChunks(canaryIds, (part) =>
      this.db
        .selectFrom('canary_trips')
        .select(['canary_id', (eb) => eb.fn.countAll<number>().as('n')])
        .where('canary_id', 'in', part)
        .groupBy('canary_id')
        .execute(),
    );
    return new Map(rows.map((r) => [r.canary_id, Number(r.n)]));
  }
}
