// Migrating one schema while other sessions drop theirs (other tenants, other test files). Kysely's
// PostgreSQL introspector reads every schema, and a schema dropped during that catalog query used
// to fail the migration with "schema … does not exist" (seen in CI), a column added or a partition
// attached meanwhile with "column … of relation … does not exist" (seen in CI). The migrator now
// gets an introspector of the current schema only (migration-dialect.ts), checked here too.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describePostgres } from '../../testing/dialects.ts';
import { Kysely } from 'kysely';
import { openDatabase, migrateToLatest } from '../database.ts';
import { MigrationDialect } from './migration-dialect.ts';

describePostgres('migrations beside schemas being dropped (PostgreSQL)', (url) => {
  it('migrates every schema while another session creates and drops schemas with tables', async () => {
    const churn = new pg.Client({ connectionString: url });
    await churn.connect();
    let stop = false;
    // another session: schemas with a few tables each (one partitioned, as the access log is),
    // columns added and partitions attached, then dropped, as fast as it can
    const churning = (async () => {
      while (!stop) {
        const s = `race_${randomBytes(4).toString('hex')}`;
        await churn.query(`CREATE SCHEMA ${s}; CREATE TABLE ${s}.a (id serial primary key); CREATE TABLE ${s}.b (id int, at bigint) PARTITION BY RANGE (at)`);
        await churn.query(`ALTER TABLE ${s}.a ADD COLUMN c int DEFAULT 1; CREATE TABLE ${s}.b1 (LIKE ${s}.b INCLUDING DEFAULTS)`);
        await churn.query(`ALTER TABLE ${s}.b ATTACH PARTITION ${s}.b1 FOR VALUES FROM (0) TO (10); ALTER TABLE ${s}.b ADD COLUMN k text`);
        await churn.query(`DROP SCHEMA ${s} CASCADE`);
      }
    })();
    const made: string[] = [];
    try {
      for (let i = 0; i < 4; i++) {
        const schema = `t_${randomBytes(6).toString('hex')}`;
        made.push(schema);
        const admin = new pg.Client({ connectionString: url });
        await admin.connect();
        await admin.query(`CREATE SCHEMA ${schema}`);
        await admin.end();
        const db = openDatabase({ kind: 'postgres', url }, { schema });
        try {
          const applied = await migrateToLatest(db);
          assert.ok(applied.length > 10, `schema ${i}: ${applied.length} migrations applied`);
        } finally {
          await db.close();
        }
      }
    } finally {
      stop = true;
      await churning;
      for (const s of made) await churn.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
      await churn.end();
    }
  });

  it("gives the migrator an introspector that sees the current schema's tables only", async () => {
    const a = `t_${randomBytes(6).toString('hex')}`;
    const b = `t_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(
      `CREATE SCHEMA ${a}; CREATE SCHEMA ${b}; CREATE TABLE ${a}.mine (id int); CREATE VIEW ${a}.seen AS SELECT 1 AS x; CREATE TABLE ${b}.theirs (id int)`,
    );
    const pool = new pg.Pool({ connectionString: url, options: `-c search_path=${a}`, max: 1 });
    const db = new Kysely<unknown>({ dialect: new MigrationDialect({ pool }) });
    try {
      assert.deepEqual(await db.introspection.getSchemas(), [{ name: a }]);
      const tables = await db.introspection.getTables();
      assert.deepEqual(tables.map((t) => [t.schema, t.name, t.isView]).sort(), [
        [a, 'mine', false],
        [a, 'seen', true],
      ]);
    } finally {
      await db.destroy();
      await admin.query(`DROP SCHEMA ${a} CASCADE; DROP SCHEMA ${b} CASCADE`);
      await admin.end();
    }
  });
});
