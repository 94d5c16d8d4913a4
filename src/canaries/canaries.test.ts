import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../testing/dialects.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { signWebhook } from './canaries.webhook.ts';

const SECRET = 'whsec-0123456789abcdef0123';

const WATCHED = ['15000000101', '15000000102', '15000000103', '15000000104'];
const at = new Date(Date.UTC(2026, 6, 14, 2)).toISOString();

for (const dialect of testDialects()) {
  describe(`canary customers on ${dialect.name}`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect, { areas: { canaries: { webhookSecret: SECRET } } });
    });
    after(async () => t.close());

    const post = (url: string, payload: unknown, role: 'analyst' | 'ingest' | 'admin' | 'agent' = 'analyst') =>
      t.app.inject({ method: 'POST', url, headers: t.auth(role), payload: payload as object });
    const get = (url: string, role: 'analyst' | 'ingest' = 'analyst') => t.app.inject({ method: 'GET', url, headers: t.auth(role) });

    let teamCanary: { id: string; customerId: string; orderIds: string[] };

    it('creates canaries exposed to one scope, stored like real customers and marked canary', async () => {
      const r = await post('/v1/canaries', {
        requestId: 'req-team-1',
        scope: { kind: 'team', id: 'vendor-a/night-shift' },
        contacts: [{ phone: WATCHED[0], email: 'zhang.wei88@example.com' }, { phone: '+86 150-0000-0102' }],
        ordersPerCanary: 2,
        at,
      });
      assert.equal(r.statusCode, 201, r.body);
      const body = r.json();
      assert.equal(body.canaries.length, 2);
      teamCanary = body.canaries[0];
      assert.deepEqual(teamCanary.orderIds.length, 2);
      assert.deepEqual(body.canaries[0].scope, { kind: 'team', id: 'vendor-a/night-shift' });
      // The events look like any shop's: no "canary" anywhere in them.
      assert.ok(!JSON.stringify(body.events).toLowerCase().includes('canary'));
      const cu = body.events.filter((e: { type: string }) => e.type === 'customer.upserted');
      assert.equal(cu.length, 2);
      assert.match(cu[0].name, /^[\p{Script=Han}]{2,3}$/u);
      assert.equal(cu[0].phone, '+8615000000101');
      assert.equal(cu[0].email, 'zhang.wei88@example.com');
      assert.ok(cu[0].address.province && cu[0].address.line);
      // An ordinary history: registered before the orders, orders shortly before `at`.
      const orders = body.events.filter((e: { type: string; customerId: string }) => e.type === 'order.placed' && e.customerId === cu[0].customerId);
      for (const o of orders) {
        assert.ok(Date.parse(o.at) <= Date.parse(at) && Date.parse(o.at) >= Date.parse(at) - 3 * 86_400_000);
        assert.ok(Date.parse(cu[0].at) < Date.parse(o.at));
      }
      assert.equal(body.events.filter((e: { type: string }) => e.type === 'order.placed').length, 4);

      const row = await t.database.db.selectFrom('customers').selectAll().where('id', '=', teamCanary.customerId).executeTakeFirstOrThrow();
      assert.equal(row.canary, 1);
      assert.ok(!row.phone_enc!.includes('15000000101'));
      assert.equal(t.ctx.cipher.decrypt(row.phone_enc!, `customers/${row.id}/phone`), '+8615000000101');
      assert.equal(row.phone_bidx, t.ctx.cipher.blindIndex('phone', '+8615000000101'));
      assert.deepEqual([...(await t.ctx.services.canaries.isCanary([teamCanary.customerId, 'someone-else']))], [teamCanary.customerId]);
    });

    it('re-ingesting the canary events through /v1/events keeps them canaries', async () => {
      const ev = (await get(`/v1/canaries/${teamCanary.id}/events`)).json().events;
      const r = await t.app.inject({ method: 'POST', url: '/v1/events', headers: t.auth('ingest'), payload: ev });
      assert.equal(r.json().rejected.length, 0, r.body);
      const row = await t.database.db.selectFrom('customers').select('canary').where('id', '=', teamCanary.customerId).executeTakeFirstOrThrow();
      assert.equal(row.canary, 1);
    });

    it('is idempotent on requestId and refuses reused or invalid contacts without echoing them', async () => {
      const again = await post('/v1/canaries', {
        requestId: 'req-team-1',
        scope: { kind: 'team', id: 'vendor-a/night-shift' },
        contacts: [{ phone: WATCHED[0] }],
      });
      assert.equal(again.statusCode, 200);
      assert.equal(again.json().duplicate, true);
      assert.equal(again.json().canaries[0].id, teamCanary.id);
      const reused = await post('/v1/canaries', { scope: { kind: 'principal', id: 'p-x' }, contacts: [{ phone: '150 0000 0101' }] });
      assert.equal(reused.statusCode, 409);
      assert.ok(!reused.body.includes('15000000101') && !reused.body.includes('0101'));
      const bad = await post('/v1/canaries', { scope: { kind: 'principal', id: 'p-x' }, contacts: [{ phone: '0755-12345678' }] });
      assert.equal(bad.statusCode, 400);
      assert.ok(!bad.body.includes('12345678'));
      const dupInRequest = await post('/v1/canaries', { scope: { kind: 'principal', id: 'p-x' }, contacts: [{ phone: WATCHED[2] }, { phone: WATCHED[2] }] });
      assert.equal(dupInRequest.statusCode, 400);
      const conc = { requestId: 'req-conc', scope: { kind: 'principal', id: 'p-seller-9' }, contacts: [{ phone: '15000000199' }] };
      const rs = await Promise.all([post('/v1/canaries', conc), post('/v1/canaries', conc), post('/v1/canaries', conc)]);
      assert.deepEqual(rs.map((r) => r.statusCode).sort(), [200, 200, 201], rs.map((r) => r.body).join('\n'));
      assert.equal(new Set(rs.map((r) => r.json().canaries[0].id)).size, 1);
      const own = await post('/v1/canaries', {
        scope: { kind: 'principal', id: 'p-seller-9' },
        contacts: [{ phone: '15000000198' }],
        ids: [{ customerId: 'M2026000123', orderIds: ['TB4471002291'] }],
      });
      assert.equal(own.statusCode, 201, own.body);
      assert.equal(own.json().canaries[0].customerId, 'M2026000123');
      const taken = await post('/v1/canaries', {
        scope: { kind: 'principal', id: 'p-seller-9' },
        contacts: [{ phone: '15000000197' }],
        ids: [{ customerId: 'M2026000123', orderIds: ['TB1'] }],
      });
      assert.equal(taken.statusCode, 409);
      const badScope = await post('/v1/canaries', { scope: { kind: 'galaxy', id: 'p-x' }, contacts: [{ phone: WATCHED[2] }] });
      assert.equal(badScope.statusCode, 400);
    });

    it('a trip raises an alert naming the scope at once, once per trip id', async () => {
      const r = await post(`/v1/canaries/${teamCanary.id}/trips`, { tripId: 'call-778', channel: 'call', from: '+86 171 2345 6789' }, 'ingest');
      assert.equal(r.statusCode, 201, r.body);
      const a = r.json();
      assert.deepEqual(a.trip.scope, { kind: 'team', id: 'vendor-a/night-shift' });
      assert.match(a.message, /team vendor-a\/night-shift/);
      assert.equal(a.duplicate, false);
      const again = await post(`/v1/canaries/${teamCanary.id}/trips`, { tripId: 'call-778', channel: 'call' }, 'ingest');
      assert.equal(again.statusCode, 200);
      assert.equal(again.json().duplicate, true);
      assert.equal(again.json().trip.id, a.trip.id);
      // By contact, as a mail hook would report it.
      const byMail = await post('/v1/canaries/trips', { email: 'Zhang.Wei88@example.com', channel: 'email', tripId: '<m1@x>' }, 'ingest');
      assert.equal(byMail.statusCode, 201);
      assert.equal(byMail.json().trip.canaryId, teamCanary.id);
      const unknown = await post('/v1/canaries/trips', { phone: '13700000000', channel: 'sms' }, 'ingest');
      assert.equal(unknown.statusCode, 404);
      assert.ok(!unknown.body.includes('13700000000'));
      const missing = await post('/v1/canaries/cny_nope/trips', { channel: 'sms' }, 'ingest');
      assert.equal(missing.statusCode, 404);
      const list = (await get('/v1/canaries/trips')).json().items;
      assert.equal(list.length, 2);
      assert.ok(list.every((x: { scope: { id: string } }) => x.scope.id === 'vendor-a/night-shift'));
      assert.equal((await get(`/v1/canaries/${teamCanary.id}/trips`)).json().items.length, 2);
      assert.equal((await get(`/v1/canaries/${teamCanary.id}`)).json().trips, 2);
      const metrics = (await t.app.inject('/metrics')).body;
      assert.match(metrics, /fanzha_canary_trips_total\{scope_kind="team",channel="call"\} 1/);
      assert.match(metrics, /fanzha_canary_trips_total\{scope_kind="team",channel="email"\} 1/);
      const fromRow = await t.database.db.selectFrom('canary_trips').select('from_bidx').where('id', '=', a.trip.id).executeTakeFirstOrThrow();
      assert.equal(fromRow.from_bidx, t.ctx.cipher.blindIndex('phone', '+8617123456789'));
    });

    it('accepts signed webhook trips and refuses unsigned, forged or stale ones', async () => {
      const c = await post('/v1/canaries', { scope: { kind: 'api_client', id: 'api-erp-sync' }, contacts: [{ phone: WATCHED[3] }] }, 'admin');
      assert.equal(c.statusCode, 201, c.body);
      const body = JSON.stringify({ phone: '+86 150 0000 0104', channel: 'sms', tripId: 'sms-1' });
      const send = (sig?: string) =>
        t.app.inject({
          method: 'POST',
          url: '/v1/canaries/webhook',
          headers: { 'content-type': 'application/json', ...(sig ? { 'x-fanzha-signature': sig } : {}) },
          payload: body,
        });
      const ok = await send(signWebhook(SECRET, body));
      assert.equal(ok.statusCode, 201, ok.body);
      assert.match(ok.json().message, /API client api-erp-sync/);
      assert.equal((await send()).statusCode, 401);
      assert.equal((await send(signWebhook('another-secret-0123456789', body))).statusCode, 401);
      assert.equal((await send(signWebhook(SECRET, body, Math.floor(Date.now() / 1000) - 3600))).statusCode, 401);
      const bad = JSON.stringify({ phone: '15000000104', channel: 'pigeon' });
      const r = await t.app.inject({
        method: 'POST',
        url: '/v1/canaries/webhook',
        headers: { 'content-type': 'application/json', 'x-fanzha-signature': signWebhook(SECRET, bad) },
        payload: bad,
      });
      assert.equal(r.statusCode, 400);
    });

    it('a leaked file holding a canary names its scope, even a team with no exports', async () => {
      const r = await post('/v1/leaks/match', { content: '客户资料\n某某 150 0000 0102 广东\n' });
      assert.equal(r.statusCode, 200, r.body);
      const top = r.json().candidates[0];
      assert.deepEqual(top.scope, { kind: 'team', id: 'vendor-a/night-shift' });
      assert.equal(top.verdict, 'fingerprinted');
      assert.deepEqual(top.canaryHits[0].via, ['phone']);
    });

    it('lists canaries by scope and keeps personal data out of the logs', async () => {
      const l = (await get('/v1/canaries?scopeKind=team')).json().items;
      assert.equal(l.length, 2);
      assert.equal((await get('/v1/canaries?scopeKind=api_client')).json().items.length, 1);
      assert.equal((await get('/v1/canaries?scopeKind=principal')).json().items.length, 2);
      const logs = t.logs();
      assert.match(logs, /canary tripped/);
      for (const secret of ['15000000101', '15000000102', '15000000104', 'zhang.wei88', '17123456789', SECRET]) assert.ok(!logs.includes(secret), secret);
    });
  });
}
