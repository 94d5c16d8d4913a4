// Retention of the access log: monthly partitions on PostgreSQL (rows land in their month, the
// DEFAULT partition catches the rest), pruning by whole months from a signed anchor on both
// dialects (only what is older than the retention goes, an entry recorded early but appended late
// stays), the chain still verifying afterwards, every tampering of a kept entry — and of the
// anchor or the pruned prefix — still detected, and a retention below the legal floor refused.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { sql } from 'kysely';
import { tempDir, testDialects } from '../testing/dialects.ts';
import { loadConfig } from '../config/config.ts';
import { createContext, closeContext } from '../app/bootstrap.ts';
import { AREAS } from '../app/areas.ts';
import { createLogger } from '../http/logger.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { appendEntries } from './append.ts';
import type { NewEntry } from './chain.ts';
import { DEFAULT_PARTITION, addMonths, createMonthPartition, ensurePartitions, listPartitions, monthStart, partitionName } from './partitions.ts';
import { anchorOrigin, RETENTION_PRINCIPAL } from './prune.ts';
import { DAY_MS, MIN_RETENTION_DAYS, retentionCut } from './retention.ts';
import { NoteSigner } from './signed-note.ts';
import { PruneRefused } from './audit.service.ts';
import { assertEveryTamperingDetected } from './tamper.test-helper.ts';
import { auditArea } from './audit.area.ts';

const at = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d, 3, 0);
// With the default 183 days, "now" on 15 September 2026 cuts at 1 March 2026: January and February go.
const NOW = at(2026, 9, 15);
const CUT = Date.UTC(2026, 2, 1);

const entries = (tag: string, recordedAt: number, n: number): NewEntry[] =>
  Array.from({ length: n }, (_, i) => ({
    source: 'event',
    event_id: `${tag}-${i}`,
    principal_id: `p-${i % 3}`,
    order_id: `o${i}`,
    fields: 3,
    channel: 'console',
    at: recordedAt - 60_000,
    recorded_at: recordedAt + i * 1000,
  }));

async function appendTo(t: TestApp, shard: number, list: NewEntry[]) {
  await t.database.db.transaction().execute((trx) => appendEntries(trx, t.database, list, { shard }));
}

type Row = Record<string, unknown>;

for (const dialect of testDialects()) {
  const pg = dialect.name === 'postgres';
  describe(`access-log retention on ${dialect.name}`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect, { areas: { audit: { shards: 3 } } });
      if (pg) for (const m of [1, 4]) await ensurePartitions(t.database.db, at(2026, m, 15)); // January to June 2026
      await appendTo(t, 0, entries('jan0', at(2026, 1, 10), 5));
      await appendTo(t, 1, entries('feb1', at(2026, 2, 10), 5));
      await appendTo(t, 2, entries('jan2', at(2026, 1, 20), 3)); // shard 2 gets nothing later: pruned whole
      await appendTo(t, 0, entries('mar0', at(2026, 3, 10), 3));
      await appendTo(t, 1, entries('mar1', at(2026, 3, 12), 3));
      // recorded in February but appended after March's entries of its shard (a slow node's clock,
      // a retried batch): not in the shard's prefix before the cut, so it must stay
      await appendTo(t, 0, entries('late0', at(2026, 2, 27), 2));
      await appendTo(t, 1, entries('apr1', at(2026, 4, 2), 4));
      await appendTo(t, 0, entries('jun0', at(2026, 6, 30), 4));
    });
    after(async () => t?.close());

    if (pg)
      it('partitions the log by month: this month and two ahead exist, every row sits in its month, DEFAULT catches the rest', async () => {
        const names = (await listPartitions(t.database.db)).map((p) => p.name);
        for (let k = 0; k <= 2; k++) assert.ok(names.includes(partitionName(addMonths(Date.now(), k))), `${names} lacks month +${k}`);
        assert.ok(names.includes(DEFAULT_PARTITION));
        const rows = await sql<{ part: string; recorded_at: string }>`SELECT tableoid::regclass::text AS part, recorded_at FROM access_log`.execute(
          t.database.db,
        );
        assert.equal(rows.rows.length, 29);
        for (const r of rows.rows) assert.equal(r.part.replace(/^.*\./, ''), partitionName(monthStart(Number(r.recorded_at))));
        // a row recorded in a month without a partition goes to DEFAULT; creating the month moves it there, the chain unchanged
        await appendTo(t, 2, entries('old2', at(2025, 5, 5), 1));
        const where = async () =>
          (await sql<{ part: string }>`SELECT tableoid::regclass::text AS part FROM access_log WHERE event_id = 'old2-0'`.execute(t.database.db)).rows[0]!.part;
        assert.match(await where(), /access_log_default$/);
        await t.database.db.transaction().execute((trx) => createMonthPartition(trx, at(2025, 5, 1)));
        assert.match(await where(), /access_log_p202505$/);
        assert.equal((await t.ctx.services.audit.verify()).intact, true);
        // the constraints still hold under partitioning: a duplicate (shard, pos) in one month is refused
        const dup = (await t.database.db.selectFrom('access_log').selectAll().where('event_id', '=', 'jun0-1').executeTakeFirstOrThrow()) as Row;
        delete dup.seq;
        await assert.rejects(
          t.database.db
            .insertInto('access_log')
            .values(dup as never)
            .execute(),
          /duplicate key/,
        );
      });

    it('removes only whole months older than the retention, as a prefix of every shard, and the log still verifies', async () => {
      const audit = t.ctx.services.audit;
      await audit.checkpoint(); // a checkpoint inside what will be pruned and past it
      const before = await audit.verify();
      assert.equal(before.intact, true, JSON.stringify(before));
      const extra = pg ? 1 : 0; // the May 2025 row the partition test added to shard 2
      const r = await audit.prune(NOW);
      assert.equal(r.cutAt, CUT);
      assert.equal(r.pruned, 5 + 5 + 3 + extra, JSON.stringify(r));
      assert.deepEqual(r.months, pg ? ['2025-05', '2026-01', '2026-02'] : []);
      assert.deepEqual(
        r.anchors.map((a) => [a.shard, a.size]),
        [
          [0, 5],
          [1, 5],
          [2, 3 + extra],
        ],
      );

      const left = (await t.database.db.selectFrom('access_log').select(['event_id', 'recorded_at', 'shard', 'pos']).execute()) as Row[];
      const tags = new Set(left.map((x) => String(x.event_id).replace(/-\d+$/, '')));
      for (const gone of ['jan0', 'feb1', 'jan2']) assert.ok(!tags.has(gone), `${gone} should be pruned`);
      for (const kept of ['mar0', 'mar1', 'late0', 'apr1', 'jun0']) assert.ok(tags.has(kept), `${kept} should be kept`);
      assert.ok(left.every((x) => Number(x.recorded_at) >= CUT || String(x.event_id).startsWith('late0')));
      if (pg) {
        const names = (await listPartitions(t.database.db)).map((p) => p.name);
        assert.ok(!names.includes('access_log_p202601') && !names.includes('access_log_p202602') && names.includes('access_log_p202603'), String(names));
        const late = await sql<{ part: string }>`SELECT DISTINCT tableoid::regclass::text AS part FROM access_log WHERE event_id LIKE 'late0-%'`.execute(
          t.database.db,
        );
        assert.deepEqual(
          late.rows.map((x) => x.part.replace(/^.*\./, '')),
          [DEFAULT_PARTITION],
        );
      }

      // the removal is itself an entry of the log
      const logged = await audit.query({ principalId: RETENTION_PRINCIPAL, limit: 5 });
      assert.equal(logged.items.length, 1);
      assert.equal(logged.items[0]!.channel, 'retention');
      assert.match(logged.items[0]!.purpose!, /recorded before 2026-03-01T00:00:00\.000Z removed/);
      if (pg) assert.match(logged.items[0]!.purpose!, /partitions 2025-05, 2026-01, 2026-02 dropped/);

      const after = await audit.verify();
      assert.equal(after.intact, true, JSON.stringify(after));
      assert.equal((after as { size: number }).size, (before as { size: number }).size + 1, 'size counts every entry ever appended');
      assert.equal((after as { anchoredShards: number }).anchoredShards, 3);
      // nothing more is old enough: a second run changes nothing
      const again = await audit.prune(NOW);
      assert.deepEqual({ pruned: again.pruned, months: again.months, anchorId: again.anchorId }, { pruned: 0, months: [], anchorId: null });
      assert.equal((await t.database.db.selectFrom('audit_anchors').select('id').execute()).length, 1);
    });

    it('detects each of 500 random tamperings of the kept entries of the pruned log at its shard and position', async () => {
      const seen = await assertEveryTamperingDetected(t, 500);
      assert.ok(Object.keys(seen).length >= 5, JSON.stringify(seen));
    });

    it('reports pruned entries put back in part, a deleted or forged anchor, and entries removed past the anchor', async () => {
      const audit = t.ctx.services.audit;
      const db = t.database.db;
      const verifyAt = async () => {
        const v = await audit.verify();
        return v.intact ? 'intact' : `${v.shard}:${v.position}`;
      };
      assert.equal(await verifyAt(), 'intact');
      // 1. one pruned entry of shard 0 put back (its stored hash included)
      const anchorRows = await db.selectFrom('audit_anchors').selectAll().execute();
      const fake = entries('jan0', at(2026, 1, 10), 5)[2]!;
      await db
        .insertInto('access_log')
        .values({ ...fake, ticket: null, key_id: null, customer_id: null, purpose: null, ip: null, export_id: null, shard: 0, pos: 2, hash: 'ab'.repeat(32) })
        .execute();
      assert.equal(await verifyAt(), '0:2');
      await db.deleteFrom('access_log').where('shard', '=', 0).where('pos', '=', 2).execute();
      // 2. the anchor deleted: shard 0 is verified from 0 and its first entries are missing
      await db.deleteFrom('audit_anchors').execute();
      assert.equal(await verifyAt(), '0:0');
      // 3. an anchor signed by someone else (claiming a later cut) is ignored, not trusted
      const forger = new NoteSigner(audit.config.origin, randomBytes(32));
      const heads = await audit.heads();
      const forged = forger.sign({ origin: anchorOrigin(audit.config.origin), size: heads[0]!.size, hash: heads[0]!.hash, shards: [heads[0]!] });
      await db
        .insertInto('audit_anchors')
        .values(anchorRows.map((a) => ({ cut_at: a.cut_at, note: a.note, pruned: a.pruned, created_at: a.created_at })))
        .execute();
      await db.insertInto('audit_anchors').values({ cut_at: NOW, note: forged, pruned: 0, created_at: NOW }).execute();
      const v = await audit.verify();
      assert.equal(v.intact, true, JSON.stringify(v));
      assert.equal(v.anchorsRejected, 1);
      await db.deleteFrom('audit_anchors').where('cut_at', '=', NOW).execute();
      // 4. the first kept entry of shard 1 deleted ("pruned" by hand, past the anchor)
      const first = (await db.selectFrom('access_log').selectAll().where('shard', '=', 1).orderBy('pos').limit(1).executeTakeFirstOrThrow()) as Row;
      await db.deleteFrom('access_log').where('shard', '=', 1).where('pos', '=', Number(first.pos)).execute();
      assert.equal(await verifyAt(), `1:${Number(first.pos)}`);
      delete first.seq;
      await db
        .insertInto('access_log')
        .values(first as never)
        .execute();
      assert.equal(await verifyAt(), 'intact');
    });

    it('never prunes a log that does not verify', async () => {
      const db = t.database.db;
      const target = (await db
        .selectFrom('access_log')
        .select(['shard', 'pos', 'principal_id'])
        .where('event_id', '=', 'apr1-0')
        .executeTakeFirstOrThrow()) as Row;
      await db.updateTable('access_log').set({ principal_id: 'p-innocent' }).where('event_id', '=', 'apr1-0').execute();
      const count = async () =>
        Number(
          (
            await db
              .selectFrom('access_log')
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      const n = await count();
      // nothing old enough at this cut: nothing to refuse, and no verification pass is spent
      assert.equal((await t.ctx.services.audit.prune(NOW)).pruned, 0);
      await assert.rejects(t.ctx.services.audit.prune(at(2026, 12, 20)), (e: Error) => e instanceof PruneRefused && /does not verify/.test(e.message));
      assert.equal(await count(), n);
      await db
        .updateTable('access_log')
        .set({ principal_id: target.principal_id as string })
        .where('event_id', '=', 'apr1-0')
        .execute();
      // a later prune then removes March and April too, from the first anchor on
      const r = await t.ctx.services.audit.prune(at(2026, 11, 20)); // cut 1 May 2026
      assert.equal(r.cutAt, Date.UTC(2026, 4, 1));
      assert.equal(r.pruned, 3 + 2 + 3 + 4, JSON.stringify(r)); // mar0, late0, mar1, apr1
      assert.equal((await t.ctx.services.audit.verify()).intact, true);
      assert.equal((await t.database.db.selectFrom('audit_anchors').select('id').execute()).length, 2);
    });
  });

  describe(`retention maintenance at start on ${dialect.name}`, () => {
    it('with prune on, the job the area starts removes what is older than the retention and keeps the rest', async () => {
      const t = await createTestApp(dialect, { areas: { audit: { prune: true, retentionDays: 400 } } });
      try {
        const now = Date.now();
        await appendTo(t, 0, entries('ancient', now - 3 * 365 * DAY_MS, 3));
        await appendTo(t, 0, entries('recent', now - 300 * DAY_MS, 2)); // older than six months, younger than 400 days
        await appendTo(t, 0, entries('today', now, 2));
        auditArea.start!(t.ctx);
        const deadline = Date.now() + 20_000;
        while (!(await t.database.db.selectFrom('audit_anchors').select('id').executeTakeFirst()) && Date.now() < deadline)
          await new Promise((r) => setTimeout(r, 50));
        const tags = (await t.database.db.selectFrom('access_log').select('event_id').execute()).map((r) => String(r.event_id).replace(/-\d+$/, ''));
        assert.deepEqual([...new Set(tags)].sort(), ['recent', 'retention:1', 'today'].sort());
        assert.equal((await t.ctx.services.audit.verify()).intact, true);
        if (pg) {
          const names = (await listPartitions(t.database.db)).map((p) => p.name);
          assert.ok(names.includes(partitionName(addMonths(now, 2))));
        }
      } finally {
        await t.close();
      }
    });
  });

  describe(`retention setting on ${dialect.name}`, () => {
    it('refuses to start with a retention below the legal minimum, naming the law; starts with the minimum', async () => {
      const database = await dialect.open();
      const key = randomBytes(32);
      try {
        const start = (audit: Record<string, unknown>) => {
          const config = loadConfig({ FANZHA_DATA_DIR: tempDir(), FANZHA_DB: 'sqlite::memory:' });
          config.areas = { ...config.areas, audit };
          return createContext(config, { areas: AREAS, database, logger: createLogger('silent'), masterKey: { key, source: 'env' } });
        };
        await assert.rejects(
          start({ retentionDays: 90, prune: true }),
          (e: Error) => /retentionDays is 90/.test(e.message) && /Cybersecurity Law/.test(e.message) && /183/.test(e.message),
        );
        await assert.rejects(start({ retentionDays: 182 }), /at least 183 days/);
        const ctx = await start({ retentionDays: MIN_RETENTION_DAYS, prune: true });
        assert.deepEqual([ctx.services.audit.config.retentionDays, ctx.services.audit.config.prune], [183, true]);
        await closeContext(ctx);
      } finally {
        await database.close();
      }
    });
  });
}

describe('the retention cut', () => {
  it('is a UTC month start before which every instant is at least the retention and six calendar months old', () => {
    const plusMonths = (ms: number, k: number) => {
      const d = new Date(ms);
      const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + k, 1));
      const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
      // the same day-of-month six months on, or that month's last day when it is shorter
      return Date.UTC(
        target.getUTCFullYear(),
        target.getUTCMonth(),
        Math.min(d.getUTCDate(), last),
        d.getUTCHours(),
        d.getUTCMinutes(),
        d.getUTCSeconds(),
        d.getUTCMilliseconds(),
      );
    };
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2040, 0, 1) }), fc.integer({ min: MIN_RETENTION_DAYS, max: 2000 }), (now, days) => {
        const cut = retentionCut(now, days);
        assert.equal(cut, monthStart(cut));
        const newestRemoved = cut - 1;
        assert.ok(newestRemoved + days * DAY_MS <= now, 'older than retentionDays');
        assert.ok(plusMonths(newestRemoved, 6) <= now, 'older than six calendar months');
        // and not needlessly late: at most about two months beyond what the two rules need
        assert.ok(cut > now - (Math.max(days, 184) + 62) * DAY_MS);
      }),
      { numRuns: 5000 },
    );
    // the cases in the law's text: 184-day six-month spans
    assert.equal(retentionCut(Date.UTC(2027, 0, 1), 183), Date.UTC(2026, 6, 1));
    assert.equal(retentionCut(Date.UTC(2026, 8, 15), 183), Date.UTC(2026, 2, 1));
  });
});
