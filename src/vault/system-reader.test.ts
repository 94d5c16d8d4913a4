// The vault's gate for fanzha's own reads: entries first, nothing without them, only what they cover.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../testing/dialects.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { SystemReader } from './system-reader.ts';
import { FIELD_BIT } from '../lib/fields.ts';

const iso = (t: number) => new Date(t).toISOString();
const T0 = Date.UTC(2026, 10, 1, 8);

for (const dialect of testDialects()) {
  describe(`vault gate for system reads on ${dialect.name}`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect);
      const r = await t.app.inject({
        method: 'POST',
        url: '/v1/events',
        headers: t.auth('ingest'),
        payload: [
          { id: 'g-c1', type: 'customer.upserted', at: iso(T0), customerId: 'g1', name: '刘小明', phone: '13812345678', email: 'x@example.cn' },
          { id: 'g-c2', type: 'customer.upserted', at: iso(T0), customerId: 'g2', name: '王芳', phone: '13912345678' },
          { id: 'g-x1', type: 'export.created', at: iso(T0 + 1000), exportId: 'gx1', principalId: 'courier-1', customerIds: ['g1'], fields: ['name', 'phone'] },
        ],
      });
      assert.equal(r.json().rejected.length, 0, r.body);
    });
    after(async () => t.close());
    const entries = (principal: string) => t.database.db.selectFrom('access_log').selectAll().where('principal_id', '=', principal).execute();

    it('readForSystem appends one entry per read before opening, and only the fields asked', async () => {
      const got = await t.ctx.services.vault.readForSystem('system:test', [{ ids: ['g1', 'missing'], purpose: 'test:phone', fields: FIELD_BIT.phone }], {
        channel: 'batch',
      });
      assert.deepEqual([...got.keys()], ['g1']);
      assert.deepEqual(got.get('g1'), { phone: '+8613812345678' });
      const e = await entries('system:test');
      assert.equal(e.length, 1);
      assert.deepEqual(
        { c: e[0]!.customer_id, f: Number(e[0]!.fields), p: e[0]!.purpose, ch: e[0]!.channel, s: e[0]!.source },
        { c: 'g1', f: FIELD_BIT.phone, p: 'test:phone', ch: 'batch', s: 'vault' },
      );
    });

    it('fails closed: when the entries cannot be appended nothing is opened', async () => {
      const { shop } = t.ctx.services;
      const gate = new SystemReader({
        cipher: t.ctx.cipher,
        shop,
        record: async () => {
          throw new Error('log down');
        },
      });
      await assert.rejects(gate.readForSystem('system:test', [{ ids: ['g1'], purpose: 'x', fields: FIELD_BIT.phone }]), /log down/);
    });

    it('readForExport opens only the customers the export recorded for its recipient', async () => {
      const gate = t.ctx.services.vault.system;
      const before = (await t.database.db.selectFrom('access_log').select('seq').execute()).length;
      const got = await gate.readForExport('gx1', 'courier-1', FIELD_BIT.name | FIELD_BIT.phone, ['g1', 'g2']);
      assert.deepEqual([...got.keys()], ['g1']);
      assert.equal(got.get('g1')!.name, '刘小明');
      assert.equal(got.get('g1')!.email, undefined);
      assert.equal((await gate.readForExport('gx1', 'someone-else', FIELD_BIT.name, ['g1'])).size, 0);
      assert.equal((await t.database.db.selectFrom('access_log').select('seq').execute()).length, before, 'no entry added: the export is the entry');
    });

    it('readCanaryIdentities refuses real customers', async () => {
      assert.equal((await t.ctx.services.vault.system.readCanaryIdentities(['g1', 'g2'])).size, 0);
    });
  });
}
