// Regression (issue #21 item 7): a deleted chain head gives a message that says what happened and
// what to do (not Kysely's bare "no result"), and reads stay refused (fail closed).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { testDialects } from '../testing/dialects.ts';
import { createTestApp } from '../testing/test-app.ts';

for (const dialect of testDialects()) {
  describe(`a missing audit head on ${dialect.name}`, () => {
    it('is named, with the way out, and no personal data is served', async () => {
      const t = await createTestApp(dialect);
      try {
        const at = '2026-07-01T08:00:00Z';
        await t.app.inject({
          method: 'POST',
          url: '/v1/events',
          headers: t.auth('ingest'),
          payload: [{ id: 'c1', type: 'customer.upserted', at, customerId: 'c1', name: '王芳', phone: '13847291635' }],
        });
        await sql`DELETE FROM audit_head`.execute(t.database.db);
        await assert.rejects(t.ctx.services.audit.head(), (e: Error) => /audit_head.*missing.*Restore the database from your backup/s.test(e.message));
        const r = await t.app.inject({ url: '/v1/customers/c1', headers: t.auth('agent') });
        assert.equal(r.statusCode, 503, r.body);
        assert.ok(!r.body.includes('王芳'));
        const ingest = await t.app.inject({
          method: 'POST',
          url: '/v1/events',
          headers: t.auth('ingest'),
          payload: [{ id: 'a1', type: 'data.accessed', at, principalId: 'p', customerId: 'c1', fields: ['phone'], channel: 'api' }],
        });
        assert.ok(ingest.statusCode >= 500);
        assert.match(t.logs(), /audit_head/);
      } finally {
        await t.close();
      }
    });
  });
}
