// Seeds known personal data, drives every vault and audit path (success, errors, over-quota,
// fail-closed), then scans every output for the clear values: the server log, error bodies,
// /metrics, the access log and alerts, checkpoints, and the stored rows of every vault table.
import { describe, it, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { testDialects } from '../testing/dialects.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';

const NAME = '欧阳翠花';
const PHONE = '13987654321';
const EMAIL = 'cuihua.ouyang@mailbox.example';
const LINE = '海淀区中关村大街27号院';
const SECRETS = [NAME, PHONE, '8613987654321', '987654321', EMAIL, 'cuihua', LINE, '中关村'];

for (const dialect of testDialects()) {
  describe(`no clear PII in any output on ${dialect.name}`, () => {
    let t: TestApp;
    const bodies: string[] = [];
    before(async () => {
      t = await createTestApp(dialect, { areas: { vault: { quotas: { agent: { hour: 1, day: 2 } } } } });
    });
    after(async () => t.close());

    it('keeps seeded values out of logs, errors, metrics, the access log and storage', async () => {
      const call = async (method: 'GET' | 'POST', url: string, role: 'agent' | 'analyst' | 'admin' | 'ingest', payload?: unknown) => {
        const r = await t.app.inject({ method, url, headers: t.auth(role), ...(payload !== undefined ? { payload: payload as object } : {}) });
        if (r.statusCode >= 400) bodies.push(r.body);
        return r;
      };
      await call('POST', '/v1/events', 'ingest', [
        {
          id: 'p1',
          type: 'customer.upserted',
          at: '2026-07-14T10:00:00+08:00',
          customerId: 'cp1',
          name: NAME,
          phone: PHONE,
          email: EMAIL,
          address: { province: '北京市', city: '北京市', district: '海淀区', line: LINE },
        },
        {
          id: 'p2',
          type: 'order.placed',
          at: '2026-07-14T10:00:00+08:00',
          orderId: 'op1',
          customerId: 'cp1',
          items: [{ sku: 'Z', title: '耳机', price: 99, quantity: 1 }],
          total: 99,
        },
        { id: 'p3', type: 'customer.upserted', at: '2026-07-14T10:00:00+08:00', customerId: 'cp2', name: NAME, phone: `bad ${PHONE}x` },
      ]);
      await call('GET', '/v1/customers/cp1', 'agent');
      await call('GET', '/v1/orders/op1', 'analyst');
      await call('GET', `/v1/customers?phone=${PHONE}`, 'agent');
      await call('GET', `/v1/customers?email=${encodeURIComponent(EMAIL)}`, 'analyst');
      await call('GET', `/v1/customers?phone=${encodeURIComponent(NAME)}`, 'agent');
      await call('POST', '/v1/customers/lookup', 'agent', { phone: PHONE });
      await call('POST', '/v1/customers/cp1/reveal', 'agent', { fields: ['phone', 'name', 'email', 'address'], purpose: 'callback', ticket: 'CS-1' });
      await call('POST', '/v1/customers/cp1/reveal', 'agent', { fields: ['phone'], purpose: 'callback', ticket: 'CS-2' });
      await call('POST', '/v1/customers/cp1/reveal', 'agent', { fields: ['phone'], purpose: 'callback', ticket: 'CS-3' });
      await call('POST', '/v1/customers/cp1/reveal', 'analyst', { fields: ['phone'], purpose: `ring ${PHONE}` });
      await call('POST', '/v1/customers/cp1/reveal', 'analyst', { fields: ['phone'], purpose: `mail ${EMAIL}` });
      await call('POST', '/v1/customers/cp1/reveal', 'analyst', { fields: ['phone'], purpose: 'ok', ticket: PHONE + '@' });
      await call('POST', '/v1/customers/cp1/reveal', 'analyst', { fields: ['phone', NAME], purpose: 'bad field' });
      const tok = await call('POST', '/v1/tokenize', 'ingest', {
        items: [
          { kind: 'phone', value: PHONE, customerId: 'cp1' },
          { kind: 'email', value: EMAIL },
          { kind: 'phone', value: NAME },
        ],
      });
      const tokens = tok.json().tokens.filter(Boolean);
      await call('POST', '/v1/detokenize', 'ingest', { tokens, principalId: 'courier-1', purpose: 'label' });
      await call('POST', '/v1/detokenize', 'ingest', { tokens: [PHONE], principalId: 'courier-1', purpose: 'label' });
      await call('POST', '/v1/audit/checkpoints', 'admin');
      await call('GET', '/v1/audit/entries?limit=500', 'analyst');
      // Fail closed path: its error must not carry data either.
      await sql`ALTER TABLE audit_head RENAME TO audit_head_x`.execute(t.database.db);
      await call('GET', '/v1/customers/cp1', 'admin');
      await call('POST', '/v1/customers/cp1/reveal', 'admin', { fields: ['phone'], purpose: 'x-check', ticket: 'T' });
      await sql`ALTER TABLE audit_head_x RENAME TO audit_head`.execute(t.database.db);
      await t.ctx.services.alerts.scan(Date.now() - 3_600_000 * 48, Date.now() + 3_600_000);

      const metrics = (await t.app.inject({ url: '/metrics' })).body;
      const dump = async (table: string) => JSON.stringify((await sql`SELECT * FROM ${sql.table(table)}`.execute(t.database.db)).rows);
      const outputs: Record<string, string> = {
        logs: t.logs(),
        errors: bodies.join('\n'),
        metrics,
        access_log: await dump('access_log'),
        audit_alerts: await dump('audit_alerts'),
        audit_checkpoints: await dump('audit_checkpoints'),
        customers: await dump('customers'),
        vault_tokens: await dump('vault_tokens'),
        vault_keys: await dump('vault_keys'),
        events: await dump('events'),
      };
      assert.ok(bodies.length >= 8, `expected the error paths to be exercised, got ${bodies.length}`);
      assert.ok(outputs.access_log!.includes('courier-1') && outputs.logs!.length > 1000);
      for (const [where, text] of Object.entries(outputs)) {
        for (const s of SECRETS) assert.ok(!text.includes(s), `${where} contains a seeded value (${s.slice(0, 2)}…)`);
      }
    });
  });
}
