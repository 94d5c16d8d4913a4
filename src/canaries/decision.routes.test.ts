// The deciding step through the API: a simulated courier leak is ingested and investigated, canaries
// are planted for the not-excluded principals, the shop reports the calls the world makes to them,
// and the decision names the courier and nobody else.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../testing/dialects.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { generateWorld, type SimWorld } from '../sim/world.ts';
import { worldEvents } from '../sim/events.ts';
import { demoInvestigationRequest } from '../sim/demo.ts';
import { mobileNumber } from '../sim/sim.data.ts';
import { Prng } from '../sim/prng.ts';

for (const dialect of testDialects())
  describe(`deciding between not-excluded principals through the API on ${dialect.name}`, () => {
    let t: TestApp;
    let world: SimWorld;
    let investigationId: string;
    let contacts: { phone: string }[];
    // The callers here knew the customer's name and phone only: the unit of evidence is the customer,
    // whom the courier and the BI sync both read (had they quoted the order, the BI sync, which reads
    // an order the night after it is placed, would not have read some quoted orders before the call).
    const request = () => {
      const req = demoInvestigationRequest(world);
      return { victims: req.victims.map((v) => ({ ...v, knewFields: ['name', 'phone'] })) };
    };
    before(async () => {
      t = await createTestApp(dialect, { logLevel: 'warn' });
      world = generateWorld({
        scenario: 'courier',
        seed: 1,
        customers: 800,
        days: 30,
        principals: 100,
        lightBatch: true,
        start: Date.UTC(2026, 8, 1) - 8 * 3_600_000,
      });
      const events = [...worldEvents(world)];
      for (let i = 0; i < events.length; i += 5000) assert.equal((await t.ctx.services.events.ingest(events.slice(i, i + 5000))).rejected.length, 0);
      const r = await t.app.inject({ method: 'POST', url: '/v1/investigations', headers: t.auth('analyst'), payload: request() });
      assert.equal(r.statusCode, 201, r.body);
      investigationId = r.json().id;
      const used = new Set(world.customers.map((c) => c.phone));
      const rng = new Prng(77);
      contacts = [];
      while (contacts.length < 12) {
        const phone = mobileNumber(rng);
        if (!used.has(phone)) {
          used.add(phone);
          contacts.push({ phone });
        }
      }
    });
    after(async () => t.close());

    const plant = (body: object, role: 'analyst' | 'agent' = 'analyst', id = investigationId) =>
      t.app.inject({ method: 'POST', url: `/v1/investigations/${id}/canaries`, headers: t.auth(role as never), payload: body });
    const decision = () => t.app.inject({ method: 'GET', url: `/v1/investigations/${investigationId}/decision`, headers: t.auth('analyst') });

    it('plants one canary set per not-excluded principal, once, and decides from the trips', async () => {
      const inv = (await t.app.inject({ method: 'GET', url: `/v1/investigations/${investigationId}`, headers: t.auth('analyst') })).json();
      const notExcluded: string[] = inv.notExcluded.map((n: { principalId: string }) => n.principalId).sort();
      assert.deepEqual(notExcluded, ['courier-1', 'sys-bi']);

      const r = await plant({ contacts: contacts.slice(0, 10), maxCanaries: 5 });
      assert.equal(r.statusCode, 201, r.body);
      const body = r.json();
      assert.equal(body.principals.length, 2);
      for (const s of body.principals) {
        assert.equal(s.planned, 5);
        assert.equal(s.created, 5);
        assert.ok(s.missProbability > 0 && s.missProbability < 1);
        assert.ok(s.canaries.every((c: { scope: { kind: string; id: string } }) => c.scope.kind === 'principal' && c.scope.id === s.principalId));
        // the events to inject into that scope only: a customer and an order per canary
        assert.equal(s.events.filter((e: { type: string }) => e.type === 'customer.upserted').length, 5);
      }
      assert.equal(body.principals.find((s: { principalId: string }) => s.principalId === 'courier-1').delivery, 'export');
      assert.equal(body.principals.find((s: { principalId: string }) => s.principalId === 'sys-bi').delivery, 'inject');

      // planting again returns the same canaries
      const again = await plant({ contacts: contacts.slice(10), maxCanaries: 5 });
      assert.equal(again.statusCode, 200, again.body);
      const ids = (x: { principals: { canaries: { id: string }[] }[] }) => x.principals.map((s) => s.canaries.map((c) => c.id).sort());
      assert.deepEqual(ids(again.json()), ids(body));

      const before = (await decision()).json();
      assert.equal(before.status, 'observing');
      assert.deepEqual(before.confirmed, []);

      // the shop's phone line reports a call to one of the courier's canaries
      const courierCanary = body.principals.find((s: { principalId: string }) => s.principalId === 'courier-1').canaries[2].id;
      const trip = await t.app.inject({
        method: 'POST',
        url: `/v1/canaries/${courierCanary}/trips`,
        headers: t.auth('ingest'),
        payload: { channel: 'call', tripId: 'call-1' },
      });
      assert.equal(trip.statusCode, 201, trip.body);
      const d = await decision();
      assert.equal(d.statusCode, 200, d.body);
      assert.equal(d.json().status, 'decided');
      assert.deepEqual(d.json().confirmed, ['courier-1']);
      const bi = d.json().principals.find((p: { principalId: string }) => p.principalId === 'sys-bi');
      assert.equal(bi.status, 'observing');
      assert.equal(bi.evidence.length, 0);
      const c1 = d.json().principals.find((p: { principalId: string }) => p.principalId === 'courier-1');
      assert.equal(c1.evidence[0].canaryId, courierCanary);
      // no watched number in the logs
      for (const c of contacts) assert.ok(!t.logs().includes(c.phone.replace(/\s/g, '').slice(-8)));
    });

    it('refuses what it cannot do with problem details', async () => {
      const notFound = await plant({ contacts }, 'analyst', 'inv_nope');
      assert.equal(notFound.statusCode, 404);
      assert.match(notFound.headers['content-type'] as string, /problem\+json/);
      assert.equal((await t.app.inject({ method: 'GET', url: '/v1/investigations/inv_nope/decision', headers: t.auth('analyst') })).statusCode, 404);
      assert.equal((await plant({ contacts }, 'agent')).statusCode, 403);
      assert.equal((await plant({ maxCanaries: 0 })).statusCode, 400);
      // a second investigation of the same victims, nothing planted for it yet
      const second = await t.app.inject({
        method: 'POST',
        url: '/v1/investigations',
        headers: t.auth('analyst'),
        payload: { ...request(), clientRef: 'second' },
      });
      const id2 = second.json().id as string;
      const short = await plant({ contacts: contacts.slice(10, 11) }, 'analyst', id2);
      assert.equal(short.statusCode, 409, short.body);
      assert.match(short.body, /2 principals need canaries but only 1/);
      // no pool configured and none given
      assert.equal((await plant({}, 'analyst', id2)).statusCode, 409);
      const bad = await plant({ contacts: [{ phone: '12345' }, { phone: '+86 139 0000 0000' }] }, 'analyst', id2);
      assert.equal(bad.statusCode, 400, bad.body);
      assert.ok(!bad.body.includes('12345'));
    });

    it('decides from a leaked file that carries a canary row, never from coverage alone', async () => {
      const inv = await t.app.inject({ method: 'POST', url: '/v1/investigations', headers: t.auth('analyst'), payload: { ...request(), clientRef: 'third' } });
      const id3 = inv.json().id as string;
      const planted = await plant({ contacts: contacts.slice(10, 12), maxCanaries: 1 }, 'analyst', id3);
      assert.equal(planted.statusCode, 201, planted.body);
      const courierSet = planted.json().principals.find((s: { principalId: string }) => s.principalId === 'courier-1');
      const canaryPhone = courierSet.events.find((e: { type: string }) => e.type === 'customer.upserted').phone as string;
      // the courier's last export as the scammers would pass it on: real customers' names and phones
      const courier = world.principals.findIndex((p) => p.id === 'courier-1');
      const rows = world.exports
        .filter((e) => e.principal === courier)
        .slice(-3)
        .flatMap((e) => e.orders.map((o) => world.customers[world.orders[o]!.customer]!));
      const file = (extra: string[]) => ['姓名,电话', ...rows.map((c) => `${c.name},${c.phone}`), ...extra].join('\n');
      const decideWith = (leakedFile: string) =>
        t.app.inject({ method: 'POST', url: `/v1/investigations/${id3}/decision`, headers: t.auth('analyst'), payload: { leakedFile } });
      type P = { principalId: string; status: string; evidence: { kind: string; canaryIds?: string[]; at: string }[] };
      const matchEvidence = (r: { json(): { principals: P[] } }) =>
        r.json().principals.flatMap((p) => p.evidence.filter((e) => e.kind === 'leak_match').map((e) => ({ principalId: p.principalId, ...e })));
      const coverageOnly = await decideWith(file([]));
      assert.equal(coverageOnly.statusCode, 200, coverageOnly.body);
      assert.deepEqual(matchEvidence(coverageOnly), []);
      const withCanary = await decideWith(file([`王小明,${canaryPhone}`]));
      assert.deepEqual(matchEvidence(withCanary), [
        { principalId: 'courier-1', kind: 'leak_match', canaryIds: [courierSet.canaries[0].id], substituteHits: 0, at: matchEvidence(withCanary)[0]!.at },
      ]);
      // (courier-1 is confirmed by the earlier trip too: a trip of any canary exposed only to it counts)
      assert.deepEqual(withCanary.json().confirmed, ['courier-1']);
      assert.equal(withCanary.json().principals.find((p: { principalId: string }) => p.principalId === 'sys-bi').status, 'observing');
    });

    it('counts a call to a substitute given only to a not-excluded principal as proof', async () => {
      const inv = await t.app.inject({ method: 'POST', url: '/v1/investigations', headers: t.auth('analyst'), payload: { ...request(), clientRef: 'third' } });
      const id3 = inv.json().id as string;
      const before = await t.app.inject({ method: 'GET', url: `/v1/investigations/${id3}/decision`, headers: t.auth('analyst') });
      const bi = (r: typeof before) => r.json().principals.find((p: { principalId: string }) => p.principalId === 'sys-bi');
      assert.equal(bi(before).status, 'observing');
      // the BI sync's next feed goes out as a fingerprinted export with tokens instead of phones
      const orders = world.orders.slice(0, 5).map((o) => o.id);
      const exp = await t.app.inject({
        method: 'POST',
        url: '/v1/exports',
        headers: t.auth('ingest'),
        payload: { exportId: 'bi-feed-1', recipientId: 'sys-bi', orderIds: orders, fields: ['name', 'phone'], phone: 'token', canaryRows: 0 },
      });
      assert.equal(exp.statusCode, 201, exp.body);
      const token = exp.json().file.content.trim().split('\r\n')[1].split(',')[1] as string;
      const call = await t.app.inject({
        method: 'POST',
        url: '/v1/exports/substitutes/calls',
        headers: t.auth('ingest'),
        payload: { value: token, callId: 'bi-line-1' },
      });
      assert.equal(call.statusCode, 201, call.body);
      const after = await t.app.inject({ method: 'GET', url: `/v1/investigations/${id3}/decision`, headers: t.auth('analyst') });
      assert.equal(bi(after).status, 'confirmed');
      assert.deepEqual(
        bi(after).evidence.map((e: { kind: string; callId?: string }) => [e.kind, e.callId]),
        [['substitute_call', call.json().call.id]],
      );
    });
  });
