import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../testing/dialects.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';

const PHONE = '13812345678';
const at = (h = 0) => new Date(Date.UTC(2026, 6, 14, 2 + h, 21)).toISOString().replace('Z', '+00:00');

function customer(id: string, extra: Record<string, unknown> = {}) {
  return {
    id: `ev-c-${id}-${extra.n ?? 0}`,
    type: 'customer.upserted',
    at: at(),
    customerId: id,
    name: '刘小明',
    phone: PHONE,
    address: { province: '广东省', city: '深圳市', line: '南山区科技园1号' },
    ...extra,
  };
}

for (const dialect of testDialects()) {
  describe(`event ingestion on ${dialect.name}`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect);
    });
    after(async () => t.close());

    const post = (body: unknown, headers: Record<string, string> = {}) =>
      t.app.inject({ method: 'POST', url: '/v1/events', headers: { ...t.auth('ingest'), ...headers }, payload: body as string });
    const count = async (table: 'events' | 'customers' | 'orders' | 'access_log' | 'refunds') =>
      Number(
        (
          await t.database.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    it('accepts a batch, stores PII encrypted and finds customers by phone blind index', async () => {
      const r = await post([
        customer('c1'),
        { id: 'ev-p1', type: 'principal.upserted', at: at(), principalId: 'p-agent-1', kind: 'staff', name: '王芳', team: '售后' },
        {
          id: 'ev-o1',
          type: 'order.placed',
          at: at(),
          orderId: 'o1',
          customerId: 'c1',
          items: [{ sku: 'A1', title: '空气净化器', model: 'KJ-500', color: '白色', price: 1999, quantity: 1 }],
          total: 1999,
        },
      ]);
      assert.equal(r.statusCode, 200, r.body);
      assert.deepEqual(r.json(), { accepted: 3, duplicates: 0, rejected: [] });
      const row = await t.database.db.selectFrom('customers').selectAll().where('id', '=', 'c1').executeTakeFirstOrThrow();
      assert.ok(row.phone_enc && !row.phone_enc.includes(PHONE));
      assert.ok(!row.name_enc!.includes('刘'));
      assert.equal(t.ctx.cipher.decrypt(row.phone_enc!, 'customers/c1/phone'), '+8613812345678');
      assert.equal(row.province, '广东省');
      assert.equal(row.phone_bidx, t.ctx.cipher.blindIndex('phone', '+8613812345678'));
      const order = await t.database.db.selectFrom('orders').selectAll().where('id', '=', 'o1').executeTakeFirstOrThrow();
      assert.equal(order.total_minor, 199900);
      assert.equal(order.currency, 'CNY');
    });

    it("stores only the contract's item fields, so an extra property never lands in clear", async () => {
      const r = await post([
        {
          id: 'ev-o-extra',
          type: 'order.placed',
          at: at(),
          orderId: 'o-extra',
          customerId: 'c1',
          items: [{ sku: 'A2', title: '电动牙刷', size: 'M', price: 299, quantity: 2, buyerPhone: PHONE, note: '刘小明' }],
          total: 598,
        },
      ]);
      assert.deepEqual(r.json(), { accepted: 1, duplicates: 0, rejected: [] });
      const order = await t.database.db.selectFrom('orders').select('items').where('id', '=', 'o-extra').executeTakeFirstOrThrow();
      assert.deepEqual(JSON.parse(order.items), [{ sku: 'A2', title: '电动牙刷', price: 299, quantity: 2, size: 'M' }]);
      assert.ok(!order.items.includes(PHONE) && !order.items.includes('刘小明'));
    });

    it('stores the same id once: within a batch, across requests and across concurrent requests', async () => {
      const ev = { id: 'dup-1', type: 'data.accessed', at: at(1), principalId: 'p-agent-1', orderId: 'o1', fields: ['name', 'items'], channel: 'console' };
      const before = await count('access_log');
      const r1 = await post([ev, ev]);
      assert.deepEqual(r1.json(), { accepted: 1, duplicates: 1, rejected: [] });
      const r2 = await post([ev]);
      assert.deepEqual(r2.json(), { accepted: 0, duplicates: 1, rejected: [] });
      const batch = Array.from({ length: 50 }, (_, i) => ({ ...ev, id: `conc-${i}` }));
      const results = await Promise.all(Array.from({ length: 6 }, () => post(batch)));
      const accepted = results.reduce((s, r) => s + r.json().accepted, 0);
      const dups = results.reduce((s, r) => s + r.json().duplicates, 0);
      assert.equal(accepted, 50);
      assert.equal(dups, 250);
      assert.equal((await count('access_log')) - before, 51);
    });

    it('keeps good events when others are rejected, with a problem per bad event', async () => {
      const before = await count('events');
      const r = await post([
        { id: 'ok-1', type: 'refund.requested', at: at(2), refundId: 'r1', orderId: 'o1' },
        { id: 'bad-type', type: 'order.exploded', at: at() },
        { id: 'bad-time', type: 'refund.requested', at: '2016-07-14 10:00', refundId: 'r2', orderId: 'o1' },
        { id: 'bad-date', type: 'refund.requested', at: '2016-02-30T10:00:00+08:00', refundId: 'r2', orderId: 'o1' },
        { id: 'future', type: 'refund.requested', at: '2999-01-01T00:00:00Z', refundId: 'r2', orderId: 'o1' },
        { id: 'bad-field', type: 'data.accessed', at: at(), principalId: 'p1', orderId: 'o1', fields: ['name', 'password'], channel: 'console' },
        { id: 'no-subject', type: 'data.accessed', at: at(), principalId: 'p1', fields: ['name'], channel: 'console' },
        { id: 'bad-phone', type: 'customer.upserted', at: at(), customerId: 'c9', name: 'x', phone: 'call me' },
        { id: 'wrong-type', type: 'order.placed', at: at(), orderId: 'o9', customerId: 'c1', items: [], total: '12' },
        'not an object',
        { type: 'refund.requested', at: at(), refundId: 'r3', orderId: 'o1' },
      ]);
      assert.equal(r.statusCode, 200);
      const body = r.json();
      assert.equal(body.accepted, 1);
      assert.deepEqual(
        body.rejected.map((x: { index: number }) => x.index),
        [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
      );
      assert.match(body.rejected[0].problem.type, /unknown-event-type$/);
      assert.equal(body.rejected[1].id, 'bad-time');
      assert.match(body.rejected[1].problem.detail, /ISO 8601/);
      for (const x of body.rejected) assert.match(x.problem.type, /^https:\/\/fanzha\.dev\/problems\//);
      assert.ok(!JSON.stringify(body).includes('call me'), 'problems never echo submitted values');
      assert.equal((await count('events')) - before, 1);
    });

    it('refuses whole bodies that cannot be parsed or are too large, keeping nothing', async () => {
      const before = await count('events');
      const bad = await t.app.inject({
        method: 'POST',
        url: '/v1/events',
        headers: { ...t.auth('ingest'), 'content-type': 'application/json' },
        payload: '[{"id": "x", ',
      });
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.headers['content-type'], 'application/problem+json; charset=utf-8');
      const notArray = await post({ id: 'x' });
      assert.equal(notArray.statusCode, 400);
      assert.equal(notArray.json().type, 'https://fanzha.dev/problems/validation');
      const big = Array.from({ length: 10_001 }, (_, i) => ({ id: `big-${i}`, type: 'refund.requested', at: at(), refundId: `rb${i}`, orderId: 'o1' }));
      const tooBig = await post(big);
      assert.equal(tooBig.statusCode, 413);
      const ndBad = await t.app.inject({
        method: 'POST',
        url: '/v1/events',
        headers: { ...t.auth('ingest'), 'content-type': 'application/x-ndjson' },
        payload: '{"id":"nd-ok","type":"refund.requested","at":"2026-07-14T10:00:00+08:00","refundId":"r5","orderId":"o1"}\n{oops\n',
      });
      assert.equal(ndBad.statusCode, 400);
      assert.equal(ndBad.json().line, 2);
      const xml = await t.app.inject({
        method: 'POST',
        url: '/v1/events',
        headers: { ...t.auth('ingest'), 'content-type': 'application/xml' },
        payload: '<a/>',
      });
      assert.equal(xml.statusCode, 415);
      assert.equal(await count('events'), before);
    });

    it('accepts NDJSON', async () => {
      const lines = [
        { id: 'nd-1', type: 'refund.requested', at: at(3), refundId: 'r10', orderId: 'o1' },
        { id: 'nd-2', type: 'login.failed', at: at(3), username: 'liu@example.com', ip: '1.2.3.4' },
      ]
        .map((x) => JSON.stringify(x))
        .join('\r\n');
      const r = await t.app.inject({
        method: 'POST',
        url: '/v1/events',
        headers: { ...t.auth('ingest'), 'content-type': 'application/x-ndjson' },
        payload: lines + '\n',
      });
      assert.equal(r.statusCode, 200, r.body);
      assert.deepEqual(r.json(), { accepted: 2, duplicates: 0, rejected: [] });
      const login = await t.database.db.selectFrom('logins').selectAll().where('event_id', '=', 'nd-2').executeTakeFirstOrThrow();
      assert.notEqual(login.username_bidx, null);
      assert.ok(!login.username_bidx!.includes('liu'));
    });

    it('applies history that arrives out of order: newest upsert wins, refund state follows time', async () => {
      const newer = { ...customer('c2'), id: 'c2-new', at: at(5), address: { province: '浙江省', city: '杭州市' } };
      const older = { ...customer('c2'), id: 'c2-old', at: at(1) };
      assert.equal((await post([newer])).json().accepted, 1);
      assert.equal((await post([older])).json().accepted, 1);
      const row = await t.database.db.selectFrom('customers').selectAll().where('id', '=', 'c2').executeTakeFirstOrThrow();
      assert.equal(row.province, '浙江省');
      await post([
        { id: 'rf-done', type: 'refund.completed', at: at(8), refundId: 'r20', orderId: 'o1' },
        { id: 'rf-req', type: 'refund.requested', at: at(6), refundId: 'r20', orderId: 'o1', reason: '不想要了' },
      ]);
      const refund = await t.database.db.selectFrom('refunds').selectAll().where('id', '=', 'r20').executeTakeFirstOrThrow();
      assert.equal(refund.state, 'completed');
      assert.equal(refund.requested_at, Date.parse(at(6)));
      assert.equal(refund.completed_at, Date.parse(at(8)));
      assert.equal(refund.reason, '不想要了');
    });

    it('accepts events about unknown customers, orders and principals, and links them when they arrive', async () => {
      await post([{ id: 'early-access', type: 'data.accessed', at: at(1), principalId: 'p-later', orderId: 'o-later', fields: ['phone'], channel: 'api' }]);
      await post([
        {
          id: 'late-order',
          type: 'order.placed',
          at: at(0),
          orderId: 'o-later',
          customerId: 'c-later',
          items: [{ sku: 'B', title: 'T', price: 1, quantity: 1 }],
          total: 1,
        },
        { ...customer('c-later'), id: 'late-customer' },
      ]);
      const joined = await t.database.db
        .selectFrom('access_log as a')
        .innerJoin('orders as o', 'o.id', 'a.order_id')
        .innerJoin('customers as c', 'c.id', 'o.customer_id')
        .select(['c.id as customer', 'a.principal_id'])
        .where('a.event_id', '=', 'early-access')
        .executeTakeFirstOrThrow();
      assert.deepEqual(joined, { customer: 'c-later', principal_id: 'p-later' });
    });

    it('expands an export into one access per record for the recipient', async () => {
      const r = await post([
        {
          id: 'exp-1',
          type: 'export.created',
          at: at(2),
          exportId: 'x1',
          principalId: 'courier-1',
          orderIds: ['o1', 'o2', 'o3', 'o2'],
          fields: ['name', 'phone', 'address', 'items'],
        },
      ]);
      assert.equal(r.json().accepted, 1);
      const rows = await t.database.db.selectFrom('access_log').selectAll().where('export_id', '=', 'x1').execute();
      assert.equal(rows.length, 3);
      assert.ok(rows.every((x) => x.principal_id === 'courier-1' && x.channel === 'export'));
      const x = await t.database.db.selectFrom('exports').selectAll().where('id', '=', 'x1').executeTakeFirstOrThrow();
      assert.equal(x.record_count, 3);
    });

    it('never writes a phone number, name or e-mail from an event to the log', async () => {
      await post([{ ...customer('c3'), id: 'log-1', phone: '+86 139-8765-4321', email: 'secret.person@example.com', name: '欧阳娜娜' }]);
      await post([{ ...customer('c3'), id: 'log-2', phone: '139 8765 4321 x', name: '欧阳娜娜' }]);
      await t.app.inject({
        method: 'POST',
        url: '/v1/events',
        headers: { ...t.auth('ingest'), 'content-type': 'application/json' },
        payload: '[{"phone": "13987654321"',
      });
      const logs = t.logs();
      assert.ok(logs.includes('/v1/events'), 'requests are logged');
      for (const needle of ['13987654321', '139-8765-4321', '139 8765 4321', '+86 139', 'secret.person', '欧阳'])
        assert.ok(!logs.includes(needle), `log contains ${needle}`);
    });

    it('counts ingested events in /metrics', async () => {
      const r = await t.app.inject({ method: 'GET', url: '/metrics' });
      assert.match(r.body, /fanzha_events_total\{type="customer.upserted",result="accepted"\} \d+/);
    });
  });
}
