// The migration that turns an existing PostgreSQL access log into monthly partitions keeps every
// row as it was (ids, positions, hashes), the chain verifies afterwards, new rows keep drawing ids
// from the same sequence, and partitions exist for every month that had rows and the months ahead.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Migrator, sql, type Migration } from 'kysely';
import { testDialects, describePostgres } from '../testing/dialects.ts';
import { migrateToLatest } from '../db/database.ts';
import { migrations } from '../db/migrations/index.ts';
import { dialectHelpers } from '../db/migrations/migration.ts';
import { appendEntries, ensureShardHeads, setChainKey } from './append.ts';
import { verifyStoredLog } from './verify.ts';
import { addMonths, isPartitioned, listPartitions, partitionName } from './partitions.ts';

const BEFORE = '2026120350_connector_positions';

describePostgres('access-log partition migration on postgres', (_url) => {
  it('converts a populated log into monthly partitions, keeping every row and the chain', async () => {
    const dialect = testDialects().find((d) => d.name === 'postgres')!;
    const database = await dialect.open({ migrate: false });
    try {
      const helpers = dialectHelpers('postgres');
      const provider = {
        getMigrations: async () => Object.fromEntries(Object.entries(migrations).map(([n, m]) => [n, { up: (db) => m.up(db, helpers) } satisfies Migration])),
      };
      const schema = (await sql<{ s: string }>`SELECT current_schema() AS s`.execute(database.db)).rows[0]!.s;
      const migrator = new Migrator({ db: database.db, provider, allowUnorderedMigrations: true, migrationTableSchema: schema });
      const to = await migrator.migrateTo(BEFORE);
      assert.equal(to.error, undefined);
      assert.equal(await isPartitioned(database.db), false);

      const key = randomBytes(32);
      setChainKey(database, key, 2);
      await ensureShardHeads(database, key, 2);
      const months = [Date.UTC(2025, 10, 3), Date.UTC(2026, 0, 20), Date.UTC(2026, 0, 21)];
      for (const [k, t] of months.entries())
        await database.db.transaction().execute((trx) =>
          appendEntries(
            trx,
            database,
            Array.from({ length: 4 }, (_, i) => ({ source: 'event', principal_id: `p${i}`, fields: 1, channel: 'api', at: t, recorded_at: t + i })),
            { shard: k % 2 },
          ),
        );
      const before = await database.db.selectFrom('access_log').selectAll().orderBy('seq').execute();
      assert.equal(before.length, 12);
      assert.equal((await verifyStoredLog(database, key)).intact, true);

      assert.deepEqual(await migrateToLatest(database), ['2026120360_access_log_partitions']);
      assert.equal(await isPartitioned(database.db), true);
      const after = await database.db.selectFrom('access_log').selectAll().orderBy('seq').execute();
      assert.deepEqual(after, before);
      const names = (await listPartitions(database.db)).map((p) => p.name);
      for (const m of ['access_log_p202511', 'access_log_p202601', 'access_log_default']) assert.ok(names.includes(m), String(names));
      for (let k = 0; k <= 2; k++) assert.ok(names.includes(partitionName(addMonths(Date.now(), k))));
      const v = await verifyStoredLog(database, key);
      assert.deepEqual([v.intact, (v as { size: number }).size], [true, 12]);
      // every index came over; the unique one now ends with the partition key
      const ix = await sql<{ name: string; def: string }>`SELECT indexname AS name, indexdef AS def FROM pg_indexes
        WHERE schemaname = current_schema() AND tablename = 'access_log' ORDER BY indexname`.execute(database.db);
      assert.deepEqual(
        ix.rows.map((r) => r.name),
        ['access_log_customer', 'access_log_order', 'access_log_pkey', 'access_log_principal_at', 'access_log_shard_pos'],
      );
      assert.match(ix.rows.find((r) => r.name === 'access_log_shard_pos')!.def, /^CREATE UNIQUE INDEX .* \(shard, pos, recorded_at\)$/);

      // the id sequence moved with the column: appends go on after the last id
      await database.db.transaction().execute((trx) =>
        appendEntries(trx, database, [{ source: 'event', principal_id: 'p9', fields: 1, channel: 'api', at: Date.now(), recorded_at: Date.now() }], {
          shard: 0,
        }),
      );
      const last = await database.db.selectFrom('access_log').select('seq').orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
      assert.ok(Number(last.seq) > Number(before.at(-1)!.seq));
      const owned = await sql<{ s: string | null }>`SELECT pg_get_serial_sequence('access_log', 'seq') AS s`.execute(database.db);
      assert.ok(owned.rows[0]!.s, 'the sequence belongs to the partitioned table');
      assert.equal((await verifyStoredLog(database, key)).intact, true);
    } finally {
      await database.close();
    }
  });
});
