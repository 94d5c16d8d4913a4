// One private PostgreSQL schema opened by several app instances (tests of two nodes on one
// database): each `dialect()` opens its own pool on the schema; `drop()` removes the schema
// once every instance is closed.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, migrateToLatest, type Database, type PostgresTuning } from '../db/database.ts';
import type { TestDialect } from './dialects.ts';

export interface SharedSchema {
  schema: string;
  /** A dialect whose open() connects another pool to the shared schema (migrated once). */
  dialect(tuning?: PostgresTuning, url?: string): TestDialect;
  drop(): Promise<void>;
}

async function admin(url: string, text: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(text);
  } finally {
    await c.end();
  }
}

export async function sharedPostgresSchema(url: string): Promise<SharedSchema> {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  await admin(url, `CREATE SCHEMA ${schema}`);
  let migrated = false;
  return {
    schema,
    dialect: (tuning, other = url) => ({
      name: 'postgres',
      async open(): Promise<Database> {
        const db = openDatabase({ kind: 'postgres', url: other, ...(tuning ? { tuning } : {}) }, { schema });
        if (!migrated) {
          await migrateToLatest(db);
          migrated = true;
        }
        return db;
      },
    }),
    drop: () => admin(url, `DROP SCHEMA IF EXISTS ${schema} CASCADE`),
  };
}
