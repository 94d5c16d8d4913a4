// Regressions (issue #21 items 3, 4, 6): a key bound to a principal acts only as that principal
// (ingested reads and exports, detokenisation, export creation); every access entry names the key
// in the chained entry (clearing it breaks the chain there); export re-downloads are owned and
// logged per record; purposes and free text carry no personal data.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { testDialects } from '../testing/dialects.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';

const at = '2026-07-01T08:00:00Z';

for (const dialect of testDialects()) {
  describe(`keys bound to principals on ${dialect.name}`, () => {
    let t: TestApp;
    let partnerB: { key: string; id: string };
    let partnerC: { key: string; id: string };
    const as = (key: string) => ({ authorization: `Bearer ${key}` });
    before(async () => {
      t = await createTestApp(dialect);
      const mk = async (p: string) => {
        const r = await t.ctx.services.apiKeys.create({ role: 'ingest', name: p, principalId: p });
        return { key: r.key, id: r.info.id };
      };
      partnerB = await mk('partner-B');
      partnerC = await mk('partner-C');
      const events = [
        {
          id: 'c1',
          type: 'customer.upserted',
          at,
          customerId: 'c1',
          name: '王芳',
          phone: '13847291635',
          address: { province: '浙江省', city: '杭州市', line: '文三路1号' },
        },
        { id: 'c2', type: 'customer.upserted', at, customerId: 'c2', name: '李娜', phone: '13847291636' },
        { id: 'o1', type: 'order.placed', at, orderId: 'o1', customerId: 'c1', items: [{ sku: 'S', title: 'T', price: 1, quantity: 1 }], total: 1 },
        { id: 'ps', type: 'principal.upserted', at, principalId: 'staff-X', kind: 'staff', name: 'X' },
      ];
      assert.equal((await t.app.inject({ method: 'POST', url: '/v1/events', headers: t.auth('ingest'), payload: events })).json().accepted, 4);
    });
    after(async () => t.close());

    const verify = async () => (await t.app.inject({ url: '/v1/audit/verify', headers: t.auth('analyst') })).json();

    it("refuses a bound key's data.accessed / export.created for another principal and records the key on its own", async () => {
      const r = await t.app.inject({
        method: 'POST',
        url: '/v1/events',
        headers: as(partnerB.key),
        payload: [
          { id: 'a1', type: 'data.accessed', at, principalId: 'staff-X', customerId: 'c1', fields: ['phone'], channel: 'api' },
          { id: 'x1', type: 'export.created', at, principalId: 'staff-X', exportId: 'e-x', customerIds: ['c1'], fields: ['phone'] },
          { id: 'a2', type: 'data.accessed', at, principalId: 'partner-B', customerId: 'c1', fields: ['phone'], channel: 'api' },
        ],
      });
      const out = r.json();
      assert.equal(out.accepted, 1, r.body);
      assert.deepEqual(
        out.rejected.map((x: { index: number; problem: { type: string } }) => [x.index, x.problem.type.split('/').pop()]),
        [
          [0, 'principal-mismatch'],
          [1, 'principal-mismatch'],
        ],
      );
      const rows = await t.database.db.selectFrom('access_log').select(['principal_id', 'key_id']).where('event_id', '=', 'a2').execute();
      assert.deepEqual(rows, [{ principal_id: 'partner-B', key_id: partnerB.id }]);
      assert.equal((await t.database.db.selectFrom('access_log').select('seq').where('principal_id', '=', 'staff-X').execute()).length, 0);
    });

    it('refuses detokenising or exporting as another principal; logs it as the key’s own', async () => {
      const tok = (
        await t.app.inject({
          method: 'POST',
          url: '/v1/tokenize',
          headers: t.auth('ingest'),
          payload: { items: [{ kind: 'phone', value: '13847291635', customerId: 'c1' }] },
        })
      ).json().tokens[0];
      const framed = await t.app.inject({
        method: 'POST',
        url: '/v1/detokenize',
        headers: as(partnerB.key),
        payload: { tokens: [tok], principalId: 'staff-X', purpose: 'delivery' },
      });
      assert.equal(framed.statusCode, 403, framed.body);
      const own = await t.app.inject({ method: 'POST', url: '/v1/detokenize', headers: as(partnerB.key), payload: { tokens: [tok], purpose: 'delivery' } });
      assert.equal(own.statusCode, 200, own.body);
      const row = await t.database.db.selectFrom('access_log').select(['principal_id', 'key_id']).where('channel', '=', 'detokenize').executeTakeFirstOrThrow();
      assert.deepEqual(row, { principal_id: 'partner-B', key_id: partnerB.id });
      const exp = (key: string, recipientId: string) =>
        t.app.inject({
          method: 'POST',
          url: '/v1/exports',
          headers: as(key),
          payload: { exportId: `e-${recipientId}`, recipientId, customerIds: ['c1', 'c2'], fields: ['name', 'phone'] },
        });
      assert.equal((await exp(partnerB.key, 'staff-X')).statusCode, 403);
      const ok = await exp(partnerB.key, 'partner-B');
      assert.equal(ok.statusCode, 201, ok.body);
      const recorded = await t.database.db
        .selectFrom('access_log')
        .select(['principal_id', 'key_id'])
        .where('export_id', '=', 'e-partner-B')
        .where('channel', '=', 'export')
        .execute();
      assert.ok(recorded.length >= 2 && recorded.every((x) => x.principal_id === 'partner-B' && x.key_id === partnerB.id));
    });

    it('export re-downloads: owner or unbound keys only, one access entry per record each time', async () => {
      const downloads = async () =>
        await t.database.db
          .selectFrom('access_log')
          .select(['principal_id', 'key_id'])
          .where('export_id', '=', 'e-partner-B')
          .where('channel', '=', 'download')
          .execute();
      const other = await t.app.inject({ url: '/v1/exports/e-partner-B/file', headers: as(partnerC.key) });
      assert.equal(other.statusCode, 404);
      assert.equal((await downloads()).length, 0);
      const mine = await t.app.inject({ url: '/v1/exports/e-partner-B/file', headers: as(partnerB.key) });
      assert.equal(mine.statusCode, 200);
      const records = (await t.app.inject({ url: '/v1/exports/e-partner-B', headers: t.auth('admin') })).json().records as number;
      let d = await downloads();
      assert.ok(records >= 2);
      assert.equal(d.length, records + (await t.ctx.services.exports.get('e-partner-B'))!.canaryIds.length);
      assert.ok(d.every((x) => x.principal_id === 'partner-B' && x.key_id === partnerB.id));
      assert.equal((await t.app.inject({ url: '/v1/exports/e-partner-B/file', headers: t.auth('admin') })).statusCode, 200);
      d = await downloads();
      assert.ok(
        d.some((x) => x.principal_id.startsWith('key:')),
        'an unbound key is logged under its own key',
      );
    });

    it('every entry’s key id is part of the chain: clearing one breaks verification at its position', async () => {
      assert.equal((await verify()).intact, true);
      const row = await t.database.db.selectFrom('access_log').select(['pos']).where('key_id', 'is not', null).orderBy('pos').executeTakeFirstOrThrow();
      await sql`UPDATE access_log SET key_id = NULL WHERE pos = ${row.pos}`.execute(t.database.db);
      const v = await verify();
      assert.equal(v.intact, false);
      assert.equal(v.position, Number(row.pos));
      await sql`UPDATE access_log SET key_id = ${partnerB.id} WHERE pos = ${row.pos}`.execute(t.database.db);
    });

    it('purposes and free text carry no personal data', async () => {
      const r = await t.app.inject({
        method: 'POST',
        url: '/v1/events',
        headers: t.auth('ingest'),
        payload: [
          {
            id: 'a3',
            type: 'data.accessed',
            at,
            principalId: 'staff-X',
            customerId: 'c1',
            fields: ['phone'],
            channel: 'api',
            purpose: 'call back 13847291635',
          },
          { id: 'r1', type: 'refund.requested', at, refundId: 'r1', orderId: 'o1', reason: '请联系 138-4729-1635 或 wf@example.com' },
          { id: 'l1', type: 'login.failed', at, customerId: 'c1', userAgent: 'Mozilla/5.0 phone 13847291635' },
        ],
      });
      const out = r.json();
      assert.deepEqual(
        out.rejected.map((x: { index: number }) => x.index),
        [0],
      );
      const refund = await t.database.db.selectFrom('refunds').select('reason').where('id', '=', 'r1').executeTakeFirstOrThrow();
      assert.equal(refund.reason, '请联系 [digits] 或 [email]');
      const login = await t.database.db.selectFrom('logins').select('user_agent').where('event_id', '=', 'l1').executeTakeFirstOrThrow();
      assert.equal(login.user_agent, 'Mozilla/5.0 phone [digits]');
      const reveal = (purpose: string) =>
        t.app.inject({ method: 'POST', url: '/v1/customers/c1/reveal', headers: t.auth('agent'), payload: { fields: ['phone'], purpose } });
      assert.equal((await reveal('给王芳回电')).statusCode, 400);
      assert.equal((await reveal('deliver to 文三路1号')).statusCode, 400);
      assert.equal((await reveal('refund follow-up')).statusCode, 200);
    });
  });
}
