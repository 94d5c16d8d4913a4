// The storage backends a test suite runs against: SQLite always, PostgreSQL when FANZHA_TEST_PG
// names a server. Each opened database is private to the caller (a temp file, or a fresh schema).
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import pg from 'pg';
import { openDatabase, migrateToLatest, type Database, type Dialect } from '../db/database.ts';

export interface TestDialect {
  name: Dialect;
  /** Opens a fresh, migrated, private database. Closing it also drops a PostgreSQL schema. */
  open(opts?: { migrate?: boolean }): Promise<Database>;
}

export const PG_URL = process.env.FANZHA_TEST_PG;
export const REDIS_URL = process.env.FANZHA_TEST_REDIS;

/**
 * A suite that needs a PostgreSQL server of its own (not one per dialect): run with its URL when
 * FANZHA_TEST_PG is set, else reported as skipped, by name, with the reason (never silently).
 */
export function describePostgres(name: string, body: (url: string) => void): void {
  const url = PG_URL;
  if (!url) describe(name, () => it('SKIPPED: set FANZHA_TEST_PG to run it', { skip: 'FANZHA_TEST_PG is not set' }, () => {}));
  else describe(name, () => body(url));
}

export function tempDir(prefix = 'fanzha-test-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

const sqliteDialect: TestDialect = {
  name: 'sqlite',
  async open(opts = {}) {
    const db = openDatabase({ kind: 'sqlite', path: path.join(tempDir(), 'test.db') });
    if (opts.migrate !== false) await migrateToLatest(db);
    return db;
  },
};

const postgresDialect = (url: string): TestDialect => ({
  name: 'postgres',
  async open(opts = {}) {
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.end();
    const db = openDatabase({ kind: 'postgres', url }, { schema });
    if (opts.migrate !== false) await migrateToLatest(db);
    const close = db.close;
    db.close = async () => {
      await close();
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await c.end();
    };
    return db;
  },
});

/** SQLite, plus PostgreSQL when FANZHA_TEST_PG is set (scripts/test.mjs says plainly when it is not). */
export function testDialects(): TestDialect[] {
  return PG_URL ? [sqliteDialect, postgresDialect(PG_URL)] : [sqliteDialect];
}
