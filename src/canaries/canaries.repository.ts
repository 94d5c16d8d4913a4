// Queries of the canaries area. Canary customers and orders go into the foundation tables
// (customers.canary = 1) so they are stored exactly like real ones; everything else is ours.
import type { Kysely, Insertable } from 'kysely';
import type { DB, CustomersTable, OrdersTable } from '../db/schema.ts';
import type { CanariesTable, CanaryTripsTable } from './canaries.tables.ts';
import './canaries.tables.ts';

const CHUNK = 500;

export async function inChunks<T, R>(values: readonly T[], fn: (part: T[]) => Promise<R[]>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < values.length; i += CHUNK) out.push(...(await fn(values.slice(i, i + CHUNK))));
  return out;
}

export class CanariesRepository {
  constructor(private readonly db: Kysely<DB>) {}

  transaction<T>(fn: (repo: CanariesRepository) => Promise<T>): Promise<T> {
    return this.db.transaction().execute((trx) => fn(new CanariesRepository(trx)));
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
  async contactsInUse(phoneBidx: readonly string[], emailBidx: readonly string[]): Promise<Set<string>> {
    const used = new Set<string>();
    for (const r of await inChunks(phoneBidx, (part) => this.db.selectFrom('customers').select('phone_bidx').where('phone_bidx', 'in', part).execute())) used.add(r.phone_bidx!);
    for (const r of await inChunks(emailBidx, (part) => this.db.selectFrom('customers').select('email_bidx').where('email_bidx', 'in', part).execute())) used.add(r.email_bidx!);
    return used;
  }

  /** Real (non-canary) customers using any of these contacts, with which contact matched. */
  async realCustomersByContact(phoneBidx: readonly string[], emailBidx: readonly string[]): Promise<{ id: string; phone: boolean; email: boolean }[]> {
    const phones = new Set(phoneBidx);
    const emails = new Set(emailBidx);
    const rows = [
      ...(await inChunks(phoneBidx, (part) => this.db.selectFrom('customers').select(['id', 'phone_bidx', 'email_bidx']).where('canary', '=', 0).where('phone_bidx', 'in', part).execute())),
      ...(await inChunks(emailBidx, (part) => this.db.selectFrom('customers').select(['id', 'phone_bidx', 'email_bidx']).where('canary', '=', 0).where('email_bidx', 'in', part).execute())),
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

  async insertCanary(customer: CustomersTable, orders: OrdersTable[], canary: CanariesTable) {
    await this.db.insertInto('customers').values(customer).execute();
    if (orders.length) await this.db.insertInto('orders').values(orders).execute();
    await this.db.insertInto('canaries').values(canary).execute();
  }

  async customers(ids: readonly string[]) {
    return inChunks(ids, (part) => this.db.selectFrom('customers').selectAll().where('id', 'in', part).execute());
  }

  async orders(ids: readonly string[]) {
    return inChunks(ids, (part) => this.db.selectFrom('orders').selectAll().where('id', 'in', part).execute());
  }

  async canaryCustomerIds(ids: readonly string[]): Promise<Set<string>> {
    const rows = await inChunks(ids, (part) => this.db.selectFrom('customers').select('id').where('canary', '=', 1).where('id', 'in', part).execute());
    return new Set(rows.map((r) => r.id));
  }

  async allCanaryCustomerIds(): Promise<string[]> {
    return (await this.db.selectFrom('customers').select('id').where('canary', '=', 1).execute()).map((r) => r.id);
  }

  /** Inserts a trip; returns false when the same (canary, clientId) was already recorded. */
  async insertTrip(trip: Insertable<CanaryTripsTable>): Promise<boolean> {
    const r = await this.db.insertInto('canary_trips').values(trip).onConflict((oc) => oc.columns(['canary_id', 'client_id']).doNothing()).executeTakeFirst();
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
        .where((eb) => eb.or([eb('canaries.recipient_id', 'in', part), eb.and([eb('canaries.scope_kind', 'in', ['principal', 'api_client']), eb('canaries.scope_id', 'in', part)])]))
        .execute(),
    );
  }

  async tripCounts(canaryIds: readonly string[]): Promise<Map<string, number>> {
    const rows = await inChunks(canaryIds, (part) =>
      this.db.selectFrom('canary_trips').select(['canary_id', (eb) => eb.fn.countAll<number>().as('n')]).where('canary_id', 'in', part).groupBy('canary_id').execute(),
    );
    return new Map(rows.map((r) => [r.canary_id, Number(r.n)]));
  }
}
