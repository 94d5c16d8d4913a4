// Regression (issue #21 item 7): creating a canary with a contact that belongs to a real customer
// is refused — and that refusal, which tells the caller the phone is a customer's, is recorded as a
// lookup of that customer by the caller's key before it is answered.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../testing/dialects.ts';
import { createTestApp } from '../testing/test-app.ts';

for (const dialect of testDialects()) {
  describe(`canary creation on ${dialect.name}`, () => {
    it('records a contact check that hits a real customer', async () => {
      const t = await createTestApp(dialect);
      try {
        const at = '2026-07-01T08:00:00Z';
        await t.app.inject({
          method: 'POST',
          url: '/v1/events',
          headers: t.auth('ingest'),
          payload: [{ id: 'c1', type: 'customer.upserted', at, customerId: 'c1', name: '王芳', phone: '13847291635' }],
        });
        const r = await t.app.inject({
          method: 'POST',
          url: '/v1/canaries',
          headers: t.auth('analyst'),
          payload: { scope: { kind: 'team', id: 'night' }, contacts: [{ phone: '+86 138 4729 1635' }] },
        });
        assert.equal(r.statusCode, 409, r.body);
        assert.ok(!r.body.includes('1635'));
        const rows = await t.database.db.selectFrom('access_log').select(['customer_id', 'channel', 'key_id', 'purpose']).execute();
        const keyId = (await t.ctx.services.apiKeys.list()).find((k) => k.role === 'analyst')!.id;
        assert.deepEqual(rows, [{ customer_id: 'c1', channel: 'lookup', key_id: keyId, purpose: 'canary contact check' }]);
        assert.equal((await t.app.inject({ url: '/v1/audit/verify', headers: t.auth('analyst') })).json().intact, true);
        // a fresh number is not a customer's: no entry
        const ok = await t.app.inject({
          method: 'POST',
          url: '/v1/canaries',
          headers: t.auth('analyst'),
          payload: { scope: { kind: 'team', id: 'night' }, contacts: [{ phone: '+86 150 0000 0102' }] },
        });
        assert.equal(ok.statusCode, 201, ok.body);
        assert.equal((await t.database.db.selectFrom('access_log').select('seq').execute()).length, 1);
      } finally {
        await t.close();
      }
    });
  });
}
