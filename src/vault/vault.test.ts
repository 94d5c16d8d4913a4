import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { testDialects } from '../testing/dialects.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { FieldCipher } from './field-cipher.ts';
import { LocalKeyProvider } from './key-provider.ts';
import { randomBytes } from 'node:crypto';

const T0 = Date.UTC(2026, 6, 14, 2, 0);
const iso = (ms: number) => new Date(ms).toISOString();

const LIU = {
  name: '刘小明',
  phone: '13812345678',
  email: 'xiaoming.liu@example.cn',
  address: { province: '广东省', city: '深圳市', district: '南山区', line: '科技园南区8栋1201' },
};
const SMITH = {
  name: 'John Smith',
  phone: '+44 20 7946 0958',
  email: 'john.smith@example.co.uk',
  address: { province: 'England', city: 'London', line: '221B Baker Street' },
};

for (const dialect of testDialects()) {
  describe(`vault on ${dialect.name}`, () => {
    let t: TestApp;
    const ingest = async (events: unknown[]) => {
      const r = await t.app.inject({ method: 'POST', url: '/v1/events', headers: t.auth('ingest'), payload: events });
      assert.equal(r.json().rejected.length, 0, r.body);
    };
    before(async () => {
      t = await createTestApp(dialect, { areas: { vault: { quotas: { agent: { hour: 3, day: 5 }, analyst: { hour: 5, day: 20 } } } } });
      await ingest([
        { id: 'e-c1', type: 'customer.upserted', at: iso(T0), customerId: 'c1', ...LIU },
        { id: 'e-c2', type: 'customer.upserted', at: iso(T0), customerId: 'c2', ...SMITH },
        {
          id: 'e-o1',
          type: 'order.placed',
          at: iso(T0),
          orderId: 'o1',
          customerId: 'c1',
          items: [{ sku: 'A1', title: '空气净化器', price: 1999, quantity: 1 }],
          total: 1999,
        },
        { id: 'e-r1', type: 'refund.requested', at: iso(T0 + 60_000), refundId: 'r1', orderId: 'o1' },
      ]);
    });
    after(async () => t.close());

    const get = (url: string, role: 'agent' | 'analyst' | 'admin' | 'ingest') => t.app.inject({ url, headers: t.auth(role) });
    const reveal = (id: string, role: 'agent' | 'analyst' | 'admin', body: Record<string, unknown>) =>
      t.app.inject({ method: 'POST', url: `/v1/customers/${id}/reveal`, headers: t.auth(role), payload: body });
    const lastEntry = async () => t.database.db.selectFrom('access_log').selectAll().orderBy('pos', 'desc').limit(1).executeTakeFirstOrThrow();

    it('masks by role: an agent sees 刘*, 138****5678, province and city; Latin names and foreign numbers too', async () => {
      const a = await get('/v1/customers/c1', 'agent');
      assert.equal(a.statusCode, 200, a.body);
      assert.deepEqual(a.json(), {
        id: 'c1',
        name: '刘*',
        phone: '138****5678',
        email: null,
        address: { province: '广东省', city: '深圳市' },
        lang: null,
        masked: true,
      });
      const an = (await get('/v1/customers/c1', 'analyst')).json();
      assert.equal(an.email, 'x***@example.cn');
      const uk = (await get('/v1/customers/c2', 'agent')).json();
      assert.equal(uk.name, 'J* S*');
      assert.equal(uk.phone, '+44 ******0958');
      const e = await lastEntry();
      assert.equal(e.customer_id, 'c2');
      assert.equal(e.channel, 'view');
      assert.equal(e.principal_id, `key:${(await t.ctx.services.apiKeys.list()).find((k) => k.role === 'agent')!.id}`);
      assert.equal((await get('/v1/customers/c1', 'ingest')).statusCode, 403);
      assert.equal((await get('/v1/customers/nope', 'agent')).statusCode, 404);
    });

    it('shows orders with items in clear and the customer masked, recording order and customer', async () => {
      const r = await get('/v1/orders/o1', 'agent');
      assert.equal(r.statusCode, 200, r.body);
      const o = r.json();
      assert.equal(o.items[0].title, '空气净化器');
      assert.equal(o.total, 1999);
      assert.equal(o.customer.phone, '138****5678');
      assert.equal(o.refunds[0].state, 'requested');
      const e = await lastEntry();
      assert.equal(e.order_id, 'o1');
      assert.equal(e.customer_id, 'c1');
    });

    it('finds customers by phone or e-mail through the blind index, without the value in any log', async () => {
      const r = await get('/v1/customers?phone=138-1234-5678', 'agent');
      assert.equal(r.statusCode, 200, r.body);
      assert.deepEqual(
        r.json().items.map((c: { id: string }) => c.id),
        ['c1'],
      );
      const p = await t.app.inject({
        method: 'POST',
        url: '/v1/customers/lookup',
        headers: t.auth('analyst'),
        payload: { email: ' John.Smith@Example.co.uk ' },
      });
      assert.deepEqual(
        p.json().items.map((c: { id: string }) => c.id),
        ['c2'],
      );
      assert.equal((await lastEntry()).channel, 'lookup');
      assert.equal((await get('/v1/customers?phone=13900000000', 'agent')).json().items.length, 0);
      const bad = await get('/v1/customers?phone=call-me-maybe', 'agent');
      assert.equal(bad.statusCode, 400);
      assert.ok(!bad.body.includes('call-me-maybe'));
      assert.ok(!t.logs().includes('1234-5678') && !t.logs().includes('Example.co.uk'));
    });

    it('reveals with a purpose, records it, and enforces per-role quotas with 429 and an alert', async () => {
      const r = await reveal('c1', 'agent', { fields: ['phone', 'name'], purpose: 'customer called back about refund', ticket: 'CS-1001' });
      assert.equal(r.statusCode, 200, r.body);
      assert.deepEqual(r.json().fields, { phone: '+8613812345678', name: '刘小明' });
      const e = await lastEntry();
      assert.equal(e.channel, 'reveal');
      assert.equal(e.ticket, 'CS-1001');
      assert.equal(e.purpose, 'customer called back about refund');
      assert.equal((await reveal('c1', 'agent', { fields: ['phone'], purpose: 'call 13812345678' })).statusCode, 400, 'purpose may not carry PII');
      assert.equal((await reveal('c1', 'agent', { fields: ['phone'], purpose: 'x' })).statusCode, 400);
      // Without ticket: allowed, but alerted.
      assert.equal((await reveal('c1', 'agent', { fields: ['address'], purpose: 'delivery check' })).statusCode, 200);
      assert.equal((await reveal('c2', 'agent', { fields: ['email'], purpose: 'delivery check', ticket: 'CS-2' })).statusCode, 200);
      const over = await reveal('c2', 'agent', { fields: ['email'], purpose: 'delivery check', ticket: 'CS-3' });
      assert.equal(over.statusCode, 429);
      assert.ok(Number(over.headers['retry-after']) > 0);
      assert.match(over.json().type, /reveal-quota$/);
      assert.ok(!over.body.includes('john'));
      // Concurrent reveals by the analyst cannot exceed the hourly quota of 5.
      const burst = await Promise.all(Array.from({ length: 9 }, () => reveal('c1', 'analyst', { fields: ['name'], purpose: 'fraud review', ticket: 'INV-7' })));
      assert.equal(burst.filter((b) => b.statusCode === 200).length, 5);
      assert.equal(burst.filter((b) => b.statusCode === 429).length, 4);
      const alerts = (await get('/v1/audit/alerts', 'analyst')).json().items as { rule: string }[];
      assert.ok(alerts.some((a) => a.rule === 'reveal-quota-exceeded'));
      assert.ok(alerts.some((a) => a.rule === 'reveal-without-ticket'));
    });

    it('tokenises and detokenises: same value same token, each detokenisation an access of the named principal', async () => {
      const tok = await t.app.inject({
        method: 'POST',
        url: '/v1/tokenize',
        headers: t.auth('ingest'),
        payload: {
          items: [
            { kind: 'phone', value: '138 1234 5678', customerId: 'c1' },
            { kind: 'phone', value: '+86 13812345678' },
            { kind: 'email', value: 'not-an-email' },
            { kind: 'name', value: '刘小明' },
          ],
        },
      });
      assert.equal(tok.statusCode, 200, tok.body);
      const { tokens, invalid } = tok.json();
      assert.match(tokens[0], /^tok_/);
      assert.equal(tokens[0], tokens[1]);
      assert.deepEqual(invalid, [2]);
      assert.ok(!tok.body.includes('not-an-email'));
      const noPrincipal = await t.app.inject({
        method: 'POST',
        url: '/v1/detokenize',
        headers: t.auth('ingest'),
        payload: { tokens: [tokens[0]], purpose: 'courier label' },
      });
      assert.equal(noPrincipal.statusCode, 400);
      const de = await t.app.inject({
        method: 'POST',
        url: '/v1/detokenize',
        headers: t.auth('ingest'),
        payload: { tokens: [tokens[0], tokens[3], 'tok_doesnotexist0'], principalId: 'staff-wang', purpose: 'courier label', ticket: 'SHIP-9' },
      });
      assert.equal(de.statusCode, 200, de.body);
      assert.deepEqual(de.json().values, [
        { token: tokens[0], kind: 'phone', value: '+8613812345678' },
        { token: tokens[3], kind: 'name', value: '刘小明' },
        { token: 'tok_doesnotexist0', kind: null, value: null },
      ]);
      const entries = await t.database.db.selectFrom('access_log').selectAll().where('channel', '=', 'detokenize').orderBy('pos').execute();
      assert.equal(entries.length, 2);
      assert.ok(entries.every((e) => e.principal_id === 'staff-wang' && e.ticket === 'SHIP-9'));
      assert.equal(entries[0]!.customer_id, 'c1');
      assert.equal(
        (await t.app.inject({ method: 'POST', url: '/v1/tokenize', headers: t.auth('agent'), payload: { items: [{ kind: 'text', value: 'x' }] } })).statusCode,
        403,
      );
    });

    it('rotates data keys (old data readable, lazy and forced re-encryption) and the master key (re-wrap only)', async () => {
      const ring = t.ctx.services.keyRing;
      const before = await t.database.db.selectFrom('customers').select(['phone_enc']).where('id', '=', 'c2').executeTakeFirstOrThrow();
      const oldKey = FieldCipher.keyIdOf(before.phone_enc!);
      const newKey = await ring.rotateDataKey();
      assert.notEqual(newKey, oldKey);
      // Old ciphertexts still open; the read re-seals lazily.
      assert.equal((await get('/v1/customers/c1', 'agent')).json().phone, '138****5678');
      const c1 = await t.database.db.selectFrom('customers').selectAll().where('id', '=', 'c1').executeTakeFirstOrThrow();
      assert.equal(FieldCipher.keyIdOf(c1.phone_enc!), newKey);
      assert.equal(FieldCipher.keyIdOf(c1.name_enc!), newKey);
      // Forced job re-seals the rest.
      assert.ok((await t.ctx.services.vault.reencryptCustomers()) >= 1);
      const c2 = await t.database.db.selectFrom('customers').selectAll().where('id', '=', 'c2').executeTakeFirstOrThrow();
      assert.equal(FieldCipher.keyIdOf(c2.email_enc!), newKey);
      assert.equal(await t.ctx.services.vault.reencryptCustomers(), 0);
      // The blind index did not change: lookup still finds both.
      assert.equal((await get('/v1/customers?phone=13812345678', 'agent')).json().items.length, 1);
      // Tokens sealed before the rotation still detokenise.
      const [tk] = (await t.ctx.services.vault.tokenize([{ kind: 'email', value: 'xiaoming.liu@example.cn' }])).tokens;
      await ring.rotateDataKey();
      const caller = { keyId: 'k', keyName: 'k', role: 'admin' as const, principalId: 'p-admin' };
      assert.equal((await t.ctx.services.vault.detokenize(caller, { tokens: [tk!], purpose: 'rotation check' })).values[0]!.value, 'xiaoming.liu@example.cn');
      // Master rotation re-wraps every key; ciphertexts are untouched and still open.
      const next = new LocalKeyProvider(randomBytes(32));
      const n = await ring.rotateMaster(next);
      assert.ok(n >= 4);
      const wraps = await t.database.db.selectFrom('vault_keys').select('wrap_kid').distinct().execute();
      assert.deepEqual(
        wraps.map((w) => w.wrap_kid),
        [next.kid],
      );
      assert.equal((await reveal('c2', 'admin', { fields: ['name'], purpose: 'rotation check', ticket: 'OPS-1' })).json().fields.name, 'John Smith');
      await ring.reload();
      assert.equal((await get('/v1/customers/c2', 'analyst')).json().name, 'J* S*');
      assert.equal((await t.ctx.services.audit.verify()).intact, true);
    });

    it('fails closed: when the access cannot be recorded, no personal data is returned', async () => {
      const db = t.database.db;
      await sql`ALTER TABLE audit_head RENAME TO audit_head_away`.execute(db);
      try {
        for (const [method, url, payload] of [
          ['GET', '/v1/customers/c1'],
          ['GET', '/v1/orders/o1'],
          ['GET', '/v1/customers?phone=13812345678'],
          ['POST', '/v1/customers/c1/reveal', { fields: ['phone', 'name'], purpose: 'fail closed check', ticket: 'T-1' }],
        ] as const) {
          const r = await t.app.inject({ method, url, headers: t.auth('admin'), ...(payload ? { payload } : {}) });
          assert.equal(r.statusCode, 503, `${url}: ${r.body}`);
          assert.ok(!r.body.includes('5678') && !r.body.includes('刘') && !r.body.includes('深圳'), r.body);
        }
      } finally {
        await sql`ALTER TABLE audit_head_away RENAME TO audit_head`.execute(db);
      }
      assert.equal((await get('/v1/customers/c1', 'agent')).statusCode, 200);
    });
  });
}
