// Regressions (issue #21 items 2 and 7): input the storage cannot take is refused with a 400
// problem+json for exactly that input — one event of a batch, one parameter — on both databases;
// numbers out of range, a null batch and malformed URLs are 400s; nothing echoes what was sent.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../testing/dialects.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';

const at = '2026-07-01T08:00:00Z';
const PHONE = '13847291635';

function assertProblem(r: { statusCode: number; headers: Record<string, unknown>; body: string }, status: number, forbidden: string[] = []) {
  assert.equal(r.statusCode, status, r.body);
  assert.match(String(r.headers['content-type']), /^application\/problem\+json/);
  const p = JSON.parse(r.body);
  assert.equal(p.status, status);
  assert.ok(typeof p.type === 'string' && typeof p.title === 'string');
  for (const f of forbidden) assert.ok(!r.body.includes(f), `echoes ${JSON.stringify(f)}: ${r.body}`);
}

for (const dialect of testDialects()) {
  describe(`bad text, numbers and URLs on ${dialect.name}`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect);
    });
    after(async () => t.close());

    it('a NUL or a lone surrogate rejects only its own event; the rest of the batch is stored', async () => {
      const events = [
        { id: 'c1', type: 'customer.upserted', at, customerId: 'c1', name: '王芳', phone: PHONE },
        { id: 'o1', type: 'order.placed', at, orderId: 'o1', customerId: 'c1', items: [{ sku: 'S', title: 'T', price: 1, quantity: 1 }], total: 1 },
        { id: 'r1', type: 'refund.requested', at, refundId: 'r1', orderId: 'o1', reason: 'bad\u0000reason' },
        { id: 'p1', type: 'principal.upserted', at, principalId: 'p1', kind: 'staff', name: 'X\ud800Y' },
        { id: 'l1', type: 'login.failed', at, customerId: 'c1', userAgent: 'UA\u0000' },
        { id: 'r2', type: 'refund.requested', at, refundId: 'r2', orderId: 'o1', reason: '不想要了' },
      ];
      const r = await t.app.inject({ method: 'POST', url: '/v1/events', headers: t.auth('ingest'), payload: events });
      assert.equal(r.statusCode, 200, r.body);
      const out = r.json();
      assert.equal(out.accepted, 3);
      assert.deepEqual(
        out.rejected.map((x: { index: number }) => x.index),
        [2, 3, 4],
      );
      assert.ok(!r.body.includes('\\u0000') && !r.body.includes('bad'));
      // the good ones are really stored (a retry of the whole batch is all duplicates)
      const again = await t.app.inject({ method: 'POST', url: '/v1/events', headers: t.auth('ingest'), payload: events });
      assert.equal(again.json().duplicates, 3);
    });

    it('NUL or a lone surrogate in a path or query is a 400 problem, never a 500', async () => {
      assertProblem(await t.app.inject({ url: '/v1/check?sender=%00abc' }), 400, ['abc']);
      assertProblem(await t.app.inject({ url: `/v1/customers/${PHONE}%00`, headers: t.auth('analyst') }), 400, [PHONE]);
      assertProblem(await t.app.inject({ url: `/v1/customers/${PHONE}%ED%A0%80`, headers: t.auth('analyst') }), 400, [PHONE]);
    });

    it('a lone surrogate in a notice idempotency key is a 400 (and nothing is queued)', async () => {
      const payload = { customerId: 'c1', template: 'refund.requested', idempotencyKey: 'k\ud800' };
      for (let i = 0; i < 2; i++) assertProblem(await t.app.inject({ method: 'POST', url: '/v1/notifications', headers: t.auth('ingest'), payload }), 400);
    });

    it('numeric query parameters out of range are 400s', async () => {
      for (const q of ['limit=1e309', 'limit=50&offset=1e300', 'limit=50&offset=99999999999999999999'])
        assertProblem(await t.app.inject({ url: `/v1/cases?${q}`, headers: t.auth('analyst') }), 400, ['1e3', '9999']);
      assert.equal((await t.app.inject({ url: '/v1/cases?offset=9007199254740991', headers: t.auth('analyst') })).statusCode, 200);
    });

    it('a null or non-array body to /v1/events is a 400, not a batch of one', async () => {
      for (const payload of ['null', '{"id":"x"}', '"abc"'])
        assertProblem(
          await t.app.inject({ method: 'POST', url: '/v1/events', headers: { ...t.auth('ingest'), 'content-type': 'application/json' }, payload }),
          400,
        );
    });

    it("Fastify's own errors are problem+json and never echo the path", async () => {
      assertProblem(await t.app.inject({ url: `/v1/customers/${PHONE}%ff`, headers: t.auth('analyst') }), 400, [PHONE]);
      assertProblem(await t.app.inject({ url: `/v1/nothing/${PHONE}` }), 404, [PHONE]);
      assertProblem(
        await t.app.inject({ method: 'POST', url: '/v1/events', headers: { ...t.auth('ingest'), 'content-type': 'application/xml' }, payload: '<a/>' }),
        415,
      );
      assertProblem(
        await t.app.inject({ method: 'POST', url: '/v1/events', headers: { ...t.auth('ingest'), 'content-type': 'application/json' }, payload: `[${PHONE}` }),
        400,
        [PHONE],
      );
      assertProblem(await t.app.inject({ url: `/v1/customers/${PHONE}`, headers: t.auth('analyst') }), 404, [PHONE]);
    });
  });
}
