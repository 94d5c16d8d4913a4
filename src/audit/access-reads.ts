// The reads other areas need from the access log, so that only the audit area touches it: the
// investigation index's scan in sequence order, reads by principals for an incident's scope, the
// customers each export reached, and reveal counts for the vault's quotas. Rows naming only an
// order are joined to their customer through the shop's published relation (src/shop).
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../db/schema.ts';
import { shopRelations } from '../shop/shop.relations.ts';
import './audit.tables.ts';

import { inChunks } from '../lib/chunks.ts';

/** One access row as the investigation index loads it (customer resolved through its order when known). */
export interface AccessScanRow {
  seq: number;
  principal_id: string;
  customer_id: string | null;
  order_id: string | null;
  fields: number;
  at: number;
  channel: string;
}

/** A read of a real customer's data by one of an incident's principals. */
export interface PrincipalRead {
  customerId: string;
  province: string | null;
  fields: number;
  at: number;
  pos: number | null;
}

export interface RevealCounts {
  day: number;
  hour: number;
  first: number | null;
  firstHour: number | null;
}

export class AccessReads {
  constructor(private readonly db: Kysely<DB>) {}

  /** Access rows after `afterSeq`, in sequence order, with the customer of order-only rows. */
  async scanAfter(afterSeq: number, limit: number): Promise<AccessScanRow[]> {
    const rows = await this.db
      .selectFrom('access_log as a')
      // only rows naming no customer look up their order's (a probe per row costs the full load
      // of a large log several times over)
      .leftJoin(shopRelations.orderCustomers(this.db).as('o'), (j) => j.onRef('o.id', '=', 'a.order_id').on('a.customer_id', 'is', null))
      .select(['a.seq', 'a.principal_id', 'a.order_id', 'a.fields', 'a.at', 'a.channel'])
      .select((eb) => eb.fn.coalesce('a.customer_id', 'o.customer_id').as('customer_id'))
      .where('a.seq', '>', afterSeq)
      .orderBy('a.seq')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ ...r, seq: Number(r.seq), at: Number(r.at), fields: Number(r.fields) }));
  }

  /**
   * Reads of real (non-canary) customers by these principals in [from, to] with any of `fields`.
   * A row naming only an order (export rows, many order reads) counts for that order's customer,
   * through the shop's order relation: an export to a courier reaches every customer it shipped.
   */
  async readsByPrincipals(q: { principalIds: readonly string[]; fields: number; from: number; to: number }): Promise<PrincipalRead[]> {
    if (!q.principalIds.length || !q.fields) return [];
    const rows = await this.db
      .selectFrom('access_log as a')
      .leftJoin(shopRelations.orderCustomers(this.db).as('o'), 'o.id', 'a.order_id')
      .innerJoin(shopRelations.realCustomerPlaces(this.db).as('c'), (j) => j.on((eb) => eb('c.id', '=', eb.fn.coalesce('a.customer_id', 'o.customer_id'))))
      .select(['c.id as customer_id', 'c.province', 'a.fields', 'a.at', 'a.pos'])
      .where('a.principal_id', 'in', [...q.principalIds])
      .where('a.at', '>=', q.from)
      .where('a.at', '<=', q.to)
      .where(sql<boolean>`(a.fields & ${q.fields}) <> 0`)
      .execute();
    return rows.map((r) => ({
      customerId: r.customer_id!,
      province: r.province,
      fields: Number(r.fields),
      at: Number(r.at),
      pos: r.pos === null || r.pos === undefined ? null : Number(r.pos),
    }));
  }

  /** Which of these customers each export reached (through customer rows and through order rows). */
  // Only export.created entries (channel 'export') count as recipients: a later download of the
  // file is a read, not a new recipient.
  async exportHits(customerIds: readonly string[]): Promise<{ exportId: string; principalId: string; customerId: string }[]> {
    const direct = await inChunks(customerIds, (part) =>
      this.db
        .selectFrom('access_log')
        .select(['export_id', 'principal_id', 'customer_id'])
        .where('export_id', 'is not', null)
        .where('channel', '=', 'export')
        .where('customer_id', 'in', part)
        .execute(),
    );
    const viaOrder = await inChunks(customerIds, (part) =>
      this.db
        .selectFrom('access_log')
        .innerJoin(shopRelations.orderCustomers(this.db).as('o'), 'o.id', 'access_log.order_id')
        .select(['access_log.export_id', 'access_log.principal_id', 'o.customer_id'])
        .where('access_log.export_id', 'is not', null)
        .where('access_log.channel', '=', 'export')
        .where('o.customer_id', 'in', part)
        .execute(),
    );
    return [...direct, ...viaOrder].map((r) => ({ exportId: r.export_id!, principalId: r.principal_id, customerId: r.customer_id! }));
  }

  /** The customers one export reached (its recorded access rows for that recipient). */
  async exportCustomers(exportId: string, principalId: string): Promise<Set<string>> {
    const direct = await this.db
      .selectFrom('access_log')
      .select('customer_id')
      .where('export_id', '=', exportId)
      .where('principal_id', '=', principalId)
      .where('customer_id', 'is not', null)
      .execute();
    const viaOrder = await this.db
      .selectFrom('access_log')
      .innerJoin(shopRelations.orderCustomers(this.db).as('o'), 'o.id', 'access_log.order_id')
      .select('o.customer_id')
      .where('access_log.export_id', '=', exportId)
      .where('access_log.principal_id', '=', principalId)
      .where('access_log.customer_id', 'is', null)
      .execute();
    return new Set([...direct, ...viaOrder].map((r) => r.customer_id!));
  }

  /**
   * Distinct customers (canaries included) each export of these recipients reached, and each
   * recipient over all its exports. Reads only those recipients' rows (principal index).
   */
  async exportReach(
    principalIds: readonly string[],
  ): Promise<{ byExport: Map<string, { principalId: string; size: number }>; byPrincipal: Map<string, number> }> {
    const byExport = new Map<string, { principalId: string; size: number }>();
    const byPrincipal = new Map<string, number>();
    const orders = shopRelations.orderCustomers(this.db);
    for (let i = 0; i < principalIds.length; i += 200) {
      const ids = sql.join(principalIds.slice(i, i + 200).map((p) => sql`${p}`));
      const reached = sql`(SELECT a.export_id AS export_id, a.principal_id AS principal_id, a.customer_id AS cid FROM access_log a
          WHERE a.principal_id IN (${ids}) AND a.export_id IS NOT NULL AND a.channel = 'export' AND a.customer_id IS NOT NULL
        UNION ALL SELECT a.export_id, a.principal_id, o.customer_id FROM access_log a JOIN (${orders}) o ON o.id = a.order_id
          WHERE a.principal_id IN (${ids}) AND a.export_id IS NOT NULL AND a.channel = 'export' AND a.customer_id IS NULL) r`;
      const perExport = await sql<{ export_id: string; principal_id: string; n: number }>`
        SELECT r.export_id, r.principal_id, COUNT(DISTINCT r.cid) AS n FROM ${reached} GROUP BY r.export_id, r.principal_id`.execute(this.db);
      const perPrincipal = await sql<{ principal_id: string; n: number }>`
        SELECT r.principal_id, COUNT(DISTINCT r.cid) AS n FROM ${reached} GROUP BY r.principal_id`.execute(this.db);
      for (const r of perExport.rows) byExport.set(r.export_id, { principalId: r.principal_id, size: Number(r.n) });
      for (const r of perPrincipal.rows) byPrincipal.set(r.principal_id, Number(r.n));
    }
    return { byExport, byPrincipal };
  }
}

/**
 * A principal's reveals in the day before `now` (and in its last hour). Runs in the append
 * transaction under the chain lock, so concurrent reveals cannot both slip under a quota.
 */
export async function revealCounts(trx: Transaction<DB>, principal: string, now: number, hourMs: number, dayMs: number): Promise<RevealCounts> {
  const r = await trx
    .selectFrom('access_log')
    .select([
      sql<number>`count(*)`.as('day'),
      sql<number>`sum(case when at >= ${now - hourMs} then 1 else 0 end)`.as('hour'),
      sql<number>`min(at)`.as('first'),
      sql<number>`min(case when at >= ${now - hourMs} then at end)`.as('firstHour'),
    ])
    .where('principal_id', '=', principal)
    .where('channel', '=', 'reveal')
    .where('at', '>=', now - dayMs)
    .executeTakeFirstOrThrow();
  return {
    day: Number(r.day ?? 0),
    hour: Number(r.hour ?? 0),
    first: r.first === null ? null : Number(r.first),
    firstHour: r.firstHour === null ? null : Number(r.firstHour),
  };
}
