// One handle to storage for the whole process. Areas get `Database` and write their queries with
// Kysely; the few hot paths that need it may also use the dialect's raw driver (see events/).
import { Kysely, Migrator, sql, type Migration, type MigrationProvider } from 'kysely';
import type BetterSqlite3 from 'better-sqlite3';
import type pg from 'pg';
import type { DB } from './schema.ts';
import type { DbConfig } from '../config/config.ts';
import { openSqlite } from './sqlite/connect.ts';
import { openPostgres, MAINTENANCE_TUNING, type PostgresTuning } from './postgres/connect.ts';
import { MigrationDialect } from './postgres/migration-dialect.ts';

export type { PostgresTuning };
import { migrations } from './migrations/index.ts';
import { dialectHelpers } from './migrations/migration.ts';

export type Dialect = 'sqlite' | 'postgres';

export interface Database {
  db: Kysely<DB>;
  dialect: Dialect;
  /** better-sqlite3 handle when dialect is sqlite. */
  sqlite?: BetterSqlite3.Database;
  /** pg pool when dialect is postgres. */
  pool?: pg.Pool;
  /** How the PostgreSQL pool was opened (migrations open a second pool without time limits). */
  postgres?: { url: string; schema?: string };
  close(): Promise<void>;
}

export function openDatabase(config: DbConfig, opts: { schema?: string } = {}): Database {
  if (config.kind === 'sqlite') {
    const { raw, dialect } = openSqlite(config.path, config.busyTimeoutMs);
    const db = new Kysely<DB>({ dialect });
    // wait for the one connection first: a pipelined ingest holds a transaction across awaits
    let closing: Promise<void> | undefined;
    const close = () =>
      (closing ??= (async () => {
        await db.connection().execute(async () => {});
        await db.destroy();
      })());
    return { db, dialect: 'sqlite', sqlite: raw, close };
  }
  const { pool, dialect } = openPostgres({ url: config.url, schema: opts.schema, tuning: config.tuning });
  const db = new Kysely<DB>({ dialect });
  return { db, dialect: 'postgres', pool, postgres: { url: config.url, schema: opts.schema }, close: () => db.destroy() };
}

class StaticProvider implements MigrationProvider {
  constructor(private readonly dialect: Dialect) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    const helpers = dialectHelpers(this.dialect);
    const out: Record<string, Migration> = {};
    for (const [name, m] of Object.entries(migrations)) {
      out[name] = {
        up: (db) => m.up(db, helpers),
        down: m.down ? (db) => m.down!(db, helpers) : undefined,
      };
    }
    return out;
  }
}

/** Applies every pending migration; returns the names applied. Throws on the first failure. */
export async function migrateToLatest(database: Database): Promise<string[]> {
  if (database.postgres) {
    // Building an index on a large table may outlast the service's statement and query limits.
    const { pool } = openPostgres({ ...database.postgres, tuning: MAINTENANCE_TUNING });
    const dialect = new MigrationDialect({ pool });
    const db = new Kysely<DB>({ dialect });
    try {
      return await migrateWith({ db, dialect: 'postgres', pool, close: () => db.destroy() });
    } finally {
      await db.destroy();
    }
  }
  return migrateWith(database);
}

async function migrateWith(database: Database): Promise<string[]> {
  // Kysely looks for its migration tables in every schema unless told which one: name ours, or a
  // database holding other fanzha schemas (tests, other tenants) makes it skip creating them.
  const migrationTableSchema =
    database.dialect === 'postgres' ? (await sql<{ s: string }>`SELECT current_schema() AS s`.execute(database.db)).rows[0]?.s : undefined;
  const migrator = new Migrator({
    db: database.db,
    provider: new StaticProvider(database.dialect),
    allowUnorderedMigrations: true,
    ...(migrationTableSchema ? { migrationTableSchema } : {}),
  });
  for (let attempt = 1; ; attempt++) {
    const { error, results } = await migrator.migrateToLatest();
    if (!error) return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
    // Kysely finds its migration table by introspecting every schema, and PostgreSQL resolves
    // relation names and columns in that catalog query after its snapshot: a schema or table another
    // session drops or alters meanwhile (another tenant, a test finishing, another schema's
    // migration adding a column or a partition) fails it with "schema … does not exist" or "column
    // … of relation … does not exist". Nothing of ours was touched (each migration runs in its own
    // transaction): try again. (The migrator's own lookups read only our schema —
    // postgres/migration-dialect.ts — so this is the second line of defence.)
    if (attempt < 10 && isConcurrentDropRace(error, migrationTableSchema)) {
      await new Promise((r) => setTimeout(r, 10 + Math.random() * 40));
      continue;
    }
    throw error instanceof Error ? error : new Error(String(error));
  }
}

// invalid_schema_name, undefined_table, undefined_column; and the internal error a catalog read
// raises when the relation it was reading goes away under it
const RACE_CODES = new Set(['3F000', '42P01', '42703']);
const RACE_INTERNAL = /could not open relation|cache lookup failed|does not exist/;

/** A PostgreSQL "does not exist" error about some other schema, table or column than ours. */
function isConcurrentDropRace(error: unknown, ours: string | undefined): boolean {
  const e = error as { code?: string; message?: string } | null;
  const message = String(e?.message ?? '');
  if (!e || !(RACE_CODES.has(e.code ?? '') || (e.code === 'XX000' && RACE_INTERNAL.test(message)))) return false;
  return !ours || !message.includes(`"${ours}"`);
}
