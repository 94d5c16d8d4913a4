// Migrating one schema while other sessions drop theirs (other tenants, other test files): Kysely
// finds its migration table by introspecting every schema, and a schema dropped during that
// catalog query used to fail the migration with "schema … does not exist" (seen in CI).
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describePostgres } from '../../testing/dialects.ts';
import { openDatabase, migrateToLatest } from '../database.ts';

describePostgres('migrations beside schemas being dropped (PostgreSQL)', (url) => {
  it('migrates every schema while another session creates and drops schemas with tables', async () => {
    const churn = new pg.Client({ connectionString: url });
    await churn.connect();
    let stop = false;
    // another session: schemas with a few tables each, created and dropped as fast as it can
    const churning = (async () => {
      while (!stop) {
        const s = `race_${randomBytes(4).toString('hex')}`;
        await churn.query(`CREATE SCHEMA ${s}; CREATE TABLE ${s}.a (id serial primary key); CREATE TABLE ${s}.b (id serial primary key)`);
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
});
