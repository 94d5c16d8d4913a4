// The index kept current from the database: loaded once, then caught up by sequence number in
// several steps (with folds in between, and rows naming only an order whose order arrives later)
// answers exactly like an index loaded from scratch from the same table, on each backend.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../testing/dialects.ts';
import { AccessIndexLoader } from './access-index.loader.ts';
import { InvestigationsRepository } from './investigations.repository.ts';
import { ShopService } from '../shop/shop.service.ts';
import { AccessReads } from '../audit/access-reads.ts';
import type { AccessIndex } from './access-index.ts';
import type { Database } from '../db/database.ts';
import { Prng } from '../sim/prng.ts';

const T0 = Date.UTC(2026, 5, 1);
const DAY = 86_400_000;
const CHANNELS = ['console', 'api', 'export', 'batch'];

/** Every read the index answers, by customer and by principal, with ids (not dense numbers). */
function answers(idx: AccessIndex, from: number, to: number) {
  const out: string[] = [];
  for (let c = 0; c < idx.customers.size; c++)
    idx.forCustomer(c, from, to, (_r, p, f, at, o, ch) =>
      out.push(`c ${idx.customers.id(c)} ${idx.principals.id(p)} ${f} ${at} ${o < 0 ? '-' : idx.orders.id(o)} ${ch}`),
    );
  for (let p = 0; p < idx.principals.size; p++)
    idx.forPrincipal(p, from, to, (c, f, at, o) =>
      out.push(`p ${idx.principals.id(p)} ${idx.customers.id(c)} ${f} ${at} ${o < 0 ? '-' : idx.orders.id(o)} ${idx.rowCount(p)}`),
    );
  return out.sort();
}

for (const dialect of testDialects()) {
  describe(`access index from the ${dialect.name} access log`, () => {
    it('caught up incrementally, answers exactly like one loaded from scratch', async () => {
      const database: Database = await dialect.open();
      try {
        const db = database.db;
        const repo = new InvestigationsRepository(database, new ShopService(db), new AccessReads(db));
        const prng = new Prng(11);
        let order = 0;
        const addOrder = (id: string, customer: string) =>
          db
            .insertInto('orders')
            .values({ id, customer_id: customer, items: '[]', total_minor: 100, currency: 'EUR', placed_at: T0, updated_at: T0 })
            .execute();
        // a batch of reads: most name their customer, some only an order (known now or later)
        const addReads = async (n: number, late: string[]) => {
          const rows = [];
          for (let i = 0; i < n; i++) {
            const c = `cus-${prng.int(0, 60)}`;
            const kind = prng.int(0, 10);
            let orderId: string | null = null;
            let customer: string | null = c;
            if (kind >= 7) {
              orderId = `ord-${order++}`;
              if (kind === 9) late.push(orderId);
              else await addOrder(orderId, c);
              customer = null;
            } else if (kind >= 4) orderId = `ord-x${prng.int(0, 30)}`;
            const at = T0 + prng.int(0, 90 * DAY);
            rows.push({
              source: 'test',
              principal_id: `emp-${prng.int(0, 12)}`,
              customer_id: customer,
              order_id: orderId,
              fields: 1 + prng.int(0, 511),
              channel: CHANNELS[prng.int(0, 4)]!,
              at,
              recorded_at: at,
            });
          }
          await db.insertInto('access_log').values(rows).execute();
        };
        const late: string[] = [];
        const inc = new AccessIndexLoader(repo);
        await addReads(400, late);
        await inc.refresh();
        assert.equal(inc.index.size + late.length, 400);
        await addReads(300, late);
        await inc.refresh();
        inc.index.compact(true); // a fold between two catch-ups
        assert.equal(inc.index.tailSize, 0);
        for (const id of late.splice(0)) await addOrder(id, `cus-${prng.int(0, 60)}`); // the late orders arrive
        await addReads(300, late);
        await inc.refresh();
        assert.ok(inc.index.tailSize > 0, 'the last rows are still in the tail');
        assert.equal(inc.index.size + late.length, 1000);

        const scratch = new AccessIndexLoader(repo);
        await scratch.refresh();
        assert.equal(scratch.index.lastSeq, inc.index.lastSeq);
        for (const [from, to] of [
          [-Infinity, Infinity],
          [T0 + 20 * DAY, T0 + 50 * DAY],
        ] as const) {
          const want = answers(scratch.index, from, to);
          assert.ok(want.length > 100);
          assert.deepEqual(answers(inc.index, from, to), want);
          // and the same once both have folded everything in
          scratch.index.compact(true);
          inc.index.compact(true);
          assert.deepEqual(answers(inc.index, from, to), want);
        }
      } finally {
        await database.close();
      }
    });
  });
}
