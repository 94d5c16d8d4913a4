// Keeps the in-memory access index in step with the access log: the first refresh loads every
// row, later ones only the rows after the last sequence number seen (no reload), both in pages.
import { AccessIndex } from './access-index.ts';
import type { InvestigationsRepository } from './investigations.repository.ts';

const LOAD_PAGE = 50_000;

/**
 * Keeps an AccessIndex in step with the access_log table: loaded once, then caught up by
 * sequence number before each investigation (so reads recorded by any node or by the vault are
 * seen). Rows naming only an order whose order.placed has not arrived yet wait in `pending`.
 */
export class AccessIndexLoader {
  index = new AccessIndex();
  private pending: { principal: string; order: string; fields: number; at: number; channel: string }[] = [];
  private loading: Promise<void> | null = null;
  constructor(private readonly repo: Pick<InvestigationsRepository, 'accessAfter' | 'customersOfOrders'>) {}

  refresh(): Promise<void> {
    // one refresh at a time; concurrent investigations wait for the same one
    if (!this.loading) this.loading = this.catchUp().finally(() => (this.loading = null));
    return this.loading;
  }

  private async catchUp() {
    const idx = this.index;
    if (this.pending.length) {
      const owners = await this.repo.customersOfOrders(this.pending.map((p) => p.order));
      const still: typeof this.pending = [];
      for (const p of this.pending) {
        const c = owners.get(p.order);
        if (c) idx.append({ principal: p.principal, customer: c, order: p.order, fields: p.fields, at: p.at, channel: p.channel });
        else still.push(p);
      }
      this.pending = still;
    }
    for (;;) {
      const rows = await this.repo.accessAfter(idx.lastSeq, LOAD_PAGE);
      for (const r of rows) {
        if (r.customer_id)
          idx.append({ principal: r.principal_id, customer: r.customer_id, order: r.order_id, fields: r.fields, at: r.at, channel: r.channel });
        else if (r.order_id) this.pending.push({ principal: r.principal_id, order: r.order_id, fields: r.fields, at: r.at, channel: r.channel });
        idx.lastSeq = r.seq;
      }
      if (rows.length < LOAD_PAGE) break;
    }
    // fold the new rows in once (rebuilding per page would be quadratic on a first load)
    idx.compact();
  }
}
