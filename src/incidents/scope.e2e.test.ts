// The courier leak end to end on the simulated shop, on each storage backend: the courier's only
// data are the daily exports, whose access rows name orders, not customers. An incident opened for
// it — by hand, for its org, from a canary trip on one of its exports, from a leak match naming
// an export or the courier — must list exactly the customers of the orders it was exported
// (the simulator's ground truth), never 0.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../testing/dialects.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { generateWorld, type SimWorld } from '../sim/world.ts';
import { worldEvents } from '../sim/events.ts';

const DAY = 86_400_000;

for (const dialect of testDialects()) {
  describe(`incident scope of a courier's exports on ${dialect.name}`, () => {
    let t: TestApp;
    let world: SimWorld;
    const courier = 'courier-1';
    let truth: Set<string>;

    before(async () => {
      t = await createTestApp(dialect, { logLevel: 'warn' });
      // recent enough that a canary trip's default look-back (90 days) covers every export
      world = generateWorld({ scenario: 'courier', seed: 3, customers: 600, days: 20, principals: 80, lightBatch: true, start: Date.now() - 30 * DAY });
      let batch: unknown[] = [];
      for (const e of worldEvents(world)) {
        batch.push(e);
        if (batch.length === 5000) {
          await t.ctx.services.events.ingest(batch);
          batch = [];
        }
      }
      await t.ctx.services.events.ingest(batch);
      // ground truth: the customers of every order exported to the courier
      const idx = world.principals.findIndex((p) => p.id === courier);
      truth = new Set(world.exports.filter((x) => x.principal === idx).flatMap((x) => x.orders.map((o) => world.customers[world.orders[o]!.customer]!.id)));
      assert.ok(truth.size > 20, `the courier received ${truth.size} customers`);
    });
    after(async () => {
      await t.close();
    });

    const open = async (payload: Record<string, unknown>) => {
      const r = await t.app.inject({ method: 'POST', url: '/v1/incidents', headers: t.auth('analyst'), payload });
      assert.equal(r.statusCode, 201, r.body);
      const inc = r.json();
      const ids = new Set(await t.ctx.services.incidents.customerIds(inc.id, { limit: 10_000 }));
      assert.equal(ids.size, inc.affected);
      return { inc, ids };
    };
    const window = () => ({ from: new Date(world.start - DAY).toISOString(), to: new Date(world.end + DAY).toISOString() });
    const exportOfCourier = () => world.exports.find((x) => world.principals[x.principal]!.id === courier)!;

    it('by hand for the courier: exactly the customers of the exported orders', async () => {
      const { inc, ids } = await open({ title: 'Courier leak', principalIds: [courier], fields: ['name', 'phone', 'address'], ...window() });
      assert.deepEqual([...ids].sort(), [...truth].sort());
      assert.equal(
        Object.values(inc.counts.byProvince as Record<string, number>).reduce((a, b) => a + b, 0),
        truth.size,
      );
    });

    it('by hand for the courier company (org group): the same customers', async () => {
      const org = world.principals.find((p) => p.id === courier)!.org!;
      const { inc, ids } = await open({ title: 'Courier company leak', group: { kind: 'org', id: org }, fields: ['phone'], ...window() });
      assert.deepEqual(inc.principalIds, [courier]);
      assert.deepEqual([...ids].sort(), [...truth].sort());
      const none = await t.app.inject({
        method: 'POST',
        url: '/v1/incidents',
        headers: t.auth('analyst'),
        payload: { title: 'x', group: { kind: 'team', id: 'no-such-team' }, fields: ['phone'], ...window() },
      });
      assert.equal(none.statusCode, 422, none.body);
    });

    it('from a leak match naming one export: its recipient, the same customers', async () => {
      const x = exportOfCourier();
      const { inc, ids } = await open({ leakMatch: { scope: { kind: 'export', id: x.id }, at: new Date(world.end).toISOString() } });
      assert.equal(inc.source, 'leak_match');
      assert.deepEqual(inc.principalIds, [courier]);
      assert.deepEqual([...ids].sort(), [...truth].sort());
    });

    it('from a canary trip on an export: the same customers, the canary itself excluded', async () => {
      const x = exportOfCourier();
      const made = await t.ctx.services.canaries.create({ scope: { kind: 'export', id: x.id }, recipientId: courier, contacts: [{ phone: '+8613912345678' }] });
      await t.ctx.services.events.ingest(made.events);
      const alert = await t.ctx.services.canaries.trip(made.canaries[0]!.id, { channel: 'call' });
      const { inc, ids } = await open({ canaryTripId: alert.trip.id });
      assert.equal(inc.source, 'canary_trip');
      const courierName = world.principals.find((p) => p.id === courier)!.name;
      assert.equal(
        inc.title,
        `泄露：导出 ${x.id} (${courierName} (${courier})) 的诱饵记录被联系（${alert.trip.id}） / Leak: a canary of export ${x.id} (${courierName} (${courier})) was contacted (${alert.trip.id})`,
      );
      assert.deepEqual(inc.principalIds, [courier]);
      assert.deepEqual([...ids].sort(), [...truth].sort());
      assert.ok(!ids.has(made.canaries[0]!.customerId));
    });
  });
}
