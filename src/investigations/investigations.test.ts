// Investigations through the API, on each storage backend: a simulated shop is ingested
// through POST /v1/events and its reported victims are investigated.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../testing/dialects.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { generateWorld, type SimWorld } from '../sim/world.ts';
import { worldEvents } from '../sim/events.ts';
import { demoInvestigationRequest } from '../sim/demo.ts';

const DAY = 86_400_000;

for (const dialect of testDialects()) {
  describe(`investigations on ${dialect.name}`, () => {
    let t: TestApp;
    let world: SimWorld;
    before(async () => {
      t = await createTestApp(dialect, { logLevel: 'warn' });
      world = generateWorld({
        scenario: 'insider-agent',
        seed: 2,
        customers: 2500,
        days: 40,
        principals: 150,
        lightBatch: true,
        start: Date.UTC(2026, 8, 1) - 8 * 3_600_000,
      });
      let batch: unknown[] = [];
      for (const e of worldEvents(world)) {
        batch.push(e);
        if (batch.length === 5000) {
          const r = await t.ctx.services.events.ingest(batch);
          assert.equal(r.rejected.length, 0, JSON.stringify(r.rejected[0]));
          batch = [];
        }
      }
      await t.ctx.services.events.ingest(batch);
    });
    after(async () => t.close());

    const post = (body: unknown, role: 'analyst' | 'admin' | 'agent' = 'analyst') =>
      t.app.inject({ method: 'POST', url: '/v1/investigations', headers: t.auth(role as never), payload: body as object });

    it('attributes the insider from victims given by order, with evidence and customers at risk', async () => {
      assert.ok(world.reports.length >= 4, `only ${world.reports.length} reports`);
      const r = await post(demoInvestigationRequest(world));
      assert.equal(r.statusCode, 201, r.body);
      const inv = r.json();
      assert.equal(inv.verdict, 'attributed');
      assert.equal(inv.suspects[0].principalId, world.truth.leakers[0]);
      assert.equal(inv.suspects[0].status, 'attributed');
      assert.equal(inv.suspects[0].kind, 'staff');
      assert.ok(inv.suspects[0].adjustedPValue <= inv.settings.alpha);
      assert.ok(inv.suspects[0].evidence.length >= 3);
      const ev = inv.suspects[0].evidence[0];
      assert.ok(ev.reads.length >= 1 && ev.reads.every((x: { at: string }) => Date.parse(x.at) < Date.parse(ev.victim.contactAt)));
      assert.equal(inv.atRisk[0].principalId, world.truth.leakers[0]);
      const reported = new Set(world.reportSubjects.map((s) => world.customers[s.customer]!.id));
      assert.ok(inv.atRisk[0].count > 0 && inv.atRisk[0].customerIds.every((c: string) => !reported.has(c)));
      assert.equal(r.headers.location, `/v1/investigations/${inv.id}`);
      // stored and readable
      const g = await t.app.inject({ method: 'GET', url: `/v1/investigations/${inv.id}`, headers: t.auth('analyst') });
      assert.equal(g.statusCode, 200);
      assert.deepEqual(g.json(), inv);
      const list = await t.app.inject({ method: 'GET', url: '/v1/investigations', headers: t.auth('admin') });
      assert.ok(list.json().some((x: { id: string }) => x.id === inv.id));
      // no personal data in the logs
      for (const c of world.customers.slice(0, 50)) assert.ok(!t.logs().includes(c.phone));
      // the loaded index's size in the metrics: every read, and its bytes by part (the 40-byte
      // bound is for large indexes: access-index.test.ts)
      const metrics = (await t.app.inject({ method: 'GET', url: '/metrics', headers: t.auth('admin') })).body;
      const reads = Number(/^fanzha_investigation_index_reads (\d+)$/m.exec(metrics)?.[1]);
      assert.ok(reads >= world.access.n * 0.9, `${reads} reads of ${world.access.n}`);
      const bytes = [...metrics.matchAll(/^fanzha_investigation_index_bytes\{part="\w+"\} (\d+)$/gm)].map((m) => Number(m[1]));
      assert.equal(bytes.length, 4);
      const mem = t.ctx.services.investigations.loader.index.memory();
      assert.equal(reads, mem.reads);
      assert.equal(
        bytes.reduce((a, b) => a + b, 0),
        mem.total,
      );
    });

    it('is idempotent with clientRef', async () => {
      const body = { ...demoInvestigationRequest(world), clientRef: 'case-2026-17' };
      const a = await post(body);
      const b = await post(body);
      assert.equal(a.statusCode, 201);
      assert.equal(b.statusCode, 200);
      assert.equal(a.json().id, b.json().id);
    });

    it('excludes canary customers from victim counts and customers at risk', async () => {
      const leaker = world.truth.leakers[0]!;
      const at = new Date(world.end - DAY).toISOString();
      const ing = await t.ctx.services.events.ingest([
        { id: 'canary-c', type: 'customer.upserted', at, customerId: 'CANARY-1', name: '林晓梅', phone: '13912345678' },
        {
          id: 'canary-o',
          type: 'order.placed',
          at,
          orderId: 'CANARY-O1',
          customerId: 'CANARY-1',
          items: [{ sku: 'X', title: '电饭煲', price: 459, quantity: 1 }],
          total: 459,
        },
        {
          id: 'canary-read',
          type: 'data.accessed',
          at,
          principalId: leaker,
          orderId: 'CANARY-O1',
          fields: ['name', 'phone', 'items', 'refund', 'orderNo', 'address', 'price'],
          channel: 'console',
        },
      ]);
      assert.equal(ing.accepted, 3);
      await t.database.db.updateTable('customers').set({ canary: 1 }).where('id', '=', 'CANARY-1').execute();
      const req = demoInvestigationRequest(world);
      req.victims.push({ orderId: 'CANARY-O1', contactAt: new Date(world.end - DAY / 2).toISOString(), knewFields: ['name', 'phone'] });
      const r = await post(req);
      assert.equal(r.statusCode, 201, r.body);
      const inv = r.json();
      assert.equal(inv.victims.canaries, 1);
      assert.equal(inv.victims.used, req.victims.length - 1);
      assert.ok(!inv.atRisk[0].customerIds.includes('CANARY-1'));
    });

    it('sees reads recorded after the index was loaded', async () => {
      const leaker = world.truth.leakers[0]!;
      const victim = world.customers.find((_, i) => !world.reportSubjects.some((s) => s.customer === i))!;
      const at = new Date(world.end - 2 * DAY).toISOString();
      await t.ctx.services.events.ingest([
        { id: 'late-read', type: 'data.accessed', at, principalId: 'ops-late', customerId: victim.id, fields: ['name', 'phone'], channel: 'console' },
      ]);
      const r = await post({ victims: [{ customerId: victim.id, contactAt: new Date(world.end - DAY).toISOString(), knewFields: ['name', 'phone'] }] });
      const inv = r.json();
      assert.ok(inv.suspects.some((s: { principalId: string }) => s.principalId === 'ops-late'));
      assert.equal(inv.verdict, 'inconclusive');
      assert.ok(leaker);
    });

    it('rejects bad requests with problems and says when reports are not available', async () => {
      const noVictim = await post({ victims: [{ customerId: 'nobody', contactAt: '2026-09-01T00:00:00Z', knewFields: ['name'] }] });
      assert.equal(noVictim.statusCode, 422);
      assert.match(noVictim.json().type, /no-victims$/);
      const both = await post({ victims: [{ customerId: 'x', contactAt: '2026-09-01T00:00:00Z', knewFields: ['name'] }], caseId: 'case_1' });
      assert.equal(both.statusCode, 400);
      const badField = await post({ victims: [{ customerId: 'x', contactAt: '2026-09-01T00:00:00Z', knewFields: ['password'] }] });
      assert.equal(badField.statusCode, 400);
      const badTime = await post({ victims: [{ customerId: 'x', contactAt: 'yesterday!', knewFields: ['name'] }] });
      assert.equal(badTime.statusCode, 400);
      // With the reports area, unknown report ids name no victims; without it, reports are not available.
      const unknown = await post({ reportIds: ['rep_1'] });
      assert.equal(unknown.statusCode, 422);
      assert.match(unknown.json().type, /no-victims$/);
      const source = t.ctx.services.victimSource;
      delete t.ctx.services.victimSource;
      try {
        const reports = await post({ reportIds: ['rep_1'] });
        assert.equal(reports.statusCode, 422);
        assert.match(reports.json().type, /reports-not-available$/);
      } finally {
        t.ctx.services.victimSource = source;
      }
      const missing = await t.app.inject({ method: 'GET', url: '/v1/investigations/inv_nope', headers: t.auth('analyst') });
      assert.equal(missing.statusCode, 404);
      const agent = await post({ caseId: 'c' }, 'agent');
      assert.equal(agent.statusCode, 403);
    });

    it('resolves reportIds and caseId through the victim source when there is one', async () => {
      const subjects = world.reportSubjects;
      const source = t.ctx.services.victimSource;
      t.ctx.services.victimSource = {
        victimsForReports: async (ids) =>
          ids.map((id) => {
            const s = subjects[Number(id.slice(4))]!;
            return { orderId: world.orders[s.order]!.id, contactAt: s.contactAt, knewFields: s.knewFields, reportId: id };
          }),
        victimsForCase: async () =>
          subjects.map((s, i) => ({ orderId: world.orders[s.order]!.id, contactAt: s.contactAt, knewFields: s.knewFields, reportId: `rep_${i}` })),
      };
      try {
        const r = await post({ reportIds: subjects.map((_, i) => `rep_${i}`) });
        assert.equal(r.statusCode, 201, r.body + t.logs().slice(-3000));
        assert.equal(r.json().suspects[0].principalId, world.truth.leakers[0]);
        assert.ok(r.json().suspects[0].evidence[0].victim.reportId.startsWith('rep_'));
        const c = await post({ caseId: 'case_1' });
        assert.equal(c.json().verdict, 'attributed');
      } finally {
        t.ctx.services.victimSource = source;
      }
    });
  });
}
