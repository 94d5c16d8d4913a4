import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { testDialects } from '../testing/dialects.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { NoteSigner, openCheckpoint, parseVerifierKey, splitNotes } from './signed-note.ts';
import { longestSequentialRun } from './alerts.ts';
import { assertEveryTamperingDetected } from './tamper.test-helper.ts';

const T0 = Date.UTC(2026, 6, 14, 2, 0);
const iso = (ms: number) => new Date(ms).toISOString();

function accessEvent(i: number, extra: Record<string, unknown> = {}) {
  return {
    id: `acc-${i}`,
    type: 'data.accessed',
    at: iso(T0 + i * 60_000),
    principalId: `p-${i % 3}`,
    orderId: `o${i % 7}`,
    fields: ['name', 'phone'],
    channel: 'console',
    ...extra,
  };
}

for (const dialect of testDialects()) {
  describe(`access log on ${dialect.name}`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect);
      const r = await t.app.inject({
        method: 'POST',
        url: '/v1/events',
        headers: t.auth('ingest'),
        payload: [
          {
            id: 'c1',
            type: 'customer.upserted',
            at: iso(T0),
            customerId: 'c1',
            name: '刘小明',
            phone: '13812345678',
            address: { province: '广东省', city: '深圳市', line: '南山区科技园1号' },
          },
          {
            id: 'o1',
            type: 'order.placed',
            at: iso(T0),
            orderId: 'o1',
            customerId: 'c1',
            items: [{ sku: 'A1', title: '空气净化器', price: 1999, quantity: 1 }],
            total: 1999,
          },
          ...Array.from({ length: 30 }, (_, i) => accessEvent(i)),
          {
            id: 'x1',
            type: 'export.created',
            at: iso(T0 + 40 * 60_000),
            principalId: 'p-9',
            exportId: 'exp1',
            orderIds: ['o1', 'o2', 'o3'],
            fields: ['name', 'address'],
          },
        ],
      });
      assert.equal(r.statusCode, 200, r.body);
      assert.equal(r.json().accepted, 33, r.body);
      for (const role of ['agent', 'analyst'] as const) {
        assert.equal((await t.app.inject({ url: '/v1/customers/c1', headers: t.auth(role) })).statusCode, 200);
        assert.equal((await t.app.inject({ url: '/v1/orders/o1', headers: t.auth(role) })).statusCode, 200);
      }
    });
    after(async () => t.close());

    it('chains ingested and vault-read entries in order and verifies them (CLI service and API)', async () => {
      const rows = await t.database.db.selectFrom('access_log').select(['pos', 'source', 'channel']).orderBy('pos').execute();
      assert.equal(rows.length, 37);
      assert.deepEqual(
        rows.map((r) => Number(r.pos)),
        [...rows.keys()],
      );
      assert.equal(rows.filter((r) => r.source === 'vault').length, 4);
      const v = await t.app.inject({ url: '/v1/audit/verify', headers: t.auth('analyst') });
      assert.equal(v.statusCode, 200);
      assert.equal(v.json().intact, true);
      assert.equal(v.json().size, 37);
    });

    it('answers analyst queries by principal, order, field and time, newest first, paginated', async () => {
      const q = (s: string) => t.app.inject({ url: `/v1/audit/entries?${s}`, headers: t.auth('analyst') });
      const all: number[] = [];
      let cursor = '';
      for (;;) {
        const r = await q(`principalId=p-1&limit=4${cursor ? `&cursor=${cursor}` : ''}`);
        assert.equal(r.statusCode, 200, r.body);
        all.push(...r.json().items.map((e: { position: number }) => e.position));
        if (!r.json().nextCursor) break;
        cursor = r.json().nextCursor;
      }
      assert.equal(all.length, 10);
      assert.deepEqual(
        all,
        [...all].sort((a, b) => b - a),
      );
      const byOrder = (await q('orderId=o1')).json().items;
      assert.ok(byOrder.some((e: { source: string }) => e.source === 'vault'));
      assert.ok(byOrder.every((e: { orderId: string }) => e.orderId === 'o1'));
      const addr = (await q('field=address')).json().items;
      assert.ok(addr.length >= 3 && addr.every((e: { fields: string[] }) => e.fields.includes('address')));
      const window = (await q(`from=${encodeURIComponent(iso(T0))}&to=${encodeURIComponent(iso(T0 + 5 * 60_000))}`)).json().items;
      assert.equal(window.length, 5 + 0);
      assert.equal((await q('from=yesterday')).statusCode, 400);
      assert.equal((await t.app.inject({ url: '/v1/audit/entries', headers: t.auth('agent') })).statusCode, 403);
    });

    it('signs checkpoints as C2SP notes; an outside holder detects a rewound log', async () => {
      const cp = await t.app.inject({ method: 'POST', url: '/v1/audit/checkpoints', headers: t.auth('admin') });
      assert.equal(cp.statusCode, 201);
      const { note, size } = cp.json();
      const list = (await t.app.inject({ url: '/v1/audit/checkpoints', headers: t.auth('analyst') })).json();
      const vkey = list.verifierKey as string;
      const opened = openCheckpoint(note, parseVerifierKey(vkey));
      assert.equal(opened.size, size);
      assert.equal(splitNotes(note + '\n' + note).length, 2);
      // A note signed by another key (e.g. a DBA forging one) is refused.
      const forged = new NoteSigner(t.ctx.services.audit.config.origin, randomBytes(32)).sign({ origin: opened.origin, size: 1, hash: opened.hash });
      assert.throws(() => openCheckpoint(forged, parseVerifierKey(vkey)), /signature/);
      assert.equal((await t.ctx.services.audit.verify({ notes: note, verifierKey: vkey })).intact, true);
    });

    it('detects each of 1,000 random single-entry tamperings at its position (edit, delete, insert, swap, truncate)', async () => {
      const seen = await assertEveryTamperingDetected(t, 1000);
      assert.equal(seen.move, undefined, 'one chain: nothing to move between');
    });

    it('raises baseline alerts: volume spike, off-hours bulk, refund-then-read, sequential ids', async () => {
      const H = 3_600_000;
      const base = Date.UTC(2026, 7, 1, 2, 0); // 10:00 in UTC+8
      const events: unknown[] = [];
      // A calm baseline for p-calm: 2 reads per working day.
      for (let d = 1; d <= 10; d++)
        for (let k = 0; k < 2; k++) events.push(accessEvent(1000 + d * 10 + k, { principalId: 'p-calm', at: iso(base - d * 24 * H + k * 60_000) }));
      // Spike: 40 reads in one hour, sequential order ids.
      for (let k = 0; k < 40; k++) events.push(accessEvent(2000 + k, { principalId: 'p-calm', orderId: `ord${1000 + k}`, at: iso(base + k * 60_000) }));
      // Off-hours bulk (02:00 UTC+8 = 18:00 UTC the day before).
      for (let k = 0; k < 25; k++) events.push(accessEvent(3000 + k, { principalId: 'p-night', orderId: `n${k * 7}`, at: iso(base - 8 * H + k * 60_000) }));
      // Refund then read: six orders read within minutes of their refund request.
      for (let k = 0; k < 6; k++) {
        events.push({ id: `rr-${k}`, type: 'refund.requested', at: iso(base + 2 * H + k * 60_000), refundId: `rf${k}`, orderId: `ro${k * 13}` });
        events.push(accessEvent(4000 + k, { principalId: 'p-vendor', orderId: `ro${k * 13}`, at: iso(base + 2 * H + k * 60_000 + 120_000) }));
      }
      const r = await t.app.inject({ method: 'POST', url: '/v1/events', headers: t.auth('ingest'), payload: events });
      assert.equal(r.json().rejected.length, 0, r.body);
      const created = await t.ctx.services.alerts.scan(base - 12 * H, base + 3 * H);
      assert.ok(created >= 4);
      assert.equal(await t.ctx.services.alerts.scan(base - 12 * H, base + 3 * H), 0, 'alerts are stored once');
      const list = (await t.app.inject({ url: '/v1/audit/alerts?limit=100', headers: t.auth('analyst') })).json().items as {
        rule: string;
        principalId: string;
      }[];
      const has = (rule: string, p: string) => list.some((a) => a.rule === rule && a.principalId === p);
      assert.ok(has('volume-spike', 'p-calm'));
      assert.ok(has('sequential-enumeration', 'p-calm'));
      assert.ok(has('off-hours-bulk', 'p-night'));
      assert.ok(has('refund-then-read', 'p-vendor'));
      assert.ok(!has('volume-spike', 'p-vendor'));
      const mine = (await t.app.inject({ url: '/v1/audit/alerts?principalId=p-night', headers: t.auth('admin') })).json().items;
      assert.ok(mine.length >= 1 && mine.every((a: { principalId: string }) => a.principalId === 'p-night'));
    });
  });
}

describe('sequential id runs', () => {
  it('finds the longest run per prefix and width', () => {
    assert.equal(longestSequentialRun(['o1', 'o2', 'o3', 'x4', 'o5']), 3);
    assert.equal(longestSequentialRun(['a-0099', 'a-0100', 'a-0101']), 3);
    assert.equal(longestSequentialRun(['abc', 'o7']), 1);
    assert.equal(longestSequentialRun([]), 0);
  });
});
