// `fanzha connect mysql` against the real MariaDB of this machine (binlog in ROW format, which
// .ci/run ensures): a snapshot, then streamed inserts and updates appear as customers, staff,
// orders and refunds; a connector killed with SIGKILL mid-stream resumes without loss or duplicates.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { tempDir, testDialects } from '../../testing/dialects.ts';
import { haveServer } from '../../testing/requirements.ts';
import { PositionStore } from '../connect.positions.ts';
import { MysqlConnector } from './mysql.connector.ts';
import { createTestShop, insertCustomers, MYSQL_URL, type TestShop } from './mysql.test-helper.ts';

const up = await haveServer(MYSQL_URL, 'the MySQL connector tests');

async function until(what: string, check: () => Promise<boolean> | boolean, ms = 30_000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`timed out waiting for ${what}`);
}

for (const dialect of testDialects()) {
  describe(`connect mysql → fanzha (${dialect.name})`, { skip: !up }, () => {
    let shop: TestShop;
    let t: TestApp;
    before(async () => {
      shop = await createTestShop();
      t = await createTestApp(dialect);
    });
    after(async () => {
      await t?.close();
      await shop?.drop();
    });

    const eventsOf = (type: string, subject: string) =>
      t.database.db.selectFrom('events').select('id').where('type', '=', type).where('subject', '=', subject).execute();

    it('stores the snapshot, then inserted and updated rows, as customers, staff, orders and refunds', async () => {
      const { conn, t: tb } = shop;
      await insertCustomers(conn, tb.customers, 1, 3);
      await conn.query(`INSERT INTO ${tb.staff} VALUES ('kf-007', '客服七号', '售后')`);
      await conn.query(`INSERT INTO ${tb.orders} VALUES ('SO-1', 1, 299.00, '2026-12-01 09:30:00')`);
      await conn.query(
        `INSERT INTO ${tb.items} (order_no, sku, goods_name, price, num) VALUES ('SO-1', 'SKU-A', '保温杯', 99.5, 2), ('SO-1', 'SKU-B', '杯套', 100, 1)`,
      );

      const connector = new MysqlConnector(t.ctx.services.events, new PositionStore(t.database.db), {
        url: MYSQL_URL,
        mapping: shop.mapping,
        name: 'test',
        flushMs: 50,
      });
      const ac = new AbortController();
      const running = connector.run(ac.signal);
      try {
        await until('the snapshot', async () => !!(await t.ctx.services.shop.order('SO-1')) && !!(await t.ctx.services.shop.customer('2')));
        assert.ok(await t.ctx.services.shop.principal('kf-007'));

        // streamed: a new customer, an update of an old one, an order with its items in one transaction, a refund and its completion
        await insertCustomers(conn, tb.customers, 3, 4);
        await conn.query(`UPDATE ${tb.customers} SET mobile = '13900000001', modified = '2026-12-02 08:00:00' WHERE id = 1`);
        await conn.beginTransaction();
        await conn.query(`INSERT INTO ${tb.orders} VALUES ('SO-2', 3, 59.00, '2026-12-02 10:00:00')`);
        await conn.query(`INSERT INTO ${tb.items} (order_no, sku, goods_name, price, num) VALUES ('SO-2', 'SKU-C', '数据线', 59, 1)`);
        await conn.commit();
        await conn.query(`INSERT INTO ${tb.refunds} VALUES ('RF-1', 'SO-2', 0, '不想要了', '2026-12-02 11:00:00')`);
        await conn.query(`UPDATE ${tb.refunds} SET memo = '不想要了!' WHERE refund_no = 'RF-1'`);
        await conn.query(`UPDATE ${tb.refunds} SET state = 1, updated = '2026-12-02 12:00:00' WHERE refund_no = 'RF-1'`);

        await until('the streamed changes', async () => (await eventsOf('refund.completed', 'RF-1')).length === 1);
        assert.ok(await t.ctx.services.shop.customer('3'));
        const so2 = await t.ctx.services.shop.order('SO-2');
        assert.equal(so2?.customer_id, '3');
        assert.equal(so2?.total_minor, 5900);
        // the order's time is its DATETIME column in the mapping's zone (+08:00)
        assert.equal(so2?.placed_at, Date.parse('2026-12-02T10:00:00+08:00'));
        assert.equal((await t.ctx.services.shop.refundsOf('SO-2')).length, 1);
        assert.equal((await eventsOf('customer.upserted', '1')).length, 2, 'the snapshot and the update');
        // a memo edit does not repeat the request: one requested, one completed
        assert.equal((await eventsOf('refund.requested', 'RF-1')).length, 1);
        assert.equal((await eventsOf('order.placed', 'SO-2')).length, 1);
        const ids = (await eventsOf('customer.upserted', '3')).map((e) => e.id);
        assert.match(ids[0]!, /^mysql:mysql-bin\.\d+:\d+:0$/);
      } finally {
        ac.abort();
        await running;
      }
      assert.equal(connector.sink.totals.rejected, 0);
      const saved = await new PositionStore(t.database.db).get<{ phase: string }>('test');
      assert.equal(saved?.phase, 'stream');
    });

    it('replays a batch stored before its position was saved (a crash in between) once', async () => {
      // the save of the first streamed batch that stored something fails: the batch is stored, its position is not
      let snapshotAccepted: number | null = null;
      class CrashingPositions extends PositionStore {
        override async set(connector: string, position: unknown) {
          if ((position as { phase: string }).phase === 'stream') {
            if (snapshotAccepted === null) snapshotAccepted = crashing.sink.totals.accepted;
            else if (crashing.sink.totals.accepted > snapshotAccepted) throw new Error('crash');
          }
          return super.set(connector, position);
        }
      }
      const mk = (positions: PositionStore) =>
        new MysqlConnector(t.ctx.services.events, positions, { url: MYSQL_URL, mapping: shop.mapping, name: 'crash', flushMs: 50 });
      const crashing: MysqlConnector = mk(new CrashingPositions(t.database.db));
      const ac = new AbortController();
      const running = crashing.run(ac.signal);
      running.catch(() => {}); // awaited below
      await until(
        'the snapshot of the second connector',
        async () => (await new PositionStore(t.database.db).get<{ phase: string }>('crash'))?.phase === 'stream',
      );
      await insertCustomers(shop.conn, shop.t.customers, 500, 520);
      await assert.rejects(running, /crash/);
      assert.equal(crashing.sink.totals.accepted >= 1, true);
      // the restarted connector reads the same changes again: duplicates, nothing new stored twice
      const resumed = mk(new PositionStore(t.database.db));
      const ac2 = new AbortController();
      const again = resumed.run(ac2.signal);
      await until('the replay', () => resumed.sink.totals.duplicates + resumed.sink.totals.accepted >= 20);
      ac2.abort();
      await again;
      assert.ok(resumed.sink.totals.duplicates >= 1, 'the batch whose position was lost came again');
      const n = await t.database.db
        .selectFrom('events')
        .select('subject')
        .where('type', '=', 'customer.upserted')
        .where(
          'subject',
          'in',
          Array.from({ length: 20 }, (_, i) => String(500 + i)),
        )
        .execute();
      assert.equal(n.length, 20, 'each streamed row stored once');
    });
  });
}

describe('connect mysql killed mid-stream', { skip: !up }, () => {
  let shop: TestShop;
  before(async () => {
    shop = await createTestShop();
  });
  after(async () => shop?.drop());

  it('resumes from the saved position: every row change stored once', async () => {
    const dir = tempDir();
    const dbFile = path.join(dir, 'f.db');
    const mappingFile = path.join(dir, 'mapping.json');
    writeFileSync(mappingFile, JSON.stringify(shop.mapping));
    const env = { ...process.env, FANZHA_DATA_DIR: dir, FANZHA_DB: `sqlite:${dbFile}`, FANZHA_LOG_LEVEL: 'warn' };
    const start = (): { child: ChildProcess; err: () => string } => {
      let err = '';
      const child = spawn(
        process.execPath,
        [path.resolve('bin/fanzha.js'), 'connect', 'mysql', '--url', MYSQL_URL, '--mapping', mappingFile, '--batch', '20'],
        { env, stdio: ['ignore', 'ignore', 'pipe'] },
      );
      child.stderr!.on('data', (d) => (err += d));
      return { child, err: () => err };
    };
    const count = (sql: string): number => {
      try {
        const db = new BetterSqlite3(dbFile, { readonly: true, fileMustExist: true });
        try {
          return (db.prepare(sql).get() as { n: number }).n;
        } finally {
          db.close();
        }
      } catch {
        return 0; // not created yet, or busy
      }
    };
    const stored = () => count("SELECT count(*) AS n FROM events WHERE type = 'customer.upserted'");
    const customers = () => count('SELECT count(*) AS n FROM customers');

    await insertCustomers(shop.conn, shop.t.customers, 0, 100);
    const first = start();
    await until('the first streamed rows', () => stored() >= 100, 60_000);
    // rows keep coming while the connector is killed: what it had not saved must come again, once
    const writer = insertCustomers(shop.conn, shop.t.customers, 100, 1100, 5);
    await until('streaming under way', () => stored() >= 300, 60_000);
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    const atKill = stored();
    await writer;
    await shop.conn.query(`UPDATE ${shop.t.customers} SET mobile = '13700000000' WHERE id < 50`);

    const second = start();
    try {
      await until('every change after the restart', () => stored() >= 1150, 90_000);
      await new Promise((r) => setTimeout(r, 500)); // nothing more may arrive
      assert.ok(atKill < 1100, `killed before the end (${atKill} stored)`);
      assert.equal(customers(), 1100);
      // 1,100 inserts and 50 updates: one event each, none twice
      assert.equal(stored(), 1150);
      assert.equal(count("SELECT count(DISTINCT subject) AS n FROM events WHERE type = 'customer.upserted'"), 1100);
    } finally {
      second.child.kill('SIGTERM');
      await new Promise((r) => second.child.once('exit', r));
    }
    assert.match(second.err(), /stopped: accepted \d+, duplicates \d+, rejected 0/);
    console.log(`# killed with ${atKill} stored; after the restart: ${/stopped: .*/.exec(second.err())?.[0]}`);
  });
});
