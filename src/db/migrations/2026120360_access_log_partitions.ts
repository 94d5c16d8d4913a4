// The access log becomes range-partitioned by month of `recorded_at` on PostgreSQL (see
// src/audit/partitions.ts), keeping every row, and a table of retention anchors appears on both
// dialects (src/audit/prune.ts). A partitioned table's primary key and unique indexes must contain
// the partition key, so they become (seq, recorded_at) and (shard, pos, recorded_at); a shard still
// cannot fork, because every append moves its head row by compare-and-set (src/audit/append.ts).
// SQLite keeps its single table.
import { sql } from 'kysely';
import type { FanzhaMigration } from './migration.ts';
import { DEFAULT_PARTITION, addMonths, createMonthPartition, monthStart, MONTHS_AHEAD } from '../../audit/partitions.ts';

export const accessLogPartitions: FanzhaMigration = {
  async up(db, d) {
    await db.schema
      .createTable('audit_anchors')
      .addColumn('id', d.serial, d.serialPk)
      .addColumn('cut_at', d.epochMs, (c) => c.notNull())
      .addColumn('note', 'text', (c) => c.notNull())
      .addColumn('pruned', d.epochMs, (c) => c.notNull())
      .addColumn('created_at', d.epochMs, (c) => c.notNull())
      .execute();
    if (d.dialect !== 'postgres') return;

    const seq = await sql<{ s: string }>`SELECT pg_get_serial_sequence('access_log', 'seq') AS s`.execute(db);
    // every index but the primary key is rebuilt on the partitioned table as it was defined (so
    // indexes added by other migrations survive), unique ones with the partition key appended
    const indexes = await sql<{ name: string; def: string }>`SELECT i.relname AS name, pg_get_indexdef(i.oid) AS def
      FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indrelid = to_regclass('access_log') AND NOT x.indisprimary`.execute(db);
    await sql`ALTER TABLE access_log RENAME TO access_log_unpartitioned`.execute(db);
    // Same columns, types, NOT NULLs and defaults (the seq default keeps drawing from its sequence).
    await sql`CREATE TABLE access_log (LIKE access_log_unpartitioned INCLUDING DEFAULTS) PARTITION BY RANGE (recorded_at)`.execute(db);
    await sql`CREATE TABLE ${sql.table(DEFAULT_PARTITION)} PARTITION OF access_log DEFAULT`.execute(db);
    // a partition for every month that has rows, and the current month and those just ahead
    const months = await sql<{ m: string }>`SELECT DISTINCT
        (extract(epoch FROM date_trunc('month', to_timestamp(recorded_at / 1000.0) AT TIME ZONE 'UTC')) * 1000)::bigint AS m
      FROM access_log_unpartitioned`.execute(db);
    const starts = new Set(months.rows.map((r) => monthStart(Number(r.m))));
    for (let k = 0; k <= MONTHS_AHEAD; k++) starts.add(addMonths(Date.now(), k));
    for (const lo of [...starts].sort((a, b) => a - b)) await createMonthPartition(db, lo);
    await sql`INSERT INTO access_log SELECT * FROM access_log_unpartitioned`.execute(db);
    if (seq.rows[0]?.s) await sql`ALTER SEQUENCE ${sql.raw(seq.rows[0].s)} OWNED BY access_log.seq`.execute(db);
    await sql`DROP TABLE access_log_unpartitioned`.execute(db);
    await sql`ALTER TABLE access_log ADD PRIMARY KEY (seq, recorded_at)`.execute(db);
    for (const ix of indexes.rows) await sql.raw(partitionedIndex(ix.def)).execute(db);
  },
};

/** An index definition of the old table, for the partitioned one (unique indexes must contain recorded_at). */
export function partitionedIndex(def: string): string {
  let out = def.replace(/ ON (?:\S+\.)?access_log /, ' ON access_log ');
  if (/^CREATE UNIQUE INDEX /.test(out) && !/\brecorded_at\b/.test(out)) {
    const m = /^(.* USING \w+ \()([^()]*)\)$/.exec(out);
    if (!m) throw new Error(`cannot partition the access log: unique index "${def}" needs recorded_at and is not a plain column list`);
    out = `${m[1]}${m[2]}, recorded_at)`;
  }
  return out;
}
