import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateWorld, SCENARIOS } from './world.ts';
import { worldEvents } from './events.ts';
import { normalizePhone } from '../lib/phone.ts';
import { EventNormalizer, isProblem } from '../events/events.normalize.ts';
import { DerivedKeyRing, FieldCipher } from '../vault/field-cipher.ts';
import { randomBytes } from 'node:crypto';
import { testDialects } from '../testing/dialects.ts';
import { createTestApp } from '../testing/test-app.ts';
import { loadDemo, demoInvestigationRequest } from './demo.ts';

const SMALL = { customers: 800, days: 30, principals: 100 };

describe('the simulated shop', () => {
  it('has valid mainland mobiles, realistic orders and 8–15 % refunds', () => {
    const w = generateWorld({ ...SMALL, customers: 3000, scenario: 'seller', seed: 5 });
    for (const c of w.customers) assert.ok(normalizePhone(c.phone)?.startsWith('+861'), c.phone);
    assert.ok(w.customers.every((c) => /^[\u4e00-\u9fa5]{2,3}$/.test(c.name) && c.address.province && c.address.line));
    assert.ok(w.orders.every((o) => o.items.every((i) => i.title && i.model && i.color && i.price > 0)));
    const share = w.refunds.length / w.orders.length;
    assert.ok(share > 0.08 && share < 0.15, String(share));
    const kinds = new Set(w.principals.map((p) => p.role));
    for (const r of ['cs', 'aftersales', 'warehouse', 'courier', 'seller', 'bi', 'reco', 'api', 'ops']) assert.ok(kinds.has(r as never), r);
  });

  it('emits only events the ingest contract accepts, in time order', () => {
    const normalizer = new EventNormalizer(new FieldCipher(new DerivedKeyRing(randomBytes(32))), () => Date.UTC(2027, 0, 1));
    for (const scenario of SCENARIOS) {
      const w = generateWorld({ ...SMALL, customers: 300, scenario, seed: 2 });
      let last = 0;
      let n = 0;
      for (const e of worldEvents(w)) {
        const r = normalizer.normalize(e, Date.now());
        assert.ok(!isProblem(r), `${scenario}: ${JSON.stringify(r)} ${JSON.stringify(e).slice(0, 300)}`);
        const t = Date.parse(e.at);
        if (e.type !== 'principal.upserted' && e.type !== 'customer.upserted') {
          assert.ok(t >= last);
          last = t;
        }
        n++;
      }
      assert.ok(n > 1000);
      assert.ok(w.truth.scenario === scenario);
    }
  });

  it('writes scam reports shaped as POST /v1/reports bodies', () => {
    const w = generateWorld({ ...SMALL, customers: 3000, scenario: 'insider-agent', seed: 1 });
    assert.ok(w.reports.length > 0);
    for (const r of w.reports) {
      assert.ok(
        !Number.isNaN(Date.parse(r.contactAt)) && r.channel === 'call' && r.callerNumbers.length && r.knewFields.includes('phone') && r.orderIds.length === 1,
      );
      for (const p of r.payments) assert.ok(p.amount > 0 && p.currency === 'CNY' && p.payeeAccount);
    }
    // the ground truth is not in what the system under test receives
    assert.ok(!JSON.stringify(w.reports).includes(w.truth.leakers[0]!));
  });
});

const [sqlite] = testDialects();
describe('the demo loader', () => {
  it('loads a shop with a leak in progress into an empty database, and only then', async () => {
    const t = await createTestApp(sqlite!, { logLevel: 'warn' });
    try {
      const lines: string[] = [];
      const world = await loadDemo(t.ctx, (l) => lines.push(l));
      assert.ok(world);
      assert.match(lines.join('\n'), /POST .*\/v1\/investigations/);
      assert.ok(world.end <= Date.now() + 86_400_000 && world.end > Date.now() - 2 * 86_400_000);
      // nothing the shop stored lies in the future of the moment the demo was loaded
      const latest = await t.database.db
        .selectFrom('events')
        .select((eb) => eb.fn.max('at').as('at'))
        .executeTakeFirstOrThrow();
      assert.ok(Number(latest.at) <= Date.now(), `an event at ${new Date(Number(latest.at)).toISOString()} is in the future`);
      // The reports were filed through the reports service and formed a case; investigating that
      // case names the leaker too.
      const stored = await t.database.db.selectFrom('reports').select(['case_id']).execute();
      assert.equal(stored.length, world.reports.length);
      const caseId = /"caseId":"([^"]+)"/.exec(lines.join('\n'))?.[1];
      assert.ok(caseId, 'the loader names the case to investigate');
      // what it says of the cases is their state after every report (and merge), not before
      const open = await t.database.db
        .selectFrom('cases')
        .select(['id', 'report_count'])
        .where('merged_into', 'is', null)
        .orderBy('report_count', 'desc')
        .execute();
      assert.equal(open[0]!.id, caseId);
      assert.match(lines.join('\n'), new RegExp(`in ${open.length} cases?\\)[\\s\\S]*largest case \\(${open[0]!.report_count} reports\\)`));
      const byCase = await t.app.inject({ method: 'POST', url: '/v1/investigations', headers: t.auth('analyst'), payload: { caseId } });
      assert.equal(byCase.statusCode, 201, byCase.body);
      assert.equal(byCase.json().verdict, 'attributed');
      assert.deepEqual([byCase.json().suspects[0].principalId], world.truth.leakers);
      const r = await t.app.inject({ method: 'POST', url: '/v1/investigations', headers: t.auth('analyst'), payload: demoInvestigationRequest(world) });
      assert.equal(r.statusCode, 201, r.body);
      assert.equal(r.json().verdict, 'attributed');
      assert.deepEqual([r.json().suspects[0].principalId], world.truth.leakers);
      const again: string[] = [];
      assert.equal(await loadDemo(t.ctx, (l) => again.push(l)), null);
      assert.match(again[0]!, /empty database/);
    } finally {
      await t.close();
    }
  });
});
