import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { testDialects } from '../testing/dialects.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { NoteSigner, openCheckpoint, parseVerifierKey, splitNotes } from './signed-note.ts';
import { longestSequentialRun } from './alerts.ts';

const T0 = Date.UTC(2026, 6, 14, 2, 0);
const iso = (ms: number) => new Date(ms).toISOString();

function accessEvent(i: number, extra: Record<string, unknown> = {}) {
  return { id: `acc-${i}`, type: 'data.accessed', at: iso(T0 + i * 60_000), principalId: `p-${i % 3}`, orderId: `o${i % 7}`, fields: ['name', 'phone'], channel: 'console', ...extra };
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
          { id: 'c1', type: 'customer.upserted', at: iso(T0), customerId: 'c1', name: '刘小明', phone: '13812345678', address: { province: '广东省', city: '深圳市', line: '南山区科技园1号' } },
          { id: 'o1', type: 'order.placed', at: iso(T0), orderId: 'o1', customerId: 'c1', items: [{ sku: 'A1', title: '空气净化器', price: 1999, quantity: 1 }], total: 1999 },
          ...Array.from({ length: 30 }, (_, i) => accessEvent(i)),
          { id: 'x1', type: 'export.created', at: iso(T0 + 40 * 60_000), principalId: 'p-9', exportId: 'exp1', orderIds: ['o1', 'o2', 'o3'], fields: ['name', 'address'] },
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
      assert.deepEqual(rows.map((r) => Number(r.pos)), [...rows.keys()]);
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
      assert.deepEqual(all, [...all].sort((a, b) => b - a));
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
      const db = t.database.db;
      await t.ctx.services.audit.checkpoint();
      const snapshot = await db.selectFrom('access_log').selectAll().orderBy('pos').execute();
      const head = await db.selectFrom('audit_head').selectAll().executeTakeFirstOrThrow();
      const n = snapshot.length;
      const restore = async () => {
        await db.deleteFrom('access_log').execute();
        await db.insertInto('access_log').values(snapshot as never).execute();
        await db.updateTable('audit_head').set({ size: head.size, hash: head.hash }).execute();
      };
      const shiftFrom = async (i: number, by: number) => {
        // Two steps so the unique position index never sees a transient duplicate.
        await sql`UPDATE access_log SET pos = pos + 1000000 WHERE pos >= ${i}`.execute(db);
        await sql`UPDATE access_log SET pos = pos - 1000000 + ${by} WHERE pos >= 1000000`.execute(db);
      };
      const EDITABLE = ['source', 'event_id', 'principal_id', 'customer_id', 'order_id', 'fields', 'purpose', 'channel', 'ip', 'export_id', 'ticket', 'at', 'recorded_at', 'hash'] as const;
      const tampering = fc.oneof(
        fc.record({ kind: fc.constant('edit' as const), i: fc.nat(n - 1), column: fc.constantFrom(...EDITABLE) }),
        fc.record({ kind: fc.constant('delete' as const), i: fc.nat(n - 1), renumber: fc.boolean() }),
        fc.record({ kind: fc.constant('insert' as const), i: fc.nat(n), moveHead: fc.boolean() }),
        fc.record({ kind: fc.constant('swap' as const), i: fc.nat(n - 2), byPosition: fc.boolean() }),
        fc.record({ kind: fc.constant('truncate' as const), i: fc.nat(n - 1), rewindHead: fc.boolean() }),
      );
      const seen: Record<string, number> = {};
      await fc.assert(
        fc.asyncProperty(tampering, async (tm) => {
          seen[tm.kind] = (seen[tm.kind] ?? 0) + 1;
          const row = snapshot[tm.i];
          switch (tm.kind) {
            case 'edit': {
              const old = (row as Record<string, unknown>)[tm.column];
              const value = typeof old === 'number' ? old + 1 : tm.column === 'hash' ? randomBytes(32).toString('hex') : old === null ? 'x' : `${old}x`;
              await sql`UPDATE access_log SET ${sql.ref(tm.column)} = ${value} WHERE pos = ${tm.i}`.execute(db);
              break;
            }
            case 'delete':
              await db.deleteFrom('access_log').where('pos', '=', tm.i).execute();
              if (tm.renumber) await shiftFrom(tm.i + 1, -1);
              break;
            case 'insert': {
              await shiftFrom(tm.i, 1);
              const fake = { ...snapshot[Math.min(tm.i, n - 1)]!, principal_id: 'p-innocent', event_id: 'forged' } as Record<string, unknown>;
              delete fake.seq;
              await db.insertInto('access_log').values({ ...fake, pos: tm.i, hash: randomBytes(32).toString('hex') } as never).execute();
              if (tm.moveHead) await db.updateTable('audit_head').set({ size: n + 1 }).execute();
              break;
            }
            case 'swap':
              if (tm.byPosition) {
                await sql`UPDATE access_log SET pos = -1 WHERE pos = ${tm.i}`.execute(db);
                await sql`UPDATE access_log SET pos = ${tm.i} WHERE pos = ${tm.i + 1}`.execute(db);
                await sql`UPDATE access_log SET pos = ${tm.i + 1} WHERE pos = -1`.execute(db);
              } else {
                await db.deleteFrom('access_log').where('pos', 'in', [tm.i, tm.i + 1]).execute();
                const a = { ...snapshot[tm.i + 1]!, pos: tm.i } as Record<string, unknown>;
                const b = { ...snapshot[tm.i]!, pos: tm.i + 1 } as Record<string, unknown>;
                await db.insertInto('access_log').values([a, b] as never).execute();
              }
              break;
            case 'truncate':
              await db.deleteFrom('access_log').where('pos', '>=', tm.i).execute();
              if (tm.rewindHead) {
                await db.updateTable('audit_head').set({ size: tm.i, hash: tm.i === 0 ? '0'.repeat(64) : snapshot[tm.i - 1]!.hash }).execute();
              }
              break;
          }
          const r = await t.ctx.services.audit.verify();
          await restore();
          assert.equal(r.intact, false, `${JSON.stringify(tm)} went undetected`);
          assert.equal((r as { position: number }).position, tm.i, `${JSON.stringify(tm)}: ${JSON.stringify(r)}`);
        }),
        { numRuns: 1000 },
      );
      assert.equal(Object.keys(seen).length, 5);
      assert.equal((await t.ctx.services.audit.verify()).intact, true);
    });

    it('raises baseline alerts: volume spike, off-hours bulk, refund-then-read, sequential ids', async () => {
      const H = 3_600_000;
      const base = Date.UTC(2026, 7, 1, 2, 0); // 10:00 in UTC+8
      const events: unknown[] = [];
      // A calm baseline for p-calm: 2 reads per working day.
      for (let d = 1; d <= 10; d++) for (let k = 0; k < 2; k++) events.push(accessEvent(1000 + d * 10 + k, { principalId: 'p-calm', at: iso(base - d * 24 * H + k * 60_000) }));
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
      const list = (await t.app.inject({ url: '/v1/audit/alerts?limit=100', headers: t.auth('analyst') })).json().items as { rule: string; principalId: string }[];
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
